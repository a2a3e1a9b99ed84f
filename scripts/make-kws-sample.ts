/**
 * Builds samples/kws01-sample.tar.gz, the offline sample behind `tinydata demo`: 30 official kws01 clips from
 * ../shared/fixtures/kws01/td_samples (Speech Commands v0.02, CC BY 4.0), in the layout of the test-set archive.
 * Run once with `npx tsx scripts/make-kws-sample.ts`; the archive is committed.
 */
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {BUNDLED_SAMPLES} from '../datasets/samples.js'
import {buildTarGz, officialClipEntry, REPO_ROOT} from '../test/helpers/archives.js'

/**
 * Two or three clips of every class, plus the two clips that matter for fidelity: tst_000563 (MFCC values that wrap
 * around int8) and tst_000619 (the one MFCC byte no float32 emulation reproduces).
 */
const SAMPLE = [
  'tst_000130_Down_0.bin', 'tst_000170_Down_0.bin', 'tst_000037_Go_1.bin', 'tst_000563_Go_1.bin',
  'tst_000027_Left_2.bin', 'tst_000040_Left_2.bin', 'tst_000090_No_3.bin', 'tst_000180_No_3.bin',
  'tst_000008_Off_4.bin', 'tst_000270_Off_4.bin', 'tst_000020_On_5.bin', 'tst_000070_On_5.bin',
  'tst_000060_Right_6.bin', 'tst_000590_Right_6.bin', 'tst_000000_Stop_7.bin', 'tst_000110_Stop_7.bin',
  'tst_000050_Up_8.bin', 'tst_000069_Up_8.bin', 'tst_000030_Yes_9.bin', 'tst_000230_Yes_9.bin',
  'tst_000100_Silence_10.bin', 'tst_000150_Silence_10.bin', 'tst_000220_Silence_10.bin',
  'tst_000010_Unknown_11.bin', 'tst_000016_Unknown_11.bin', 'tst_000619_Unknown_11.bin',
  'tst_000140_Go_1.bin', 'tst_000380_Left_2.bin', 'tst_000400_Yes_9.bin', 'tst_000640_Right_6.bin',
]

const entries = await Promise.all(SAMPLE.map((file) => officialClipEntry(file, {trimTrailingZeros: true})))
const target = join(REPO_ROOT, BUNDLED_SAMPLES.kws01)
await writeFile(target, await buildTarGz(entries))
console.log(`wrote ${target}: ${entries.length} clips`)

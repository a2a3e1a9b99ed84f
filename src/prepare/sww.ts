/**
 * sww01: one test WAV and its truth JSON from Speech Commands v0.02 and MUSAN, by an official spec or a user's.
 * Only the clips the spec names are read out of the archives (as a stream; the rest of an 11 GB MUSAN tar passes
 * unread where no checksum needs it); the mix is sww-recipe.ts; the files go to `<out>/sww01/`.
 */
import {readFile} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {largestMemberOf, openSource} from '../archives/source-reader.js'
import {stereoWavChunks} from '../audio/sww-mix.js'
import {decodeWav, pcmWavSize} from '../audio/wav.js'
import type {SwwBenchmark, SwwBuildDefinition, SwwOfficialName} from '../../datasets/types.js'
import {fileError} from '../errors.js'
import {Digests} from '../io/hash.js'
import {packageFile} from '../package-files.js'
import {writeWavWithTruth, type WrittenWavWithTruth} from '../output/wav-folder.js'
import {clipKey, mixPeak, SwwMixer} from './sww-mixer.js'
import {parseSwwSpec, sampleIndex, type SwwClipRef, type SwwSourceName, type SwwSpec} from './sww-spec.js'
import {checkSourceSha256, firstFew, type CheckedSource} from './shared.js'

export interface PrepareSwwOptions {
  benchmark: SwwBenchmark
  /** The Speech Commands v0.02 archive (or the folder it was extracted to) and MUSAN's. */
  sources: Record<SwwSourceName, string>
  out: string
  /** An official build by name, or a user's spec file (its WAV and truth JSON are named after it). */
  build: {official: SwwOfficialName} | {spec: string}
  verify: boolean
  onProgress?: (progress: SwwProgress) => void
}

/** Where the reading is: an 11 GB MUSAN tar takes minutes to pass through. */
export interface SwwProgress {
  source: SwwSourceName
  membersRead: number
  clipsFound: number
  clipsWanted: number
}

export interface PrepareSwwResult extends WrittenWavWithTruth {
  benchmark: 'sww01'
  /** `short` or `long`, or null for a user's spec. */
  official: SwwOfficialName | null
  spec: string
  lengthSec: number
  backgrounds: number
  wakewords: number
  wavSha256: string
  /** The result against the published WAV of this build, by git blob id; null for a user's spec. */
  parity: {blobId: string; published: string[]; equal: boolean} | null
  sources: Record<SwwSourceName, CheckedSource & {clipsRead: number}>
  warnings: string[]
}

export async function prepareSww(options: PrepareSwwOptions): Promise<PrepareSwwResult> {
  const {benchmark} = options
  const definition = benchmark.build
  const official = 'official' in options.build ? options.build.official : null
  const specFile = official ? packageFile(definition.official[official].spec) : (options.build as {spec: string}).spec
  const text = await readFile(specFile, 'utf8').catch(() => {
    throw fileError(specFile, 'does not exist or cannot be read')
  })
  const spec = parseSwwSpec(text, specFile, definition)
  const names = official ? definition.official[official] : namesForSpec(specFile)
  const warnings = official ? [] : await badWakewordWarnings(spec, definition)

  const mixer = new SwwMixer(spec, definition.recipe.relativeThreshold)
  const sources = {} as PrepareSwwResult['sources']
  for (const source of ['speechCommands', 'musan'] as const) {
    sources[source] = await readClips(spec, source, options.sources[source], options, mixer)
  }
  const {mix, windows} = mixer.finish()
  const peak = mixPeak(spec, mix)
  // The WAV is hashed as it is written: its sha256, and the git blob id the published WAVs are pinned by.
  const digests = new Digests(['sha256', 'git-blob'], pcmWavSize(mix.length, 2))
  const hashed = function* () {
    for (const chunk of stereoWavChunks(mix, peak, spec.sampleRate)) {
      digests.update(chunk)
      yield chunk
    }
  }
  const written = await writeWavWithTruth(join(options.out, benchmark.id), hashed(), names.truthFile, {
    wavFile: names.wavFile,
    detectionWindows: [...windows].sort((a, b) => a[0] - b[0]),
    lengthSec: spec.lengthSec,
    sampleRate: spec.sampleRate,
  })
  const {sha256, 'git-blob': blobId} = digests.hex()
  return {
    benchmark: benchmark.id,
    ...written,
    official,
    spec: specFile,
    lengthSec: spec.lengthSec,
    backgrounds: spec.backgrounds.length,
    wakewords: spec.wakewords.length,
    wavSha256: sha256,
    parity: official
      ? {blobId, published: [...definition.official[official].publishedBlobIds], equal: definition.official[official].publishedBlobIds.includes(blobId)}
      : null,
    sources,
    warnings,
  }
}

/** A user's `my_test_spec.json` makes `my_test.wav` and `my_test.json`. */
function namesForSpec(specFile: string): {wavFile: string; truthFile: string} {
  const base = basename(specFile).replace(/(_spec)?\.json$/i, '')
  return {wavFile: `${base}.wav`, truthFile: `${base}.json`}
}

async function badWakewordWarnings(spec: SwwSpec, definition: SwwBuildDefinition): Promise<string[]> {
  const bad = new Set((await readFile(packageFile(definition.badWakewords), 'utf8')).split('\n').map((line) => line.trim()))
  return spec.wakewords
    .filter((wakeword) => wakeword.source === 'speechCommands' && bad.has(wakeword.member))
    .map((wakeword) => `${wakeword.entry}: listed in ${basename(definition.badWakewords)} (the reference never uses it as a wakeword)`)
}

/**
 * Reads the clips of one source that the spec names into the mixer: whole for a wakeword, the needed start for a
 * background. Each must be mono 16-bit PCM at the spec's rate. A source whose checksum is not to be checked is left
 * once every clip is found.
 */
async function readClips(
  spec: SwwSpec,
  source: SwwSourceName,
  path: string,
  {benchmark: {build: definition}, verify, onProgress}: PrepareSwwOptions,
  mixer: SwwMixer,
): Promise<CheckedSource & {clipsRead: number}> {
  // Samples kept per clip (Infinity: all of it), and the first entry naming it, for the errors.
  const wanted = new Map<string, {keep: number; entry: SwwClipRef}>()
  const want = (entry: SwwClipRef, keep: number) => {
    if (entry.source !== source) return
    const known = wanted.get(entry.member)
    wanted.set(entry.member, {keep: Math.max(keep, known?.keep ?? 0), entry: known?.entry ?? entry})
  }
  for (const background of spec.backgrounds) want(background, sampleIndex(background.stopSec - background.startSec, spec.sampleRate))
  for (const wakeword of spec.wakewords) want(wakeword, Infinity)

  const root = source === 'musan' ? `${definition.musanRoot}/` : ''
  const specPath = (member: string) => (root && member.startsWith(root) ? member.slice(root.length) : member)
  const reader = await openSource(path, {largestMember: largestMemberOf(definition.sources[source].files)})
  const pinned = definition.sources[source].files
  const mustReadAll = verify && reader.kind !== 'folder' && pinned.some((file) => file.sha256 !== undefined)
  const received = new Set<string>()
  let membersRead = 0
  const wants = (name: string) => {
    onProgress?.({source, membersRead: ++membersRead, clipsFound: received.size, clipsWanted: wanted.size})
    return wanted.has(specPath(name))
  }
  // With nothing wanted, an archive is still read through where its checksum is to be checked.
  if (wanted.size > 0 || mustReadAll) {
    for await (const member of reader.members(wants)) {
      const name = specPath(member.path)
      if (received.has(name)) continue // a second copy of a member: the first one counts
      received.add(name)
      const {keep, entry} = wanted.get(name)!
      const audio = decodeWav(member.bytes, `${path}: ${member.path}`)
      if (audio.sampleRate !== spec.sampleRate) {
        throw fileError(spec.file, `${entry.entry}: ${member.path} is sampled at ${audio.sampleRate} Hz, not ${spec.sampleRate}`)
      }
      if (audio.channels !== 1) throw fileError(spec.file, `${entry.entry}: ${member.path} has ${audio.channels} channels, not 1`)
      mixer.add(clipKey({source, member: name}), keep < audio.samples.length ? audio.samples.slice(0, keep) : audio.samples)
      if (received.size === wanted.size && !mustReadAll) break
    }
  }
  const missing = [...wanted.entries()].filter(([name]) => !received.has(name)).map(([, {entry}]) => entry.entry)
  if (missing.length > 0) {
    throw fileError(spec.file, `${missing[0]}: no such member in ${path}${missing.length > 1 ? ` (nor ${missing.length - 1} more: ${firstFew(missing.slice(1))})` : ''}`)
  }
  return {...checkSourceSha256(reader, pinned, verify), clipsRead: received.size}
}

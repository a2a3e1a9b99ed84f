import {describe, expect, it} from 'vitest'

import {BENCHMARK_SOURCES} from '../../datasets/index.js'
import {DownloadProgressBoard, downloadCommandFor, formatBytes, planDownloads} from '../../src/download/index.js'
import {UserError} from '../../src/errors.js'

const names = (planned: ReturnType<typeof planDownloads>) => planned.map(({file}) => file.name)

describe('which files each benchmark needs', () => {
  it('kws needs only the test-set archive; the full archive comes with --include-optional', () => {
    expect(names(planDownloads(['kws'], {includeOptional: false}))).toEqual(['speech_commands_test_set_v0.02.tar.gz'])
    expect(planDownloads(['kws'], {includeOptional: true}).map(({file, optional}) => [file.name, optional])).toEqual([
      ['speech_commands_test_set_v0.02.tar.gz', false],
      ['speech_commands_v0.02.tar.gz', true],
    ])
  })

  it('ic, vww, ad and sww take their published files, optional ones only on request', () => {
    expect(names(planDownloads(['ic', 'vww', 'ad', 'sww'], {includeOptional: false}))).toEqual([
      'cifar-10-binary.tar.gz',
      'val2017.zip',
      'annotations_trainval2017.zip',
      'dev_data_ToyCar.zip',
      'sww_long_test.json',
      'sww_med_test.json',
      'sww_short_test.json',
      'short_wav_easy10s.wav',
      'med_wav_2m_8p.wav',
      'sd_card_long_wav.wav',
      'sww_data_dir_long_wav.wav',
      'speech_commands_v0.02.tar.gz',
      'musan.tar.gz',
    ])
    expect(names(planDownloads(['ic', 'vww'], {includeOptional: true}))).toEqual(['cifar-10-binary.tar.gz', 'cifar-10-python.tar.gz', 'val2017.zip', 'annotations_trainval2017.zip', 'train2017.zip', 'vw_coco2014_96.tar.gz'])
  })

  it('all lists each file once, with every benchmark that asked for it; a file one of them needs is not optional', () => {
    const all = planDownloads(['all'], {includeOptional: true})
    expect(new Set(names(all)).size).toBe(all.length)
    expect(all.find(({file}) => file.name === 'speech_commands_v0.02.tar.gz')).toMatchObject({benchmarks: ['kws', 'sww'], optional: false})
    expect(names(planDownloads(['all'], {includeOptional: false}))).not.toContain('train2017.zip')
  })

  it('an unknown name is a UserError listing the valid ones', () => {
    expect(() => planDownloads(['kws', 'speech'], {includeOptional: false})).toThrow(UserError)
    expect(() => planDownloads(['speech'], {includeOptional: false})).toThrow("unknown data set 'speech': choose kws, ic, vww, ad, sww or all")
  })

  it('names the command that fetches a file', () => {
    expect(downloadCommandFor('speech_commands_test_set_v0.02.tar.gz')).toBe('tinydata download kws')
    expect(downloadCommandFor('speech_commands_v0.02.tar.gz')).toBe('tinydata download sww')
    expect(downloadCommandFor('train2017.zip')).toBe('tinydata download vww --include-optional')
    expect(downloadCommandFor('val2017.zip', 'dev_data_ToyCar.zip', 'annotations_trainval2017.zip')).toBe('tinydata download vww ad')
    expect(downloadCommandFor('not-a-source.zip')).toBe('tinydata download')
  })

  it('sww fetches both published long_wav.wav under distinct cache names, from one pinned commit of mlcommons/tiny', () => {
    const runnerFiles = planDownloads(['sww'], {includeOptional: false}).filter(({file}) => file.gitBlob)
    const longWavs = runnerFiles.filter(({file}) => file.url.endsWith('/long_wav.wav'))
    expect(longWavs.map(({file}) => file.url.split('/benchmark/runner/')[1])).toEqual(['sd_card/long_wav.wav', 'sww_data_dir/long_wav.wav'])
    expect(new Set(longWavs.map(({file}) => file.gitBlob)).size).toBe(2)
    const commits = new Set(runnerFiles.map(({file}) => /^https:\/\/raw\.githubusercontent\.com\/mlcommons\/tiny\/([0-9a-f]{40})\//.exec(file.url)?.[1]))
    expect([...commits]).toEqual(['1afd2c9820f795965a6134facd0b4dfae41ef23f'])
    expect(downloadCommandFor('sd_card_long_wav.wav')).toBe('tinydata download sww')
  })

  it('every source file has a URL, a format, and a sha256, md5 or git blob id unless none is published (ToyCar)', () => {
    for (const {datasets, optional} of BENCHMARK_SOURCES) {
      for (const file of [...datasets, ...optional].flatMap((dataset) => dataset.files)) {
        expect(file.url).toMatch(/^https?:\/\//)
        if (file.sha256) expect(file.sha256).toMatch(/^[0-9a-f]{64}$/)
        if (file.md5) expect(file.md5).toMatch(/^[0-9a-f]{32}$/)
        // A git blob id hashes the size: the size must be given with it.
        if (file.gitBlob) expect([file.gitBlob, typeof file.size]).toEqual([expect.stringMatching(/^[0-9a-f]{40}$/), 'number'])
        if (!file.sha256 && !file.md5 && !file.gitBlob) expect(file.name).toBe('dev_data_ToyCar.zip')
      }
    }
  })
})

describe('the progress board', () => {
  it('draws one bar per file with bytes, rate and ETA, redrawing in place, and clears itself', () => {
    let clock = 0
    let output = ''
    const board = new DownloadProgressBoard((text) => (output += text), () => 120, () => clock)
    board.update({file: 'a.tar.gz', phase: 'downloading', bytes: 0, totalBytes: 10_000_000})
    clock = 1000
    board.update({file: 'a.tar.gz', phase: 'downloading', bytes: 2_000_000, totalBytes: 10_000_000})
    clock = 1300
    board.update({file: 'b.zip', phase: 'downloading', bytes: 1000, totalBytes: undefined})
    const lastDraw = output.slice(output.lastIndexOf('\u001B[1A'))
    expect(lastDraw).toContain('a.tar.gz')
    expect(lastDraw).toMatch(/\[#####\.{19}\]\s+20%\s+2\.00 MB \/ 10\.0 MB\s+2\.00 MB\/s\s+ETA 0:04/)
    expect(lastDraw).toMatch(/b\.zip\s+\(size unknown\)\s+1\.00 kB/)
    output = ''
    board.clear()
    expect(output).toBe('\u001B[2A\r\u001B[J')
  })

  it('formats sizes in decimal units, as the publishers state them', () => {
    expect(formatBytes(2_428_923_189)).toBe('2.43 GB')
    expect(formatBytes(112_563_277)).toBe('112.6 MB')
    expect(formatBytes(999)).toBe('999 B')
  })
})

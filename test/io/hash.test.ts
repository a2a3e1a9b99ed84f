import {describe, expect, it} from 'vitest'

import {Digests} from '../../src/io/hash.js'

describe('digests of streamed bytes', () => {
  it('a git blob id is what `git hash-object` prints, whatever the chunks', () => {
    const bytes = Buffer.from('hello\n')
    const digests = new Digests(['git-blob', 'sha256'], bytes.length)
    digests.update(bytes.subarray(0, 2))
    digests.update(bytes.subarray(2))
    // printf 'hello\n' | git hash-object --stdin
    expect(digests.hex()['git-blob']).toBe('ce013625030ba8dba906f756967f9e9ca394464a')
    expect(digests.hex().sha256).toBe('5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03')
  })

  it('a git blob id needs the size in advance', () => {
    expect(() => new Digests(['git-blob'])).toThrow('a git blob id needs the size of the bytes in advance')
  })
})

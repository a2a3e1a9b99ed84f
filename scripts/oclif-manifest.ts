/**
 * Writes oclif.manifest.json, the list of commands with their flags, as the last step of `npm run build`. With it,
 * oclif imports only the command being run instead of every command module: the CLI starts about a third faster
 * (0.7 s → 0.45 s here). It is generated from dist/commands on every build, so it cannot go stale, and git ignores it.
 */
import {Plugin} from '@oclif/core'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {PACKAGE_ROOT} from '../src/package-files.js'

const plugin = new Plugin({root: PACKAGE_ROOT, type: 'core', ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
await writeFile(join(PACKAGE_ROOT, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`)

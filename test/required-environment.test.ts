/**
 * CI's guarantee that nothing it relies on was skipped: with TINYDATA_REQUIRE_SHARED=1 (set by .ci/run) the real
 * fixtures in ../shared must be there, since every parity and corpus suite skips quietly without them.
 */
import {existsSync} from 'node:fs'
import {expect, it} from 'vitest'

import {SHARED} from './helpers/archives.js'

const SHARED_REQUIRED = process.env.TINYDATA_REQUIRE_SHARED === '1'
if (!existsSync(SHARED) && !SHARED_REQUIRED) console.warn(`${SHARED} is absent: the parity and corpus suites are skipped (TINYDATA_REQUIRE_SHARED=1 makes it required, as in .ci/run)`)

it.skipIf(!SHARED_REQUIRED)('../shared, with its fixtures, is there when TINYDATA_REQUIRE_SHARED=1', () => {
  expect(existsSync(SHARED), `${SHARED} is missing and TINYDATA_REQUIRE_SHARED=1`).toBe(true)
  expect(existsSync(`${SHARED}/fixtures`), `${SHARED}/fixtures is missing`).toBe(true)
})

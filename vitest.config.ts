import {defineConfig} from 'vitest/config'

/** No test goes through a proxy that happens to be set on the machine: the servers they talk to are on 127.0.0.1. */
const NO_PROXY_ENV = Object.fromEntries(
  ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'].flatMap((name) => [[name, ''], [name.toUpperCase(), '']]),
)

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // two test files at a time: most of the suite waits on child processes (the built CLI), so a 2-core machine
    // runs it in about half the time of one file at a time
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: NO_PROXY_ENV,
    globalSetup: ['test/helpers/temporary-root.ts'],
  },
})

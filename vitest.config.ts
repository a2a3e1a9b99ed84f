import {defineConfig} from 'vitest/config'

/** No test goes through a proxy that happens to be set on the machine: the servers they talk to are on 127.0.0.1. */
const NO_PROXY_ENV = Object.fromEntries(
  ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'].flatMap((name) => [[name, ''], [name.toUpperCase(), '']]),
)

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: NO_PROXY_ENV,
  },
})

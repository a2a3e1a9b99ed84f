import {execFile} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {proxyFor} from '../../src/download/proxy.js'
import {buildZip, REPO_ROOT} from '../helpers/archives.js'
import {expectOneLineError, tinydataWithEnv} from '../helpers/cli.js'
import {startFileServer, type FileServer} from '../helpers/http-server.js'
import {startProxy, type ProxyServer} from '../helpers/proxy-server.js'

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'].flatMap((name) => [name, name.toUpperCase()])

/** proxyFor with exactly `env`'s proxy variables set (proxy-from-env reads process.env itself). */
function proxyForIn(url: URL, env: Record<string, string>): URL | null {
  for (const name of PROXY_VARIABLES) vi.stubEnv(name, env[name])
  try {
    return proxyFor(url)
  } finally {
    vi.unstubAllEnvs()
  }
}

describe('proxyFor: the proxy settings curl and wget read', () => {
  const http = new URL('http://download.tensorflow.org/data/x.tar.gz')
  const secure = new URL('https://zenodo.org/record/1/files/x.zip')

  it('takes http_proxy for http:, https_proxy for https:, all_proxy for both, lower case before upper case', () => {
    expect(proxyForIn(http, {http_proxy: 'http://p:3128'})?.href).toBe('http://p:3128/')
    expect(proxyForIn(secure, {http_proxy: 'http://p:3128'})).toBeNull()
    expect(proxyForIn(secure, {HTTPS_PROXY: 'http://q:8080'})?.href).toBe('http://q:8080/')
    expect(proxyForIn(secure, {https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2'})?.host).toBe('lower:1')
    expect(proxyForIn(http, {ALL_PROXY: 'http://all:9'})?.host).toBe('all:9')
    expect(proxyForIn(http, {http_proxy: '  '})).toBeNull()
    expect(proxyForIn(new URL('file:///tmp/x'), {all_proxy: 'http://all:9'})).toBeNull()
  })

  it('reads a bare host:port as an http proxy, keeps credentials, and refuses other schemes', () => {
    expect(proxyForIn(http, {http_proxy: 'proxy.lab:3128'})?.href).toBe('http://proxy.lab:3128/')
    expect(proxyForIn(http, {http_proxy: '10.0.0.1:3128'})?.href).toBe('http://10.0.0.1:3128/')
    expect(proxyForIn(http, {http_proxy: 'http://me:s%40cret@p:3128'})?.password).toBe('s%40cret')
    expect(() => proxyForIn(http, {http_proxy: 'socks5://p:1080'})).toThrow('proxy socks5://p:1080: not an http:// or https:// proxy URL')
  })

  it('goes direct to the hosts no_proxy lists: the host, its subdomains, a port, or *', () => {
    const env = {http_proxy: 'http://p:3128', https_proxy: 'http://p:3128'}
    expect(proxyForIn(http, {...env, no_proxy: 'tensorflow.org'})).toBeNull()
    expect(proxyForIn(http, {...env, no_proxy: '.tensorflow.org'})).toBeNull()
    expect(proxyForIn(http, {...env, NO_PROXY: 'localhost, download.tensorflow.org'})).toBeNull()
    expect(proxyForIn(http, {...env, no_proxy: 'flow.org'})).not.toBeNull()
    expect(proxyForIn(secure, {...env, no_proxy: 'zenodo.org:443'})).toBeNull()
    expect(proxyForIn(secure, {...env, no_proxy: 'zenodo.org:80'})).not.toBeNull()
    expect(proxyForIn(new URL('http://127.0.0.1:8080/x'), {...env, no_proxy: '127.0.0.1'})).toBeNull()
    expect(proxyForIn(secure, {...env, no_proxy: '*'})).toBeNull()
  })

  it('keeps the curl rules proxy-from-env lacks: a bare https_proxy is an http: proxy, .name covers name, blanks are unset', () => {
    expect(proxyForIn(secure, {https_proxy: 'proxy.lab:3128'})?.href).toBe('http://proxy.lab:3128/')
    expect(proxyForIn(secure, {all_proxy: 'proxy.lab:3128'})?.href).toBe('http://proxy.lab:3128/')
    expect(proxyForIn(secure, {https_proxy: 'https://proxy.lab:3128'})?.href).toBe('https://proxy.lab:3128/')
    expect(proxyForIn(secure, {https_proxy: 'http://p:3128', no_proxy: '.zenodo.org'})).toBeNull()
    expect(proxyForIn(secure, {https_proxy: 'http://p:3128', no_proxy: '.enodo.org'})).not.toBeNull()
    expect(proxyForIn(http, {http_proxy: ' ', all_proxy: 'http://all:9'})?.host).toBe('all:9')
  })

  it('never prints the credentials of a proxy URL it refuses', () => {
    expect(() => proxyForIn(http, {http_proxy: 'socks5://me:s3cret@p:1080'})).toThrow('proxy socks5://p:1080: not an http')
    expect(() => proxyForIn(http, {http_proxy: 'socks5://me:s3cret@p:1080'})).not.toThrow('s3cret')
    expect(() => proxyForIn(http, {http_proxy: 'http://me:s3cret@p:99999'})).toThrow('proxy http://p:99999: not an http')
  })
})

const TOYCAR = 'dev_data_ToyCar.zip'
/** The HTTPS tests make their server's certificate with the openssl command (Debian's openssl package). */
const HAS_OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl', '/bin/openssl'].some((path) => existsSync(path))
if (!HAS_OPENSSL) console.warn('skipped: the proxy tests over HTTPS need the openssl command to make a certificate, and it is not installed')

/** A --json run that failed as the user's error: exit code 2 and {"error": …} on stdout. */
function expectJsonError(run: {code: number; stdout: string}, text: string): void {
  expect(run.code, run.stdout).toBe(2)
  const {error} = JSON.parse(run.stdout)
  expect(error.code).toBe('user_error')
  expect(error.message).toContain(text)
}
const HAS_BUILT_CLI = existsSync(join(REPO_ROOT, 'dist/commands/download.js'))

describe.skipIf(!HAS_BUILT_CLI)('tinydata download through a proxy (built CLI, local servers)', () => {
  let files: FileServer
  let proxy: ProxyServer
  let toycar: Buffer
  const homes: string[] = []
  const freshHome = async () => {
    const home = await mkdtemp(join(tmpdir(), 'tinydata-proxy-'))
    homes.push(home)
    return home
  }
  const download = (home: string, mirror: string, env: Record<string, string>) =>
    tinydataWithEnv({TINYDATA_HOME: home, TINYDATA_OFFLINE: '', ...env}, 'download', 'ad', '--mirror', mirror, '--json')

  beforeAll(async () => {
    toycar = buildZip([{path: 'dev_data/ToyCar/test/normal_id_01_00000000.wav', bytes: randomBytes(300_000)}])
    files = await startFileServer({[TOYCAR]: toycar})
    proxy = await startProxy()
  })
  afterAll(async () => {
    await files.close()
    await proxy.close()
    await Promise.all(homes.map((home) => rm(home, {recursive: true, force: true})))
  })

  it('an http: URL goes through http_proxy as an absolute-form request', async () => {
    const home = await freshHome()
    const run = await download(home, files.url, {http_proxy: proxy.url})
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout).files[0]).toMatchObject({name: TOYCAR, status: 'downloaded'})
    expect((await readFile(join(home, 'downloads', TOYCAR))).equals(toycar)).toBe(true)
    expect(proxy.requests.at(-1)).toMatchObject({method: 'GET', target: `${files.url}${TOYCAR}`})
  })

  it('no_proxy sends the request straight to the server', async () => {
    const before = proxy.requests.length
    const run = await download(await freshHome(), files.url, {http_proxy: proxy.url, no_proxy: '127.0.0.1'})
    expect(run.code, run.stderr).toBe(0)
    expect(proxy.requests.length).toBe(before)
  })

  it('a proxy that wants credentials: 407 is a one-line error; with them in the URL, the download works', async () => {
    const guarded = await startProxy({credentials: 'lab:s3cret'})
    try {
      const refused = await download(await freshHome(), files.url, {http_proxy: guarded.url})
      expectJsonError(refused, `proxy ${guarded.url}: asks for credentials (HTTP 407) for ${files.url}${TOYCAR}`)
      const withCredentials = guarded.url.replace('http://', 'http://lab:s3cret@')
      const run = await download(await freshHome(), files.url, {http_proxy: withCredentials})
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).not.toContain('s3cret')
    } finally {
      await guarded.close()
    }
  })

  it('a proxy that is not there is named in a one-line error', async () => {
    const gone = await startProxy()
    await gone.close()
    const run = await tinydataWithEnv({TINYDATA_HOME: await freshHome(), TINYDATA_OFFLINE: '', http_proxy: gone.url}, 'download', 'ad', '--mirror', files.url)
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, `proxy ${gone.url}: cannot be reached (ECONNREFUSED)`)
  })

  describe.skipIf(!HAS_OPENSSL)('an https: URL: a CONNECT tunnel, TLS end to end', () => {
    let dir: string
    let secureServer: https.Server
    let secureUrl: string
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tinydata-tls-'))
      // A self-signed certificate for 127.0.0.1, trusted by the CLI through NODE_EXTRA_CA_CERTS.
      await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')])
      secureServer = https.createServer({key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem'))}, (request, response) => {
        if (request.url !== `/${TOYCAR}`) return void response.writeHead(404).end()
        response.writeHead(200, {'content-type': 'application/zip', 'content-length': toycar.length}).end(toycar)
      })
      await new Promise<void>((resolve) => secureServer.listen(0, '127.0.0.1', resolve))
      secureUrl = `https://127.0.0.1:${(secureServer.address() as AddressInfo).port}/`
    })
    afterAll(async () => {
      secureServer.closeAllConnections()
      await new Promise((resolve) => secureServer.close(resolve))
      await rm(dir, {recursive: true, force: true})
    })

    it('downloads through https_proxy, which sees only the host and port', async () => {
      const home = await freshHome()
      const run = await download(home, secureUrl, {https_proxy: proxy.url, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem')})
      expect(run.code, run.stderr).toBe(0)
      expect((await readFile(join(home, 'downloads', TOYCAR))).equals(toycar)).toBe(true)
      expect(proxy.requests.at(-1)).toMatchObject({method: 'CONNECT', target: new URL(secureUrl).host})
    })

    it('a tunnel refused for want of credentials is a one-line error naming the proxy', async () => {
      const guarded = await startProxy({credentials: 'lab:s3cret'})
      try {
        const run = await download(await freshHome(), secureUrl, {https_proxy: guarded.url, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem')})
        expectJsonError(run, `proxy ${guarded.url}: asks for credentials (HTTP 407) for a tunnel to ${new URL(secureUrl).host}`)
      } finally {
        await guarded.close()
      }
    })

    it('checks the certificate against the IP address asked for, not against the proxy\'s host name', async () => {
      // A certificate for localhost, trusted, served at 127.0.0.1 and reached through the proxy as localhost: it does
      // not name 127.0.0.1, so it must be refused (Node would check it against the proxy's name, left to itself).
      await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'localhost-key.pem'), '-out', join(dir, 'localhost-cert.pem')])
      const impostor = https.createServer({key: await readFile(join(dir, 'localhost-key.pem')), cert: await readFile(join(dir, 'localhost-cert.pem'))}, (_request, response) => {
        response.writeHead(200, {'content-type': 'application/zip', 'content-length': toycar.length}).end(toycar)
      })
      await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve))
      try {
        const url = `https://127.0.0.1:${(impostor.address() as AddressInfo).port}/`
        const viaLocalhost = proxy.url.replace('127.0.0.1', 'localhost')
        const run = await download(await freshHome(), url, {https_proxy: viaLocalhost, NODE_EXTRA_CA_CERTS: join(dir, 'localhost-cert.pem')})
        expectJsonError(run, `${url}${TOYCAR}: request failed (ERR_TLS_CERT_ALTNAME_INVALID`)
      } finally {
        impostor.closeAllConnections()
        await new Promise((resolve) => impostor.close(resolve))
      }
    })

    it('still checks the server\'s certificate through the tunnel', async () => {
      const run = await download(await freshHome(), secureUrl, {https_proxy: proxy.url})
      expectJsonError(run, `${secureUrl}${TOYCAR}: request failed (`)
      expect(run.stdout).toMatch(/certificate/i)
    })
  })
})

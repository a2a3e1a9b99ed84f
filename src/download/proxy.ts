/**
 * HTTP proxies, as curl and wget take them from the environment: `http_proxy` for http: URLs, `https_proxy` for
 * https: URLs, `all_proxy` for either (lower case first, then upper case), except for the hosts `no_proxy` lists.
 * An http: URL goes through the proxy as an absolute-form request; an https: URL through a CONNECT tunnel, with TLS
 * end to end, so the proxy sees only the host name.
 */

import http, {type IncomingMessage} from 'node:http'
import https from 'node:https'
import {isIP, type Socket} from 'node:net'
import tls from 'node:tls'

import {fileError, UserError} from '../errors.js'

type Environment = Record<string, string | undefined>

function variable(env: Environment, name: string): string | undefined {
  const value = env[name] ?? env[name.toUpperCase()]
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

/** The proxy to reach `url` through, or null for a direct connection. */
export function proxyFor(url: URL, env: Environment = process.env): URL | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  const setting = variable(env, url.protocol === 'https:' ? 'https_proxy' : 'http_proxy') ?? variable(env, 'all_proxy')
  if (setting === undefined || bypassesProxy(url, variable(env, 'no_proxy'))) return null
  // A bare host:port is common in these variables; it means an http: proxy.
  const proxy = URL.canParse(setting) && /^https?:$/.test(new URL(setting).protocol) ? new URL(setting) : parseBare(setting)
  return proxy
}

function parseBare(setting: string): URL {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(setting) && URL.canParse(`http://${setting}`)) return new URL(`http://${setting}`)
  throw new UserError(`proxy ${setting}: not an http:// or https:// proxy URL (from http_proxy, https_proxy or all_proxy)`)
}

/** no_proxy: comma- or space-separated host names (a leading dot or none: the host and its subdomains), `*`: all. */
function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return noProxy.split(/[\s,]+/).filter(Boolean).some((entry) => {
    if (entry === '*') return true
    const [, name, entryPort] = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry.toLowerCase()) ?? []
    if (!name || (entryPort !== undefined && entryPort !== port)) return false
    const domain = name.replace(/^\*?\./, '')
    return host === domain || host.endsWith(`.${domain}`)
  })
}

/** The proxy as it may be printed: without the credentials of `http://user:password@host`. */
export function proxyLabel(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`
}

function proxyHeaders(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {}
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
  return {'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}`}
}

function proxyPort(proxy: URL): number {
  return Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80))
}

export interface ProxiedRequestOptions {
  headers: Record<string, string>
  signal?: AbortSignal
}

/** Starts a GET of `url` through `proxy`; like http.request, the response arrives in `onResponse`. */
export function requestThroughProxy(
  url: URL, proxy: URL, options: ProxiedRequestOptions, onResponse: (response: IncomingMessage) => void,
): http.ClientRequest {
  const client = proxy.protocol === 'https:' ? https : http
  if (url.protocol === 'http:') {
    return client.request({
      host: proxy.hostname, port: proxyPort(proxy), path: url.href, signal: options.signal,
      headers: {...options.headers, host: url.host, ...proxyHeaders(proxy)},
    }, onResponse)
  }
  return https.request(url, {
    headers: options.headers,
    signal: options.signal,
    // No agent: every request opens its own tunnel (a download makes a handful of requests at most).
    createConnection: (_options: unknown, done: (error: Error | null, socket?: Socket) => void) => {
      openTunnel(proxy, url).then((socket) => done(null, socket), (error: Error) => done(error))
      return undefined
    },
  } as https.RequestOptions, onResponse)
}

/** CONNECT host:port through the proxy, then TLS to the host over that tunnel. */
function openTunnel(proxy: URL, target: URL): Promise<tls.TLSSocket> {
  const authority = `${target.hostname}:${target.port || 443}`
  return new Promise((resolve, reject) => {
    const client = proxy.protocol === 'https:' ? https : http
    const connect = client.request({
      host: proxy.hostname, port: proxyPort(proxy), method: 'CONNECT', path: authority,
      headers: {host: authority, ...proxyHeaders(proxy)},
    })
    connect.on('connect', (response: IncomingMessage, socket: Socket) => {
      if (response.statusCode !== 200) {
        socket.destroy()
        reject(proxyRefusal(proxy, response.statusCode ?? 0, `a tunnel to ${authority}`))
        return
      }
      // SNI takes a host name only; an IP address is checked against the certificate without it.
      const servername = isIP(target.hostname.replace(/^\[|\]$/g, '')) === 0 ? target.hostname : undefined
      resolve(tls.connect({socket, servername, host: target.hostname}))
    })
    connect.on('error', reject)
    connect.end()
  })
}

/** A proxy's refusal as one line: credentials wanted (407), or another status. */
export function proxyRefusal(proxy: URL, status: number, what: string): UserError {
  if (status === 407) {
    return fileError(`proxy ${proxyLabel(proxy)}`, `asks for credentials (HTTP 407) for ${what}: give them in the proxy URL, http://user:password@host:port`)
  }
  return fileError(`proxy ${proxyLabel(proxy)}`, `refused ${what} (HTTP ${status})`)
}

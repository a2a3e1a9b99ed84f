/**
 * HTTP proxies, as curl and wget take them from the environment: `http_proxy` for http: URLs, `https_proxy` for
 * https: URLs, `all_proxy` for either (lower case first, then upper case), except for the hosts `no_proxy` lists.
 * proxy-from-env applies these rules; http-proxy-agent sends an http: URL to the proxy as an absolute-form request,
 * https-proxy-agent an https: URL through a CONNECT tunnel, with TLS end to end, so the proxy sees only the host name.
 */

import type {ClientRequest} from 'node:http'
import type {RequestOptions} from 'node:https'
import {isIP} from 'node:net'
import tls from 'node:tls'

import {HttpProxyAgent} from 'http-proxy-agent'
import {HttpsProxyAgent} from 'https-proxy-agent'
import {getProxyForUrl} from 'proxy-from-env'

import {fileError, UserError} from '../errors.js'

/** The proxy to reach `url` through, or null for a direct connection. */
export function proxyFor(url: URL): URL | null {
  const written = writtenSetting(url)?.trim()
  // getProxyForUrl answers '' when no variable is set or no_proxy lists the host.
  if (!written || getProxyForUrl(url) === '' || listedByCurlNoProxyRules(url)) return null
  // proxy-from-env gives a bare host:port the URL's own scheme (TLS to the proxy for an https: URL); curl and wget
  // read it as an http: proxy.
  const setting = written.includes('://') ? written : `http://${written}`
  const proxy = URL.canParse(setting) ? new URL(setting) : undefined
  if (proxy && (proxy.protocol === 'http:' || proxy.protocol === 'https:')) return proxy
  const shown = proxy ? proxyLabel(proxy) : setting.replace(/\/\/[^/]*@/, '//')
  throw new UserError(`proxy ${shown}: not an http:// or https:// proxy URL (from http_proxy, https_proxy or all_proxy)`)
}

/**
 * The proxy setting for `url` as written: the first variable that is not blank, in proxy-from-env's order. Its answer
 * is not the setting itself because it takes a blank value for a proxy (curl ignores one) and gives a bare host:port
 * the URL's scheme.
 */
function writtenSetting(url: URL): string | undefined {
  const scheme = url.protocol.slice(0, -1)
  return [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY'].map((name) => process.env[name])
    .find((value) => value?.trim())
}

/**
 * The no_proxy rules curl has and proxy-from-env lacks: a name covers its subdomains (tensorflow.org covers
 * download.tensorflow.org) and a leading dot the name itself (.tensorflow.org covers tensorflow.org). proxy-from-env
 * matches a name exactly and .name as a suffix, so it is asked about the host's parent domains and about .host.
 */
function listedByCurlNoProxyRules(url: URL): boolean {
  const labels = url.hostname.split('.')
  const parents = labels.slice(1).map((_, index) => labels.slice(index + 1).join('.'))
  return [...parents, `.${url.hostname}`].some((host) => getProxyForUrl({protocol: url.protocol, host, port: url.port}) === '')
}

/** The proxy as it may be printed: without the credentials of `http://user:password@host`. */
export function proxyLabel(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`
}

/**
 * The request options that send a request for `url` through `proxy`, with the credentials of the proxy URL as
 * Proxy-Authorization. A new agent per request: a download makes a handful of requests at most.
 */
export function throughProxy(url: URL, proxy: URL): Pick<RequestOptions, 'agent' | 'checkServerIdentity'> {
  if (url.protocol === 'http:') return {agent: new HttpProxyAgent(proxy)}
  const authority = `${url.hostname}:${url.port || 443}`
  const agent = new HttpsProxyAgent(proxy)
  // The agent would hand the proxy's answer to the request as if the server had sent it: fail with the proxy's name.
  agent.on('proxyConnect', ({statusCode}: {statusCode: number}, request: ClientRequest) => {
    if (statusCode !== 200) request.destroy(proxyRefusal(proxy, statusCode, `a tunnel to ${authority}`))
  })
  const address = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(address) === 0) return {agent}
  // SNI cannot carry an IP address, and without it Node checks the certificate against the proxy's host name (or
  // localhost): check it against the address asked for.
  return {agent, checkServerIdentity: (_host, certificate) => tls.checkServerIdentity(address, certificate)}
}

/** A proxy's refusal as one line: credentials wanted (407), or another status. */
export function proxyRefusal(proxy: URL, status: number, what: string): UserError {
  if (status === 407) {
    return fileError(`proxy ${proxyLabel(proxy)}`, `asks for credentials (HTTP 407) for ${what}: give them in the proxy URL, http://user:password@host:port`)
  }
  return fileError(`proxy ${proxyLabel(proxy)}`, `refused ${what} (HTTP ${status})`)
}

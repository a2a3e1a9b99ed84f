import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import http, {type IncomingMessage} from 'node:http'
import https from 'node:https'
import {fileURLToPath} from 'node:url'

import {fileError, UserError} from '../errors.js'
import {TINYDATA_VERSION} from '../version.js'
import {proxyFor, proxyLabel, proxyRefusal, throughProxy} from './proxy.js'

/** The body of one response, positioned in the file it belongs to. */
export interface Transfer {
  /** The URL that answered (after redirects). */
  url: string
  /** Offset in the file of the first body byte: the requested one, or 0 when the server ignored the Range. */
  start: number
  /** The whole file's size, where the response states it (Content-Length of a 200, the total of a Content-Range). */
  totalBytes: number | undefined
  /**
   * What identifies this version of the file, for If-Range when resuming it: a strong ETag, else Last-Modified
   * (undefined for file: URLs and servers that send neither).
   */
  validator: string | undefined
  chunks: AsyncIterable<Buffer>
  close(): void
}

export interface TransferOptions {
  /** A connection that sends nothing for this long is dropped and retried. */
  stallTimeoutMs: number
  /**
   * The validator of the version the bytes before `offset` came from: sent as If-Range, so that a server whose file
   * has changed since answers 200 with the whole new file instead of the rest of another one.
   */
  ifRange?: string
  signal?: AbortSignal
}

/** A failure that another attempt may not have: a dropped or stalled connection, a 5xx, 408, 429. */
export class TransientError extends Error {
  override name = 'TransientError'
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
}

/** The .part is not a prefix of what the server sends (a Range answered from another offset, or longer than the file). */
export class RestartFromScratch extends TransientError {
  override name = 'RestartFromScratch'
}

const MAX_REDIRECTS = 10
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
/** Network errors that a later attempt can get past; anything else (TLS, DNS "not found", bad HTTP) is reported at once. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN'])
const FILE_READ_CHUNK = 1024 * 1024
/** Received bytes held while the disk catches up, before the socket is paused. */
const BODY_QUEUE_BYTES = 4 * 1024 * 1024
const RETRY_AFTER_LIMIT_MS = 60_000

/** Opens `url` (http, https or file) from byte `offset` of the file. */
export async function openTransfer(url: string, offset: number, options: TransferOptions): Promise<Transfer> {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  if (!parsed) throw fileError(url, 'is not a valid URL (check --mirror or TINYDATA_MIRROR)')
  if (parsed.protocol === 'file:') return openFile(parsed, offset, options)
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return openHttp(parsed, offset, options, MAX_REDIRECTS)
  throw fileError(url, `unsupported URL scheme ${parsed.protocol} (use http, https or file)`)
}

async function openFile(url: URL, offset: number, options: TransferOptions): Promise<Transfer> {
  const path = fileURLToPath(url)
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw fileError(url.href, error.code === 'ENOENT' ? 'not found in the mirror folder' : `cannot be read (${error.code ?? error.message})`)
  })
  if (!info.isFile()) throw fileError(url.href, 'is not a file')
  // A .part longer than the mirror's file cannot be its prefix: start over, as with a server that ignores Range.
  const start = offset <= info.size ? offset : 0
  const stream = createReadStream(path, {start, highWaterMark: FILE_READ_CHUNK, signal: options.signal})
  return {url: url.href, start, totalBytes: info.size, validator: undefined, chunks: fileChunks(stream, url.href, options), close: () => stream.destroy()}
}

async function* fileChunks(stream: AsyncIterable<Buffer>, url: string, options: TransferOptions): AsyncGenerator<Buffer> {
  try {
    yield* stream
  } catch (error) {
    if (options.signal?.aborted) throw error
    throw fileError(url, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
}

async function openHttp(url: URL, offset: number, options: TransferOptions, redirectsLeft: number): Promise<Transfer> {
  const state = {stalled: false}
  const proxy = proxyFor(url)
  const response = await request(url, proxy, offset, options, state)
  const status = response.statusCode ?? 0
  const location = response.headers.location
  if (REDIRECT_STATUSES.has(status) && location) {
    response.destroy()
    if (redirectsLeft === 0) throw fileError(url.href, `more than ${MAX_REDIRECTS} redirects`)
    const target = URL.canParse(location, url.href) ? new URL(location, url) : undefined
    if (!target) throw fileError(url.href, `redirects to ${location}, which is not a valid URL`)
    // A server may not send the download to a local file (file:) or to a protocol this client does not speak.
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw fileError(url.href, `redirects to ${target.href}, which is not an http or https URL; only those are followed`)
    }
    return openHttp(target, offset, options, redirectsLeft - 1)
  }
  if (status === 407 && proxy) {
    response.destroy()
    throw proxyRefusal(proxy, status, url.href)
  }
  if (status === 408 || status === 429 || status >= 500) {
    response.destroy()
    throw new TransientError(`HTTP ${status} ${response.statusMessage ?? ''}`.trim(), retryAfterMs(response.headers['retry-after']))
  }
  if (status === 416) {
    // The .part is at least as long as the file: complete if the total matches it (the caller checks), else too long.
    response.destroy()
    const total = /\/(\d+)$/.exec(response.headers['content-range'] ?? '')
    if (!total) throw new RestartFromScratch(`HTTP 416 for a .part of ${offset} bytes, without the file's size`)
    return {url: url.href, start: offset, totalBytes: Number(total[1]), validator: options.ifRange, chunks: noChunks(), close: () => undefined}
  }
  if (status !== 200 && status !== 206) {
    response.destroy()
    throw fileError(url.href, `HTTP ${status} ${response.statusMessage ?? ''}`.trim())
  }
  const contentType = response.headers['content-type'] ?? ''
  if (/^\s*(text\/html|application\/xhtml)/i.test(contentType)) {
    response.destroy()
    throw htmlError(url.href, contentType)
  }
  const close = () => response.destroy()
  const chunks = bodyChunks(response, url.href, options, state)
  const validator = validatorOf(response)
  if (status === 200) {
    const length = response.headers['content-length']
    return {url: url.href, start: 0, totalBytes: length === undefined ? undefined : Number(length), validator, chunks, close}
  }
  const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers['content-range'] ?? '')
  if (!range) {
    response.destroy()
    throw fileError(url.href, `answered 206 with an unreadable Content-Range (${response.headers['content-range'] ?? 'none'})`)
  }
  return {url: url.href, start: Number(range[1]), totalBytes: range[3] === '*' ? undefined : Number(range[3]), validator, chunks, close}
}

/** A strong ETag (If-Range may not use a weak one, W/"…"), else Last-Modified. */
function validatorOf(response: IncomingMessage): string | undefined {
  const etag = response.headers.etag
  if (etag && !etag.startsWith('W/')) return etag
  return response.headers['last-modified']
}

function request(url: URL, proxy: URL | null, offset: number, options: TransferOptions, state: {stalled: boolean}): Promise<IncomingMessage> {
  // identity: a .tar.gz must be stored as published, never transfer-decoded (curl and wget behave the same).
  const headers: Record<string, string> = {'user-agent': `tinydata/${TINYDATA_VERSION}`, 'accept-encoding': 'identity'}
  if (offset > 0) headers.range = `bytes=${offset}-`
  if (offset > 0 && options.ifRange) headers['if-range'] = options.ifRange
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const outgoing = client.request(url, {headers, signal: options.signal, ...(proxy && throughProxy(url, proxy))}, resolve)
    // The socket's idle timeout covers both a server that never answers and a body that stops flowing.
    outgoing.setTimeout(options.stallTimeoutMs, () => {
      state.stalled = true
      outgoing.destroy(new TransientError(stallMessage(options)))
    })
    outgoing.on('error', (error: Error & {code?: string}) => {
      // A proxy that cannot be reached is the proxy's fault, not the file's: say which proxy.
      const unreachable = proxy && (error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND')
      if (unreachable) reject(fileError(`proxy ${proxyLabel(proxy)}`, `cannot be reached (${error.code}); check http_proxy, https_proxy and no_proxy`))
      else reject(error instanceof UserError ? error : networkError(error, url.href, options)) // a tunnel the proxy refused (throughProxy)
    })
    outgoing.end()
  })
}

/**
 * The body as it arrives. Read in flowing mode rather than with the stream's async iterator, which discards the
 * chunks still buffered when the connection drops: every byte received reaches the .part, and a resumed download
 * asks only for the bytes after them. The listeners are attached at once, so an error before reading starts is kept.
 */
function bodyChunks(response: IncomingMessage, url: string, options: TransferOptions, state: {stalled: boolean}): AsyncIterable<Buffer> {
  const queue: Buffer[] = []
  let queuedBytes = 0
  let ended = false
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }
  const fail = (error: Error) => {
    failure ??= state.stalled ? new TransientError(stallMessage(options)) : networkError(error, url, options)
    notify()
  }
  response.on('data', (chunk: Buffer) => {
    queue.push(chunk)
    queuedBytes += chunk.length
    if (queuedBytes >= BODY_QUEUE_BYTES) response.pause()
    notify()
  })
  response.on('end', () => {
    ended = true
    notify()
  })
  response.on('error', fail)
  response.on('close', () => {
    if (!ended) fail(Object.assign(new Error('connection closed before the end of the body'), {code: 'ECONNRESET'}))
  })
  return {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<Buffer>> => {
        for (;;) {
          const chunk = queue.shift()
          if (chunk) {
            queuedBytes -= chunk.length
            if (queuedBytes < BODY_QUEUE_BYTES && response.isPaused()) response.resume()
            return {value: chunk, done: false}
          }
          if (failure) throw failure
          if (ended) return {value: undefined, done: true}
          await new Promise<void>((resolve) => (wake = resolve))
        }
      },
      return: async (): Promise<IteratorResult<Buffer>> => {
        response.destroy()
        return {value: undefined, done: true}
      },
    }),
  }
}

function networkError(error: Error & {code?: string}, url: string, options: TransferOptions): Error {
  if (options.signal?.aborted || error instanceof TransientError) return error
  if (error.code === 'ENOTFOUND') return fileError(url, 'host not found (no network here? --mirror fetches from a local server or folder, --offline uses the cache only)')
  if (error.code && TRANSIENT_CODES.has(error.code)) return new TransientError(`${error.code}: ${error.message}`)
  return fileError(url, `request failed (${error.code ? `${error.code}: ` : ''}${error.message})`)
}

async function* noChunks(): AsyncGenerator<Buffer> {}

function stallMessage(options: TransferOptions): string {
  return `no data for ${options.stallTimeoutMs / 1000} s`
}

export function htmlError(url: string, what: string): UserError {
  return fileError(url, `answered with an HTML page (${what}), not the archive: a wrong URL or mirror, or a login or error page`)
}

/** Retry-After in seconds (the HTTP-date form is rare for downloads and ignored), capped so a run never waits long. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (!header || !/^\d+$/.test(header.trim())) return undefined
  return Math.min(Number(header) * 1000, RETRY_AFTER_LIMIT_MS)
}

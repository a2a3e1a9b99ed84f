import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/** What the server does to one request instead of (or while) serving the file. */
export type Fault =
  /** Sends the headers of the full answer and `afterBytes` of the body, then drops the connection. */
  | {kind: 'drop'; afterBytes: number}
  /** Answers this status with a short text body (503, 404, …). */
  | {kind: 'status'; status: number}
  /** Ignores the Range header: 200 with the whole file. */
  | {kind: 'ignore-range'}
  /** 200 with an HTML page and Content-Type text/html (a login or error page). */
  | {kind: 'html'}
  /** 200 with an HTML page sent as application/octet-stream (a misconfigured server). */
  | {kind: 'html-body'}
  /** Sends `afterBytes` of the body, then nothing more, keeping the connection open. */
  | {kind: 'stall'; afterBytes: number}
  /** Sends the body in pieces of `chunkBytes`, `delayMs` apart. */
  | {kind: 'slow'; chunkBytes: number; delayMs: number}
  /** Serves these bytes instead of the file (a wrong size, a wrong checksum). */
  | {kind: 'body'; bytes: Buffer}
  /** Sends the body without Content-Length (chunked), so the client cannot know the size in advance. */
  | {kind: 'no-length'}
  /** Answers 302 to this path of the same server. */
  | {kind: 'redirect'; to: string}

export interface ServedRequest {
  file: string
  range: string | undefined
  ifRange: string | undefined
  status: number
  /** Bytes of the served file (not of error pages) written to the socket. */
  bodyBytes: number
}

export interface FileServer {
  /** Base URL with a trailing slash: `<url><file name>` fetches a file. */
  url: string
  requests: ServedRequest[]
  /** Faults for the next requests of `file`, one per request, in order; later requests are served normally. */
  inject(file: string, ...faults: Fault[]): void
  /** Serves new bytes under `file` from now on (a publisher replacing a file): its ETag changes with them. */
  replace(file: string, bytes: Buffer): void
  bodyBytesServed(file: string): number
  /** Requests in flight at most at the same time, since the server started. */
  maxConcurrent(): number
  close(): Promise<void>
}

/**
 * A real HTTP server on 127.0.0.1 (a free port) serving `files` by name, with Range support, a strong ETag per file
 * version (If-Range with another ETag gets the whole file, as RFC 9110 says) and scripted faults.
 */
export async function startFileServer(initialFiles: Record<string, Buffer>): Promise<FileServer> {
  const files = {...initialFiles}
  const versions = new Map<string, number>()
  const etagOf = (file: string) => `"${file}-v${versions.get(file) ?? 1}"`
  const faults = new Map<string, Fault[]>()
  const requests: ServedRequest[] = []
  let inFlight = 0
  let maxInFlight = 0
  const timers = new Set<NodeJS.Timeout>()

  const server = createServer((request, response) => {
    const file = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.slice(1))
    const ifRange = request.headers['if-range'] as string | undefined
    const served: ServedRequest = {file, range: request.headers.range, ifRange, status: 0, bodyBytes: 0}
    requests.push(served)
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    response.on('close', () => inFlight--)
    const fault = faults.get(file)?.shift()
    const bytes = fault?.kind === 'body' ? fault.bytes : files[file]
    if (fault?.kind === 'redirect') return answer(response, served, 302, 'moved', {location: `/${fault.to}`})
    if (fault?.kind === 'status') return answer(response, served, fault.status, `status ${fault.status}`)
    if (fault?.kind === 'html' || fault?.kind === 'html-body') {
      const type = fault.kind === 'html' ? 'text/html; charset=utf-8' : 'application/octet-stream'
      return answer(response, served, 200, '<!DOCTYPE html>\n<html><body>Please log in</body></html>\n', {'content-type': type})
    }
    if (!bytes) return answer(response, served, 404, 'not found')
    const start = fault?.kind === 'ignore-range' || (ifRange !== undefined && ifRange !== etagOf(file)) ? 0 : rangeStart(request)
    if (start !== 0 && start >= bytes.length) {
      return answer(response, served, 416, '', {'content-range': `bytes */${bytes.length}`})
    }
    const headers: Record<string, string | number> = {'content-type': 'application/octet-stream', etag: etagOf(file)}
    if (fault?.kind !== 'no-length') headers['content-length'] = bytes.length - start
    if (start > 0) headers['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`
    served.status = start > 0 ? 206 : 200
    response.writeHead(served.status, headers)
    const body = bytes.subarray(start)
    const send = (piece: Buffer) => {
      served.bodyBytes += piece.length
      response.write(piece)
    }
    if (fault?.kind === 'drop' || fault?.kind === 'stall') {
      send(body.subarray(0, fault.afterBytes))
      if (fault.kind === 'drop') response.socket?.end(() => response.socket?.destroy())
      return
    }
    if (fault?.kind === 'slow') {
      let offset = 0
      const next = () => {
        if (response.destroyed) return
        send(body.subarray(offset, offset + fault.chunkBytes))
        offset += fault.chunkBytes
        if (offset >= body.length) return void response.end()
        const timer = setTimeout(() => {
          timers.delete(timer)
          next()
        }, fault.delayMs)
        timers.add(timer)
      }
      return next()
    }
    served.bodyBytes += body.length
    response.end(body)
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    inject: (file, ...list) => faults.set(file, [...(faults.get(file) ?? []), ...list]),
    replace: (file, bytes) => {
      files[file] = bytes
      versions.set(file, (versions.get(file) ?? 1) + 1)
    },
    bodyBytesServed: (file) => requests.filter((served) => served.file === file).reduce((sum, served) => sum + served.bodyBytes, 0),
    maxConcurrent: () => maxInFlight,
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function rangeStart(request: IncomingMessage): number {
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '')
  return match ? Number(match[1]) : 0
}

function answer(response: ServerResponse, served: ServedRequest, status: number, text: string, headers: Record<string, string> = {}): void {
  served.status = status
  const body = Buffer.from(text)
  response.writeHead(status, {'content-type': 'text/plain', 'content-length': body.length, ...headers})
  response.end(body)
}

import http, {type IncomingMessage, type ServerResponse} from 'node:http'
import net, {type AddressInfo} from 'node:net'

export interface ProxiedRequest {
  /** GET (an absolute-form request for an http: URL) or CONNECT (a tunnel for an https: URL). */
  method: string
  /** The absolute URL of a GET, the host:port of a CONNECT. */
  target: string
  authorization: string | undefined
}

export interface ProxyServer {
  url: string
  requests: ProxiedRequest[]
  close(): Promise<void>
}

/**
 * A forward HTTP proxy on 127.0.0.1, as a lab's would be: absolute-form requests are forwarded, CONNECT opens a TCP
 * tunnel. With `credentials` ("user:password"), a request without them gets 407.
 */
export async function startProxy(options: {credentials?: string} = {}): Promise<ProxyServer> {
  const requests: ProxiedRequest[] = []
  const sockets = new Set<net.Socket>()
  const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined
  const admitted = (request: IncomingMessage): boolean => {
    const authorization = request.headers['proxy-authorization']
    requests.push({method: request.method ?? '', target: request.url ?? '', authorization})
    return expected === undefined || authorization === expected
  }

  const server = http.createServer((request: IncomingMessage, response: ServerResponse) => {
    if (!admitted(request)) {
      response.writeHead(407, {'proxy-authenticate': 'Basic realm="lab"'}).end('credentials, please')
      return
    }
    const target = new URL(request.url ?? '')
    const headers = {...request.headers}
    delete headers['proxy-authorization']
    const upstream = http.request(target, {method: request.method, headers}, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(response)
    })
    upstream.on('error', () => response.destroy())
    request.pipe(upstream)
  })
  server.on('connect', (request: IncomingMessage, client: net.Socket) => {
    sockets.add(client)
    if (!admitted(request)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n')
      return
    }
    const [host, port] = (request.url ?? '').split(':')
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  server.on('connection', (socket: net.Socket) => sockets.add(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    }),
  }
}

import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Pem } from './tls-lab.js';

/**
 * A loopback HTTP/1.1 server for the module's HTTP client, speaking raw bytes so a test decides
 * every byte of each answer (its head, chunked framing, truncation, stalls). It reads each request
 * (head, then a Content-Length body) and hands it to the test's responder; with `tls` it is HTTPS.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Header lines as sent, in order (`Name: value`). */
  readonly headerLines: readonly string[];
  readonly body: Buffer;
  /** The whole request as received. */
  readonly raw: Buffer;
}

export type Responder = (socket: Socket, request: RecordedRequest) => void;

/** `HTTP/1.1 <status> <reason>`, the header lines, an empty line, the body. */
export function rawResponse(status: string, headers: readonly string[], body: string | Buffer = ''): Buffer {
  const head = Buffer.from(`HTTP/1.1 ${status}\r\n${headers.map((line) => `${line}\r\n`).join('')}\r\n`, 'latin1');
  return Buffer.concat([head, typeof body === 'string' ? Buffer.from(body, 'latin1') : body]);
}

export function header(request: RecordedRequest, name: string): string | undefined {
  const line = request.headerLines.find((text) => text.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(line.indexOf(':') + 1).trim();
}

export class HttpLab {
  readonly requests: RecordedRequest[] = [];
  readonly sockets: Socket[] = [];

  private constructor(
    readonly server: TcpServer,
    private readonly respond: Responder,
  ) {}

  static async start(respond: Responder, options: { tls?: Pem } = {}): Promise<HttpLab> {
    const server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }) : createTcpServer();
    const lab = new HttpLab(server, respond);
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => lab.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return lab;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  private accept(socket: Socket): void {
    this.sockets.push(socket);
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const [method, path] = lines[0].split(' ');
        const headerLines = lines.slice(1);
        const lengthLine = headerLines.find((line) => line.toLowerCase().startsWith('content-length:'));
        const length = lengthLine === undefined ? 0 : Number(lengthLine.slice(15).trim());
        if (buffer.length < end + 4 + length) return;
        const raw = buffer.subarray(0, end + 4 + length);
        const request = { method, path, headerLines, body: raw.subarray(end + 4), raw };
        buffer = buffer.subarray(raw.length);
        this.requests.push(request);
        this.respond(socket, request);
      }
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

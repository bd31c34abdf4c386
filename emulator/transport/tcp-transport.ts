import * as net from 'node:net';
import type { ModuleTransport } from './types.js';
import type { ChunkSender } from './output-pump.js';
import { QueuedTransport } from './queued-transport.js';
import { Rfc2217Session } from './rfc2217.js';
import { escapeTelnetData } from './telnet-codec.js';

export type TcpProtocol = 'raw' | 'rfc2217';

export interface TcpTransportOptions {
  /** Interface to bind. Default 127.0.0.1: a virtual module is not offered to the network unless asked. */
  readonly host?: string;
  /** 0 picks a free port (see `port` / `address` on the result). */
  readonly port: number;
  /** `raw` = pyserial `socket://` (bytes as is); `rfc2217` = Telnet + COM-PORT-OPTION. Default raw. */
  readonly protocol?: TcpProtocol;
  /** Bound of the output queue (bytes not yet handed to the socket). Default 64 KiB. */
  readonly maxQueuedBytes?: number;
  /** What an RFC 2217 baud query answers before the host sets a rate. Default 115200. */
  readonly baudRate?: number;
}

export type TcpTransport = ModuleTransport & { readonly port: number; readonly protocol: TcpProtocol };

/** What a second host is told before being disconnected: a UART has one other end. */
export const HOST_ALREADY_ATTACHED_LINE = 'copro: this virtual module already has a host attached\r\n';

/** Refused connections get this long to read the line and leave before we cut them. */
const REFUSED_LINGER_MS = 2000;

/**
 * The module's UART served over TCP, one host at a time. A second client gets one polite line
 * and is closed; the first carries on. With no client attached, output waits in the bounded
 * queue (oldest dropped beyond the bound, like a UART nobody listens to) and the next client
 * receives what is left. host-attached / host-detached events follow the connection.
 */
export async function openTcpTransport(options: TcpTransportOptions): Promise<TcpTransport> {
  const host = options.host ?? '127.0.0.1';
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException): void =>
      reject(new Error(`cannot listen on ${formatHostPort(host, options.port)}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`));
    server.once('error', fail);
    server.listen({ host, port: options.port }, () => {
      server.off('error', fail);
      resolve();
    });
  });
  return new TcpTransportImpl(server, host, options);
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

class TcpTransportImpl extends QueuedTransport {
  readonly address: string;
  readonly port: number;
  readonly protocol: TcpProtocol;
  private client: net.Socket | null = null;
  private session: Rfc2217Session | null = null;
  private readonly refused = new Set<net.Socket>();
  private readonly initialBaud: number;
  private inputPaused = false;

  constructor(
    private readonly server: net.Server,
    host: string,
    options: TcpTransportOptions,
  ) {
    super(options.maxQueuedBytes);
    this.protocol = options.protocol ?? 'raw';
    this.port = (server.address() as net.AddressInfo).port;
    this.address = `${this.protocol === 'raw' ? 'socket' : 'rfc2217'}://${formatHostPort(host, this.port)}`;
    this.initialBaud = options.baudRate ?? 115200;
    server.on('connection', (socket) => this.accept(socket));
    server.on('error', () => undefined);
  }

  /** The client is read while someone listens and the front end does not hold it back. */
  protected sinkSet(): void {
    if (!this.inputPaused) this.client?.resume();
  }

  /** Stops reading the client: its bytes wait in the socket buffers, then its TCP window closes. */
  pauseInput(): void {
    this.inputPaused = true;
    this.client?.pause();
  }

  resumeInput(): void {
    this.inputPaused = false;
    if (this.sink) this.client?.resume();
  }

  async hostBaudRate(): Promise<number | null> {
    return this.session?.baudRate ?? null;
  }

  private accept(socket: net.Socket): void {
    socket.on('error', () => undefined);
    if (this.isClosed) {
      socket.destroy();
      return;
    }
    if (this.client) return this.refuse(socket);
    socket.setNoDelay(true);
    this.client = socket;
    const sender = this.senderFor(socket);
    if (this.protocol === 'rfc2217') {
      this.session = new Rfc2217Session(
        {
          send: (bytes) => socket.write(bytes),
          data: (bytes) => this.deliver(bytes),
          control: (event) => this.emitControl(event),
          purgeOutput: () => this.pump.purge(),
          suspendOutput: (suspended) => this.pump.attach(suspended ? null : sender),
        },
        this.initialBaud,
      );
    }
    const session = this.session;
    socket.on('data', (chunk: Buffer) => {
      if (session) session.receive(chunk);
      else this.deliver(chunk);
    });
    socket.on('close', () => this.detach(socket));
    // Nobody to hand the host's bytes to yet: leave them in the socket until setSink().
    if (!this.sink || this.inputPaused) socket.pause();
    this.pump.attach(sender);
    this.emitControl({ type: 'host-attached' });
  }

  private refuse(socket: net.Socket): void {
    this.refused.add(socket);
    // A client that never closes its side must not hold an fd here forever.
    const linger = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
    linger.unref();
    socket.on('close', () => {
      clearTimeout(linger);
      this.refused.delete(socket);
    });
    socket.resume(); // discard what it sends, so closing does not turn into a reset
    socket.end(HOST_ALREADY_ATTACHED_LINE);
  }

  private detach(socket: net.Socket): void {
    if (this.client !== socket) return;
    this.client = null;
    this.session = null;
    this.pump.attach(null);
    this.emitControl({ type: 'host-detached' });
  }

  /** Hands chunks to the socket, waiting for 'drain' when its buffer is above the mark. */
  private senderFor(socket: net.Socket): ChunkSender {
    const telnet = this.protocol === 'rfc2217';
    return (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed || !socket.writable) return reject(new Error('host gone'));
        if (socket.write(telnet ? escapeTelnetData(chunk) : chunk)) return resolve();
        const settle = (): void => {
          socket.off('drain', settle);
          socket.off('close', settle);
          if (socket.destroyed) reject(new Error('host gone'));
          else resolve();
        };
        socket.on('drain', settle);
        socket.on('close', settle);
      });
  }

  protected async shutdown(): Promise<void> {
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.client?.destroy();
    for (const socket of this.refused) socket.destroy();
    await this.pump.stop();
    await serverClosed;
  }
}

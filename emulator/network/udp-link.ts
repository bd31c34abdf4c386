import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { StackError, type Endpoint, type VirtualLink } from './types.js';
import { LinkBase } from './link-base.js';
import { errorCode, isValidPort, toStackError } from './errors.js';

/** While paused, datagrams are kept up to this many bytes (the firmware's passive receive window), then dropped. */
export const UDP_PAUSE_BUFFER_BYTES = 5760;

/** Where module traffic may go; the stack's outbound policy. */
export type DestinationCheck = (to: Endpoint) => boolean;

export interface UdpOpenRequest {
  readonly remote: Endpoint;
  /** The module-side local port; 0 or absent = ephemeral. */
  readonly localPort?: number;
  readonly permits?: DestinationCheck;
  readonly pauseBufferBytes?: number;
  readonly addresses?: AddressTranslation;
}

/**
 * Between the addresses the module sees and the host's (radio-air.ts): where a datagram to `to` really
 * goes (null: nowhere, it is lost as on air), and who a datagram from a host endpoint is.
 */
export interface AddressTranslation {
  toHost(to: Endpoint): Endpoint | null;
  fromHost(from: Endpoint): Endpoint;
}

const SAME_ADDRESSES: AddressTranslation = { toHost: (to) => to, fromHost: (from) => from };

/**
 * A UDP "link" of the module: one unconnected dgram socket on 0.0.0.0 (a module's UDP socket hears
 * whoever sends to it, and it must be able to send to any address, which a socket bound to 127.0.0.1
 * cannot). Every datagram is delivered with its sender; the front end decides what its UDP mode does with
 * it (and calls setRemote). The host port is the module's requested port when free, otherwise an
 * ephemeral one (host-mapping.md); `localPort` always reports the module's port.
 * Datagrams are lossy: while paused (or before setHandlers) they are kept up to a byte bound, then dropped.
 */
export class UdpLink extends LinkBase implements VirtualLink {
  readonly kind = 'udp' as const;
  readonly accepted = false;
  private current: Endpoint;
  private paused = false;
  private readonly held: Array<{ data: Buffer; from: Endpoint }> = [];
  private heldBytes = 0;
  /** 4 or 6: the family of the socket, the only one it sends to (an IPv6 link is a UDPv6 one). */
  private readonly family: number;

  constructor(
    private readonly socket: Socket,
    remote: Endpoint,
    readonly localPort: number,
    private readonly permits: DestinationCheck = () => true,
    private readonly pauseBufferBytes = UDP_PAUSE_BUFFER_BYTES,
    private readonly addresses: AddressTranslation = SAME_ADDRESSES,
  ) {
    super();
    this.current = remote;
    this.family = socket.address().family === 'IPv6' ? 6 : 4;
    socket.on('message', (data: Buffer, rinfo: RemoteInfo) =>
      this.arrived(data, this.addresses.fromHost({ ip: rinfo.address, port: rinfo.port })),
    );
    socket.on('error', (error) => this.end('error', toStackError(error, 'udp socket')));
  }

  get remote(): Endpoint {
    return this.current;
  }

  /** The host port the socket really has (may differ from localPort); null once closed. */
  get hostPort(): number | null {
    try {
      return this.socket.address().port;
    } catch {
      return null; // closed
    }
  }

  setRemote(remote: Endpoint): void {
    this.current = { ip: remote.ip, port: remote.port };
  }

  send(data: Uint8Array): Promise<void> {
    return this.sendTo(data, this.current);
  }

  sendTo(data: Uint8Array, to: Endpoint): Promise<void> {
    if (!this.isOpen) return Promise.reject(new StackError('closed', 'link is closed'));
    if (isIP(to.ip) !== this.family || !isValidPort(to.port)) {
      return Promise.reject(new StackError('io', `invalid destination ${to.ip}:${to.port}`));
    }
    if (!this.permits(to)) return Promise.reject(new StackError('denied', `outbound policy denies ${to.ip}:${to.port}`));
    const via = this.addresses.toHost(to);
    if (via === null) return Promise.resolve(); // nobody there: sent, and lost
    return new Promise<void>((resolve, reject) => {
      try {
        this.socket.send(Buffer.from(data), via.port, via.ip, (error) => {
          if (error) reject(toStackError(error, `send to ${to.ip}:${to.port}`));
          else resolve();
        });
      } catch (error) {
        reject(toStackError(error, `send to ${to.ip}:${to.port}`));
      }
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.drain();
  }

  close(): void {
    this.end('local');
  }

  abort(reason: 'local' | 'error', error?: StackError): void {
    this.end(reason, error);
  }

  protected handlersAttached(): void {
    this.drain();
  }

  private arrived(data: Buffer, from: Endpoint): void {
    if (!this.isOpen) return;
    if (this.paused || this.handlers === null || this.held.length > 0) {
      if (this.heldBytes + data.length > this.pauseBufferBytes) return; // dropped, as lwIP drops on a full mbox
      this.held.push({ data, from });
      this.heldBytes += data.length;
      return;
    }
    this.handlers.onData(data, from);
  }

  /** Delivers held datagrams in order until done or paused again by a handler. */
  private drain(): void {
    while (this.isOpen && !this.paused && this.handlers !== null && this.held.length > 0) {
      const next = this.held.shift()!;
      this.heldBytes -= next.data.length;
      this.handlers.onData(next.data, next.from);
    }
  }

  private end(reason: 'local' | 'error', error?: StackError): void {
    if (!this.isOpen) return;
    this.held.length = 0;
    this.heldBytes = 0;
    try {
      this.socket.close();
    } catch {
      /* already closed by the error that ends us */
    }
    this.finish(reason, error);
  }
}

/** Binds a UDP socket for the module: its requested port if the host has it free, else any port. */
export async function openUdpLink(request: UdpOpenRequest): Promise<UdpLink> {
  const requested = request.localPort ?? 0;
  if (!Number.isInteger(requested) || requested < 0 || requested > 65535) {
    throw new StackError('io', `invalid local port ${requested}`);
  }
  // A UDPv6 link (an IPv6 remote) gets an IPv6 socket.
  const family = isIP(request.remote.ip) === 6 ? 6 : 4;
  let socket: Socket;
  try {
    socket = await bindUdp(requested, family);
  } catch (error) {
    const code = errorCode(error);
    if (requested === 0 || (code !== 'EADDRINUSE' && code !== 'EACCES')) throw toStackError(error, 'udp bind');
    socket = await bindUdp(0, family);
  }
  const localPort = requested === 0 ? socket.address().port : requested;
  return new UdpLink(socket, request.remote, localPort, request.permits, request.pauseBufferBytes, request.addresses);
}

function bindUdp(port: number, family: 4 | 6): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    // A fresh socket per attempt: a dgram socket whose bind failed is not reusable.
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', reuseAddr: false, ...(family === 6 ? { ipv6Only: true } : {}) });
    const onError = (error: Error): void => {
      try {
        socket.close();
      } catch {
        /* never bound: nothing to close */
      }
      reject(error);
    };
    socket.once('error', onError);
    socket.bind({ port, address: family === 6 ? '::' : '0.0.0.0', exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

import { connect, isIP, type Socket } from 'node:net';
import { StackError, type Endpoint, type TcpConnectOptions, type VirtualLink } from './types.js';
import { LinkBase } from './link-base.js';
import { isPeerReset, isValidPort, toStackError } from './errors.js';

/** After close(), how long the peer gets to take our last bytes and FIN before the socket is destroyed. */
const CLOSE_GRACE_MS = 2000;

export interface TcpLinkInit {
  readonly socket: Socket;
  readonly remote: Endpoint;
  /** The port the module reports: the server's module port for accepted links. */
  readonly localPort: number;
  readonly accepted: boolean;
  /** 'tls' when the socket is a tls.TLSSocket (the stream behaves the same). Default 'tcp'. */
  readonly kind?: 'tcp' | 'tls';
}

/**
 * A TCP connection of the module over a real node:net socket (also the stream of a TLS link: a
 * tls.TLSSocket is a net.Socket, see tls-link.ts).
 *
 * - send() resolves when the kernel took the bytes (the socket.write callback) — what SEND OK means; it
 *   waits while the peer's window is closed, so flow control reaches the host as it would the firmware.
 * - pause()/resume() stop and restart reading from the kernel: the receive window closes and the peer's
 *   writes stall for real.
 * - A peer's FIN ends the link: ESP-AT has no half-close (lwIP's recv callback with no data makes the
 *   firmware close the link and print CLOSED). It is reported once every byte before it was delivered
 *   (so while paused the FIN waits too): we send our FIN and report onClose('peer'). A peer's RST is
 *   onClose('peer', StackError('reset')); anything else is onClose('error', …).
 * - Until setHandlers the socket is paused, so nothing is lost between creation and the front end's setup.
 */
export class TcpLink extends LinkBase implements VirtualLink {
  readonly kind: 'tcp' | 'tls';
  readonly remote: Endpoint;
  readonly localPort: number;
  readonly accepted: boolean;
  private readonly socket: Socket;
  private paused = false;
  private graceTimer: NodeJS.Timeout | null = null;

  constructor(init: TcpLinkInit) {
    super();
    this.kind = init.kind ?? 'tcp';
    this.socket = init.socket;
    this.remote = init.remote;
    this.localPort = init.localPort;
    this.accepted = init.accepted;
    const socket = this.socket;
    socket.pause(); // before the 'data' listener, which would otherwise start the flow
    socket.on('data', (chunk: Buffer) => {
      if (this.isOpen) this.handlers?.onData(chunk, this.remote);
    });
    socket.on('end', () => {
      if (this.finish('peer')) socket.end();
    });
    socket.on('error', (error) => {
      if (isPeerReset(error)) this.finish('peer', new StackError('reset', `connection reset by ${describe(this.remote)}`));
      else this.finish('error', toStackError(error, `link to ${describe(this.remote)}`));
    });
    socket.on('close', () => {
      this.clearGrace();
      this.finish('error', new StackError('io', `socket to ${describe(this.remote)} closed`));
    });
  }

  send(data: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new StackError('closed', 'link is closed'));
    if (data.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      // A copy: the caller may reuse its buffer as soon as we return.
      this.socket.write(Buffer.from(data), (error) => {
        if (error) reject(toStackError(error, `send to ${describe(this.remote)}`));
        else resolve();
      });
    });
  }

  sendTo(): Promise<void> {
    return Promise.reject(new StackError('io', 'sendTo is for UDP links'));
  }

  /** A TCP peer cannot change; ignored. */
  setRemote(): void {}

  pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    this.paused = false;
    if (this.handlers !== null) this.socket.resume();
  }

  /** Orderly close: queued bytes go out, then our FIN; the peer gets CLOSE_GRACE_MS to finish. */
  close(): void {
    if (!this.isOpen) return;
    const socket = this.socket;
    socket.end();
    // Keep reading (and dropping) so the peer's FIN is seen and the socket can close by itself.
    socket.resume();
    this.graceTimer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    this.graceTimer.unref();
    this.finish('local');
  }

  /** Destroys the socket now (even after an orderly close still under way); onClose only if still open. */
  abort(reason: 'local' | 'error', error?: StackError): void {
    this.clearGrace();
    this.socket.destroy();
    this.finish(reason, error);
  }

  /** Ends an accepted link the front end refused, without telling anyone: it never existed for them. */
  discard(): void {
    this.handlers = null;
    this.abort('local');
  }

  protected handlersAttached(): void {
    if (!this.paused) this.socket.resume();
  }

  private clearGrace(): void {
    if (this.graceTimer !== null) clearTimeout(this.graceTimer);
    this.graceTimer = null;
  }
}

function describe(endpoint: Endpoint): string {
  return `${endpoint.ip}:${endpoint.port}`;
}

/**
 * Opens a TCP connection. `options.host` must be an IPv4 address (names go through the resolver first).
 * `timeoutMs` > 0 is the connect deadline (StackError('timeout')); otherwise the kernel's own applies.
 */
/** How a routed connection (radio-air.ts) is seen: the remote it reports, and its host source port as soon as it has one. */
export interface RoutedConnect {
  readonly reportAs: Endpoint;
  readonly onLocalPort: (port: number) => void;
}

export function connectTcpLink(options: TcpConnectOptions, routed?: RoutedConnect): Promise<TcpLink> {
  const { host, port, timeoutMs, keepAliveSec } = options;
  if (isIP(host) === 0) return Promise.reject(new StackError('io', `not an IP address: ${host}`));
  if (!isValidPort(port)) return Promise.reject(new StackError('io', `invalid port ${port}`));
  const keepAlive = keepAliveSec !== undefined && keepAliveSec > 0;
  return new Promise<TcpLink>((resolve, reject) => {
    const socket = connect({
      host,
      port,
      noDelay: true, // the firmware sends each CIPSEND at once; Nagle would hold small writes back
      keepAlive,
      keepAliveInitialDelay: keepAlive ? keepAliveSec * 1000 : 0,
    });
    // net.connect() connects on the next tick for an address; this tick runs right after it, before any
    // accept on the other side can be handled, so the peer module already knows who is calling.
    if (routed) process.nextTick(() => socket.localPort !== undefined && routed.onLocalPort(socket.localPort));
    let timer: NodeJS.Timeout | null = null;
    // Only our own listeners are removed: net.Socket keeps internal ones of its own.
    const onError = (error: Error): void => fail(toStackError(error, `connect to ${host}:${port}`));
    const onConnect = (): void => {
      if (timer !== null) clearTimeout(timer);
      socket.off('error', onError);
      resolve(new TcpLink({ socket, remote: routed?.reportAs ?? { ip: host, port }, localPort: socket.localPort ?? 0, accepted: false }));
    };
    const fail = (error: StackError): void => {
      if (timer !== null) clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.destroy();
      reject(error);
    };
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
      timer = setTimeout(
        () => fail(new StackError('timeout', `no answer from ${host}:${port} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    }
    socket.once('error', onError);
    socket.once('connect', onConnect);
  });
}

import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { StackError, type Endpoint, type ServerTls, type VirtualServer } from './types.js';
import { TcpLink } from './tcp-link.js';
import { errorCode, toStackError } from './errors.js';

/** Servers of the module are reachable from the host on loopback only (host-mapping.md); IPv6 ones on ::1. */
const LISTEN_ADDRESS = '127.0.0.1';
const LISTEN_ADDRESS_IPV6 = '::1';

export interface TcpServerOptions {
  /** The port the firmware listens on and reports. */
  readonly modulePort: number;
  /** The host port wanted: the module's own unless the world's `ports` maps it; 0 = any free port. */
  readonly hostPort: number;
  /** Called for each client; false refuses it (the socket is destroyed at once, nobody hears of it). */
  readonly onAccept: (link: TcpLink) => boolean;
  /** The remote an accepted link reports for the host endpoint it came from (default: that endpoint). */
  readonly translateRemote?: (remote: Endpoint) => Endpoint;
  /** Called once when close() is first called. */
  readonly onClosed?: () => void;
  /** TLS (the module's SSL server, TLS 1.2 at most as its mbedTLS): clients come once their handshake is done. */
  readonly tls?: ServerTls;
  /** Listen on ::1 (IPv6 only) rather than 127.0.0.1. */
  readonly ipv6?: boolean;
}

/**
 * A TCP server of the module over a node:net server on 127.0.0.1. It listens on the wanted host port; if
 * the host cannot give it (taken, or privileged), on an ephemeral one instead — a host collision never
 * becomes a module error. `port` stays the module's port; `hostEndpoint` says where it really is.
 */
export class TcpServer implements VirtualServer {
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly hostEndpoint: Endpoint,
    private readonly onClosed: () => void,
  ) {}

  /** True when the host port differs from the module's (worth a line in the trace). */
  get remapped(): boolean {
    return this.hostEndpoint.port !== this.port;
  }

  static async listen(options: TcpServerOptions): Promise<TcpServer> {
    const onConnection = (socket: Socket): void => {
      const link = new TcpLink({
        socket,
        remote: (options.translateRemote ?? ((remote: Endpoint) => remote))({
          ip: socket.remoteAddress ?? '0.0.0.0',
          port: socket.remotePort ?? 0,
        }),
        localPort: options.modulePort,
        accepted: true,
        ...(options.tls ? { kind: 'tls' as const } : {}),
      });
      if (!options.onAccept(link)) link.discard();
    };
    const host = options.ipv6 ? LISTEN_ADDRESS_IPV6 : LISTEN_ADDRESS;
    let server: Server;
    try {
      server = await listenOn(host, options.hostPort, onConnection, options.tls);
    } catch (error) {
      const code = errorCode(error);
      if (options.hostPort === 0 || (code !== 'EADDRINUSE' && code !== 'EACCES')) {
        throw toStackError(error, `listen on ${host}:${options.hostPort}`);
      }
      server = await listenOn(host, 0, onConnection, options.tls);
    }
    const address = server.address();
    if (address === null || typeof address === 'string') {
      server.close();
      throw new StackError('io', 'server has no TCP address');
    }
    // Errors after listening (none are expected on a listening socket) must not take the daemon down.
    server.on('error', () => {});
    return new TcpServer(server, options.modulePort, { ip: host, port: address.port }, options.onClosed ?? (() => {}));
  }

  /**
   * Stops listening; links already accepted stay (the firmware's CIPSERVER=0 decides about those).
   * Resolves once the port is released, not when the last client leaves.
   */
  close(): Promise<void> {
    if (this.closing === null) {
      this.server.close();
      this.onClosed();
      // server.close() releases the listening socket synchronously; its 'close' event waits for every
      // accepted connection, which is not what closing the module's server means.
      this.closing = new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.closing;
  }
}

function listenOn(host: string, port: number, onConnection: (socket: Socket) => void, tls?: ServerTls): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = tls ? tlsServer(tls, onConnection) : createServer({ noDelay: true }, onConnection);
    const onError = (error: Error): void => {
      server.close();
      reject(error);
    };
    server.once('error', onError);
    server.listen({ port, host, exclusive: true, ...(host === LISTEN_ADDRESS_IPV6 ? { ipv6Only: true } : {}) }, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

/** A node:tls server: its clients reach `onConnection` after the handshake; failed handshakes are theirs alone. */
function tlsServer(tls: ServerTls, onConnection: (socket: Socket) => void): Server {
  const server = createTlsServer(
    {
      cert: tls.certPem,
      key: tls.keyPem,
      maxVersion: 'TLSv1.2',
      ...(tls.clientCaPem !== null ? { ca: [tls.clientCaPem], requestCert: true, rejectUnauthorized: true } : {}),
    },
    (socket) => {
      socket.setNoDelay(true);
      onConnection(socket);
    },
  );
  server.on('tlsClientError', () => {});
  return server;
}

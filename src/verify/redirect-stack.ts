/**
 * The network `copro verify` gives the emulator: each destination the transcript shows is routed
 * to a local stand-in peer on 127.0.0.1, and every link reports the recorded address (its remote,
 * a UDP sender), so the module prints what the real module printed. Anything the transcript does
 * not show is unreachable: verify never sends beyond loopback.
 */
import type { SoftAccessPoint } from '../../emulator/network/soft-ap.js';
import type {
  Endpoint,
  AddressChoice,
  LinkHandlers,
  ListenOptions,
  NetworkStack,
  Station,
  TcpConnectOptions,
  TlsConnectOptions,
  UdpOpenOptions,
  VirtualLink,
  VirtualServer,
  VirtualTlsLink,
  MdnsAnnouncement,
} from '../../emulator/network/types.js';
import { StackError } from '../../emulator/network/types.js';

export type RouteKind = 'TCP' | 'UDP' | 'SSL';

export class Routes {
  private readonly out = new Map<string, Endpoint>();
  private readonly back = new Map<string, Endpoint>();

  add(kind: RouteKind, recorded: Endpoint, local: Endpoint): void {
    this.out.set(`${kind} ${recorded.ip}:${recorded.port}`, local);
    this.back.set(`${local.ip}:${local.port}`, recorded);
  }

  to(kind: RouteKind, recorded: Endpoint): Endpoint | undefined {
    return this.out.get(`${kind} ${recorded.ip}:${recorded.port}`);
  }

  /** The recorded endpoint a local stand-in plays (or the endpoint itself). */
  recordedFor(local: Endpoint): Endpoint {
    return this.back.get(`${local.ip}:${local.port}`) ?? local;
  }
}

function unreachable(kind: RouteKind, to: Endpoint): StackError {
  return new StackError('unreachable', `verify: ${kind} ${to.ip}:${to.port} is not a destination the transcript shows`);
}

/** A link as the module sees it: the recorded peer's address in place of the stand-in's. */
function presented(link: VirtualLink, routes: Routes, kind: RouteKind): VirtualLink {
  const toLocal = (e: Endpoint): Endpoint => routes.to(kind, e) ?? e;
  const shown: VirtualLink = {
    get kind() {
      return link.kind;
    },
    get remote() {
      return routes.recordedFor(link.remote);
    },
    get localPort() {
      return link.localPort;
    },
    get accepted() {
      return link.accepted;
    },
    get isOpen() {
      return link.isOpen;
    },
    setHandlers(handlers: LinkHandlers) {
      link.setHandlers({ onData: (data, from) => handlers.onData(data, routes.recordedFor(from)), onClose: (reason, error) => handlers.onClose(reason, error) });
    },
    send: (data) => link.send(data),
    sendTo: (data, to) => link.sendTo(data, toLocal(to)),
    setRemote: (remote) => link.setRemote(toLocal(remote)),
    pause: () => link.pause(),
    resume: () => link.resume(),
    close: () => link.close(),
    abort: (reason, error) => link.abort(reason, error),
    onGone: (listener) => link.onGone(() => listener(shown)),
  };
  return shown;
}

export class RedirectingStack implements NetworkStack {
  constructor(
    private readonly inner: NetworkStack,
    private readonly routes: Routes,
  ) {}

  get station(): Station {
    return this.inner.station;
  }

  get softAp(): SoftAccessPoint {
    return this.inner.softAp;
  }

  resolve(name: string, timeoutMs?: number, choice?: AddressChoice): Promise<string> {
    return this.inner.resolve(name, timeoutMs, choice);
  }

  async connectTcp(options: TcpConnectOptions): Promise<VirtualLink> {
    const local = this.routes.to('TCP', { ip: options.host, port: options.port });
    if (!local) throw unreachable('TCP', { ip: options.host, port: options.port });
    return presented(await this.inner.connectTcp({ ...options, host: local.ip, port: local.port }), this.routes, 'TCP');
  }

  async connectTls(options: TlsConnectOptions): Promise<VirtualTlsLink> {
    // SSL stand-ins would need a certificate the module's store trusts: not rebuilt (docs/transcripts.md).
    throw unreachable('SSL', { ip: options.host, port: options.port });
  }

  async openUdp(options: UdpOpenOptions): Promise<VirtualLink> {
    const local = this.routes.to('UDP', options.remote);
    if (!local) throw unreachable('UDP', options.remote);
    return presented(await this.inner.openUdp({ ...options, remote: local }), this.routes, 'UDP');
  }

  listen(options: ListenOptions): Promise<VirtualServer> {
    return this.inner.listen(options);
  }

  ping(ip: string, timeoutMs: number): Promise<number | null> {
    return this.inner.ping(ip, timeoutMs);
  }

  closeAll(): Promise<void> {
    return this.inner.closeAll();
  }

  announceMdns(announcement: MdnsAnnouncement | null): void {
    this.inner.announceMdns(announcement);
  }
}

import { isIP } from 'node:net';
import { keepAliveClock, type Clock } from '../../runtime/clock.js';
import {
  StackError,
  type AddressChoice,
  type Endpoint,
  type LinkKind,
  type ListenOptions,
  type NetworkStack,
  type TcpConnectOptions,
  type TlsConnectOptions,
  type UdpOpenOptions,
  type VirtualLink,
  type VirtualServer,
  type VirtualTlsLink,
} from './types.js';
import { MdnsRegistry, type MdnsAnnouncement } from './mdns-registry.js';
import { SimulatedStation } from './station.js';
import { Resolver, type HostLookup } from './resolver.js';
import { connectTcpLink } from './tcp-link.js';
import { connectTlsLink } from './tls-link.js';
import { openUdpLink } from './udp-link.js';
import { TcpServer } from './server.js';
import { hostPortFor, type RadioWorld } from './radio-world.js';
import { isValidPort } from './errors.js';
import { DEFAULT_PING_WORLD, pingRoundTrip } from './ping-world.js';
import { LOOPBACK, type AirMember, type RadioAir } from './radio-air.js';
import { SoftAccessPoint } from './soft-ap.js';
import { UdpLink } from './udp-link.js';

/** Decides whether the module may send to `remote`; false = StackError('denied'). */
export type OutboundPolicy = (remote: Endpoint, kind: LinkKind) => boolean;

export const ALLOW_ALL: OutboundPolicy = () => true;

export interface NetworkStackOptions {
  /** Replaces the host resolver (tests: never touch real DNS). */
  readonly lookup?: HostLookup;
  readonly policy?: OutboundPolicy;
  /** The radio's time (join, DHCP, scan durations); default real time. */
  readonly clock?: Clock;
  /** mDNS names, shared by the modules of one world (default: this stack's own). */
  readonly mdns?: MdnsRegistry;
  /** The air this module shares with the other modules of the daemon (their softAPs); none by default. */
  readonly air?: RadioAir;
}

/** An ESP32's softAP MAC: the station's + 1 in the last byte. */
export function softApMacOf(stationMac: string): string {
  const bytes = stationMac.split(':').map((part) => parseInt(part, 16));
  bytes[5] = (bytes[5] + 1) & 0xff;
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/**
 * What lwIP and the WiFi driver are on a real module: one per virtual module. It owns the station, the
 * resolver, every link and every server, and enforces what the network itself would:
 * - nothing leaves without an IP: connectTcp/connectTls/openUdp/listen reject StackError('no-ip'), and so does
 *   resolving a name (a numeric address or localhost needs no network);
 * - losing the IP (disconnect, leave, another join, a lost AP) ends every link, client or accepted, with
 *   onClose('error', StackError('io')) — lwIP aborts them, it is not the peer closing; listening servers
 *   stay, but refuse clients until the station has an address again;
 * - the outbound policy sees every destination of connectTcp, connectTls, openUdp and each UDP datagram;
 * - a module port is the module's: a second server on it, or a second UDP link bound to it, is
 *   StackError('addr-in-use') even when the host could have given another host port.
 * Host names given to connectTcp/connectTls/openUdp are resolved here (front ends normally pass an IP).
 * A module reset is `station.reset()` + `closeAll()` (or `dispose()`): reset() is silent, so it does
 * not close links by itself.
 */
export class VirtualNetworkStack implements NetworkStack, AirMember {
  readonly station: SimulatedStation;
  /** The mDNS names of this world's modules (AT+MDNS announces into it). */
  readonly mdns: MdnsRegistry;
  /** The module's own access point (down until a front end starts it); a front end configures it. */
  readonly softAp: SoftAccessPoint;
  private readonly air: RadioAir | null;
  private readonly resolver: Resolver;
  private readonly links = new Set<VirtualLink>();
  private readonly servers = new Set<TcpServer>();
  private policy: OutboundPolicy;
  /** Bumped when the IP is lost, so a connect that was under way when it happened is not kept. */
  private addressEpoch = 0;

  private readonly clock: Clock;

  constructor(
    readonly world: RadioWorld,
    options: NetworkStackOptions = {},
  ) {
    this.clock = options.clock ?? keepAliveClock;
    this.air = options.air ?? null;
    this.softAp = new SoftAccessPoint(
      softApMacOf(world.station.mac),
      { ssid: '', password: '', channel: 1, security: 'open', maxConnections: 4, hidden: false },
      { ip: '192.168.4.1', gateway: '192.168.4.1', netmask: '255.255.255.0' },
      { leaseMinutes: 120, start: '192.168.4.2', end: '192.168.4.101' },
    );
    this.station = new SimulatedStation(world, options.clock, () => this.air?.softAps(this) ?? []);
    this.air?.add(this);
    this.mdns = options.mdns ?? new MdnsRegistry();
    this.resolver = new Resolver(world.hosts, options.lookup, undefined, this.mdns, world.hostsIpv6);
    this.policy = options.policy ?? ALLOW_ALL;
    this.station.observe({ onDisconnected: () => this.addressLost() });
  }

  setOutboundPolicy(policy: OutboundPolicy): void {
    this.policy = policy;
  }

  /** The links currently open (client and accepted). */
  get openLinks(): readonly VirtualLink[] {
    return [...this.links];
  }

  /** The servers currently listening. */
  get openServers(): readonly VirtualServer[] {
    return [...this.servers];
  }

  async resolve(name: string, timeoutMs?: number, choice?: AddressChoice): Promise<string> {
    const local = this.resolver.localAnswer(name, choice);
    if (local !== null) return local;
    this.requireAddress();
    return this.resolver.resolve(name, timeoutMs, choice);
  }

  async connectTcp(options: TcpConnectOptions): Promise<VirtualLink> {
    this.requireAddress();
    const epoch = this.addressEpoch;
    // Contract: front ends pass an IP; a name is resolved here rather than by node:net behind our back.
    const ip = isIP(options.host) !== 0 ? options.host : await this.resolve(options.host, options.timeoutMs);
    this.checkOutbound({ ip, port: options.port }, 'tcp');
    const routed = this.routeTcp(ip, options.port);
    if (routed === null) return this.adopt(await connectTcpLink({ ...options, host: ip }), epoch);
    let forget = (): void => {};
    const link = await connectTcpLink(
      { ...options, host: LOOPBACK, port: routed.hostPort },
      {
        reportAs: { ip, port: options.port },
        onLocalPort: (port) => (forget = this.air!.noteTcpSource(port, { ip: routed.source, port })),
      },
    ).catch((error: unknown) => {
      forget();
      throw error;
    });
    link.onGone(() => forget());
    return this.adopt(link, epoch);
  }

  async connectTls(options: TlsConnectOptions): Promise<VirtualTlsLink> {
    this.requireAddress();
    const epoch = this.addressEpoch;
    const ip = isIP(options.host) !== 0 ? options.host : await this.resolve(options.host, options.timeoutMs);
    this.checkOutbound({ ip, port: options.port }, 'tls');
    const routed = this.routeTcp(ip, options.port);
    const link = await connectTlsLink(routed === null ? { ...options, host: ip } : { ...options, host: LOOPBACK, port: routed.hostPort });
    return this.adopt(link, epoch);
  }

  async openUdp(options: UdpOpenOptions): Promise<VirtualLink> {
    this.requireAddress();
    const epoch = this.addressEpoch;
    const localPort = options.localPort ?? 0;
    // lwIP's udp_bind refuses a port another of the module's UDP sockets holds (the host may not know it).
    if (localPort !== 0 && [...this.links].some((link) => link.kind === 'udp' && link.localPort === localPort)) {
      throw new StackError('addr-in-use', `local port ${localPort} is in use by another UDP link`);
    }
    const { ip: host, port } = options.remote;
    const remote = isIP(host) !== 0 ? options.remote : { ip: await this.resolve(host), port };
    if (!this.station.hasAddress && this.air?.route(this, remote.ip) === undefined) {
      throw new StackError('no-ip', 'only the softAP has an address');
    }
    this.checkOutbound(remote, 'udp');
    const link = await openUdpLink({
      remote,
      localPort,
      permits: (to) => this.policy(to, 'udp'),
      ...(this.air ? { addresses: { toHost: (to: Endpoint) => this.udpToHost(to), fromHost: (from: Endpoint) => this.air?.udpSource(this, from) ?? from } } : {}),
    });
    return this.adopt(link, epoch);
  }

  async listen(options: ListenOptions): Promise<TcpServer> {
    this.requireAddress();
    if (!isValidPort(options.port)) throw new StackError('io', `invalid port ${options.port}`);
    for (const server of this.servers) {
      if (server.port === options.port) throw new StackError('addr-in-use', `port ${options.port} already has a server`);
    }
    const server = await TcpServer.listen({
      modulePort: options.port,
      hostPort: hostPortFor(this.world, options.port),
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.ipv6 ? { ipv6: true } : {}),
      translateRemote: (remote) => this.air?.tcpSource(remote) ?? remote,
      onAccept: (link) => {
        // Without an address nobody can reach the module; the host-side listener stays, the client does not.
        if (!this.hasAnyAddress() || !options.onAccept(link)) return false;
        this.track(link);
        return true;
      },
      onClosed: () => this.servers.delete(server),
    });
    this.servers.add(server);
    return server;
  }

  /** Ends every link (onClose('local')) and closes every server: a module reset or shutdown. */
  async closeAll(): Promise<void> {
    for (const link of [...this.links]) link.abort('local');
    const servers = [...this.servers];
    this.servers.clear();
    await Promise.all(servers.map((server) => server.close()));
  }

  announceMdns(announcement: MdnsAnnouncement | null): void {
    if (announcement === null) this.mdns.withdraw(this.station);
    else this.mdns.announce(this.station, announcement, () => this.station.hasAddress);
  }

  /** closeAll() and a silent station reset: nothing of this module is left running. */
  async dispose(): Promise<void> {
    this.air?.remove(this);
    this.softAp.stop();
    this.mdns.withdraw(this.station);
    this.station.dispose();
    await this.closeAll();
  }

  /** AirMember: see radio-air.ts. */
  joinedSoftAp(): { readonly ap: SoftAccessPoint; readonly ip: string | null } | null {
    return this.station.joinedSoftAp();
  }

  serverHostEndpoint(modulePort: number): Endpoint | null {
    for (const server of this.servers) if (server.port === modulePort) return server.hostEndpoint;
    return null;
  }

  udpHostPort(modulePort: number): number | null {
    for (const link of this.links) if (link instanceof UdpLink && link.localPort === modulePort) return link.hostPort;
    return null;
  }

  udpModulePort(hostPort: number): number | null {
    for (const link of this.links) if (link instanceof UdpLink && link.hostPort === hostPort) return link.localPort;
    return null;
  }

  /** The station has an address, or the module's own softAP is up (its address is the module's). */
  private hasAnyAddress(): boolean {
    return this.station.hasAddress || this.softAp.isRunning;
  }

  /** The round trip waits on the stack's clock at world scale; what it reports is the world's figure. */
  async ping(ip: string, timeoutMs: number): Promise<number | null> {
    this.requireAddress();
    const roundTrip = pingRoundTrip(this.world.ping ?? DEFAULT_PING_WORLD, this.world.hosts, ip, this.world.hostsIpv6);
    const answered = roundTrip !== null && roundTrip <= timeoutMs;
    const waitMs = (answered ? roundTrip : timeoutMs) * this.world.timing.scale;
    await new Promise<void>((resolve) => this.clock.setTimeout(resolve, waitMs));
    return answered ? roundTrip : null;
  }

  private requireAddress(): void {
    if (!this.hasAnyAddress()) throw new StackError('no-ip', 'station has no IP address');
  }

  /**
   * A TCP destination on one of the module's softAP networks: the host port of the server that holds
   * it, and this module's own address there. Null for any other destination. A station joined to
   * another module's softAP reaches only that network (an ESP softAP routes nowhere else).
   */
  private routeTcp(ip: string, port: number): { hostPort: number; source: string } | null {
    const route = this.air?.route(this, ip);
    if (route === undefined || this.air === null) {
      if (!this.station.hasAddress) throw new StackError('no-ip', 'only the softAP has an address');
      if (this.station.joinedSoftAp() !== null) throw new StackError('unreachable', `${ip} is not on the softAP's network`);
      return null;
    }
    if (route === null) throw new StackError('timeout', `nobody holds ${ip} on the softAP's network`);
    const server = route.member.serverHostEndpoint(port);
    if (server === null) throw new StackError('refused', `${ip}:${port} has no server`);
    return { hostPort: server.port, source: this.air.addressOn(this, route.network)! };
  }

  /** A datagram to a softAP-network address goes to the UDP link that module has on that port (or nowhere). */
  private udpToHost(to: Endpoint): Endpoint | null {
    const route = this.air?.route(this, to.ip);
    if (route === undefined) return to;
    const hostPort = route === null ? null : route.member.udpHostPort(to.port);
    return hostPort === null ? null : { ip: LOOPBACK, port: hostPort };
  }

  private checkOutbound(remote: Endpoint, kind: LinkKind): void {
    if (!this.policy(remote, kind)) throw new StackError('denied', `outbound policy denies ${remote.ip}:${remote.port}`);
  }

  private adopt<T extends VirtualLink>(link: T, epoch: number): T {
    if (epoch !== this.addressEpoch || !this.hasAnyAddress()) {
      link.abort('error');
      throw new StackError('no-ip', 'station lost its IP address while the link was opening');
    }
    this.track(link);
    return link;
  }

  private track(link: VirtualLink): void {
    this.links.add(link);
    link.onGone((gone) => this.links.delete(gone));
  }

  private addressLost(): void {
    this.addressEpoch++;
    for (const link of [...this.links]) {
      link.abort('error', new StackError('io', 'station disconnected: link aborted'));
    }
  }
}

export function createNetworkStack(world: RadioWorld, options?: NetworkStackOptions): VirtualNetworkStack {
  return new VirtualNetworkStack(world, options);
}

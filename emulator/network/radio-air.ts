import type { Endpoint } from './types.js';
import { inSubnet, type SoftAccessPoint } from './soft-ap.js';

/**
 * The air between the modules of one daemon: each module's softAP is seen by the others' scans and
 * can be joined by them, and traffic between two modules on one softAP's network is routed in
 * process. A module's sockets are real loopback sockets (its servers listen on 127.0.0.1, its UDP
 * links are bound on the host), so routing is translation: a softAP-network address and module port
 * become the host endpoint that module's server or UDP link really has, and a host source endpoint
 * becomes the sender's softAP-network address again, so each side sees the other as a real module
 * would (`192.168.4.2:<port>`), never 127.0.0.1.
 */

/** What the air asks of each module's network stack. */
export interface AirMember {
  readonly softAp: SoftAccessPoint;
  /** The softAP of another module this one's station is associated with, and its lease (null before DHCP). */
  joinedSoftAp(): { readonly ap: SoftAccessPoint; readonly ip: string | null } | null;
  /** Where the module's TCP server on `modulePort` really listens; null when it has none. */
  serverHostEndpoint(modulePort: number): Endpoint | null;
  /** The host port of the module's UDP link bound to `modulePort`; null when none. */
  udpHostPort(modulePort: number): number | null;
  /** The module port of the module's UDP link bound to host port `hostPort`; null when none. */
  udpModulePort(hostPort: number): number | null;
}

/** Where an address on a softAP network leads. */
export interface AirRoute {
  readonly member: AirMember;
  readonly network: SoftAccessPoint;
}

export const LOOPBACK = '127.0.0.1';

export class RadioAir {
  private readonly members = new Set<AirMember>();
  /** Host source port of a routed TCP connection -> the connecting module's softAP-network endpoint. */
  private readonly tcpSources = new Map<number, Endpoint>();

  add(member: AirMember): void {
    this.members.add(member);
  }

  remove(member: AirMember): void {
    this.members.delete(member);
  }

  /** The other modules' access points that are up. */
  softAps(except: AirMember): SoftAccessPoint[] {
    return [...this.members].filter((member) => member !== except && member.softAp.isRunning).map((member) => member.softAp);
  }

  /** The softAP networks `member` is on: its own AP when up, and the one its station joined. */
  networksOf(member: AirMember): SoftAccessPoint[] {
    const networks: SoftAccessPoint[] = [];
    if (member.softAp.isRunning) networks.push(member.softAp);
    const joined = member.joinedSoftAp();
    if (joined !== null && joined.ip !== null) networks.push(joined.ap);
    return networks;
  }

  /** `member`'s own address on `network`. */
  addressOn(member: AirMember, network: SoftAccessPoint): string | null {
    if (member.softAp === network) return network.address.ip;
    const joined = member.joinedSoftAp();
    return joined !== null && joined.ap === network ? joined.ip : null;
  }

  /**
   * Where `ip` leads from `from`: undefined when `ip` is on none of `from`'s softAP networks (the
   * caller routes it as before), null when it is on one but nobody holds it.
   */
  route(from: AirMember, ip: string): AirRoute | null | undefined {
    const networks = this.networksOf(from).filter((network) => inSubnet(network.address, ip));
    if (networks.length === 0) return undefined;
    for (const network of networks) {
      for (const member of this.members) {
        if (member !== from && this.addressOn(member, network) === ip) return { member, network };
      }
    }
    return null;
  }

  /** A routed TCP connection from `source` (softAP-network endpoint) left the host on `hostPort`. */
  noteTcpSource(hostPort: number, source: Endpoint): () => void {
    this.tcpSources.set(hostPort, source);
    return () => {
      if (this.tcpSources.get(hostPort) === source) this.tcpSources.delete(hostPort);
    };
  }

  /** The softAP-network endpoint a TCP client on host port `hostPort` stands for, if it is a routed one. */
  tcpSource(remote: Endpoint): Endpoint | null {
    return remote.ip === LOOPBACK || remote.ip === `::ffff:${LOOPBACK}` ? (this.tcpSources.get(remote.port) ?? null) : null;
  }

  /** The softAP-network endpoint behind a datagram from the host endpoint `from`, as `to` sees it. */
  udpSource(to: AirMember, from: Endpoint): Endpoint | null {
    if (from.ip !== LOOPBACK) return null;
    for (const network of this.networksOf(to)) {
      for (const member of this.members) {
        if (member === to) continue;
        const ip = this.addressOn(member, network);
        const port = ip === null ? null : member.udpModulePort(from.port);
        if (ip !== null && port !== null) return { ip, port };
      }
    }
    return null;
  }
}

import type { Clock } from '../../runtime/clock.js';
import type { Endpoint, VirtualLink } from '../network/types.js';
import { PassiveReceiveBuffer } from './passive-receive-buffer.js';

export type LinkType = 'TCP' | 'UDP' | 'SSL';

/** One entry of the module's link table: a virtual socket plus what the firmware tracks for it. */
export interface Link {
  readonly id: number;
  readonly type: LinkType;
  /** Opened as "TCPv6"/"UDPv6"/"SSLv6". */
  readonly ipv6: boolean;
  readonly vlink: VirtualLink;
  /** Accepted by CIPSERVER (tetype 1 in CIPSTATUS). */
  readonly accepted: boolean;
  /** UDP peer mode of CIPSTART: 0 fixed, 1 follow the first sender once, 2 follow every sender. */
  readonly udpMode: 0 | 1 | 2;
  /** Mode 1 has already switched to its first sender. */
  udpPeerLatched: boolean;
  readonly passive: PassiveReceiveBuffer;
  /** The socket is gone but CLOSED is withheld until the buffered passive data is read. */
  peerClosed: boolean;
  /** Idle timer of accepted links (AT+CIPSTO). */
  /** AT+CIPSTO's timer (armed by the link's owner with startLinkTimer). */
  idleTimer: LinkTimer | null;
}

export interface NewLink {
  readonly type: LinkType;
  readonly ipv6?: boolean;
  readonly vlink: VirtualLink;
  readonly accepted?: boolean;
  readonly udpMode?: 0 | 1 | 2;
  readonly passiveWindow: number;
}

/** The type as CIPSTATE, +LINK_CONN and the docs name it: "TCP", "UDPv6", ... */
export function linkTypeName(link: Pick<Link, 'type' | 'ipv6'>): string {
  return link.ipv6 ? `${link.type}v6` : link.type;
}

/** The module's link ids and what occupies them. */
/** A pending timer of a link's: cancelling it is all the link's holders need. */
export interface LinkTimer {
  cancel(): void;
}

/** Runs `fire` after `ms` on the module's clock, unless cancelled first. */
export function startLinkTimer(clock: Clock, ms: number, fire: () => void): LinkTimer {
  const timer = clock.setTimeout(fire, ms);
  return { cancel: () => clock.clearTimeout(timer) };
}

/**
 * The module's link ids 0..capacity-1: the profile's `limits.links` (ESP-AT's
 * AT_SOCKET_MAX_CONN_NUM, 5); the id `capacity` itself means "every link" (CIPCLOSE=5).
 */
export class LinkTable {
  private readonly links = new Map<number, Link>();
  /** Ids promised to a CIPSTART still connecting, so a server client cannot take them meanwhile. */
  private readonly reserved = new Set<number>();

  constructor(readonly capacity: number) {}

  /** The id that addresses every link (one past the last). */
  get allLinksId(): number {
    return this.capacity;
  }

  get(id: number): Link | undefined {
    return this.links.get(id);
  }

  has(id: number): boolean {
    return this.links.has(id);
  }

  get size(): number {
    return this.links.size;
  }

  /** Links in id order. */
  all(): Link[] {
    return [...this.links.values()].sort((a, b) => a.id - b.id);
  }

  acceptedCount(): number {
    return this.all().filter((link) => link.accepted).length;
  }

  /** The lowest id not in use, or null when all are taken. */
  lowestFree(): number | null {
    for (let id = 0; id < this.capacity; id++) if (this.isFree(id)) return id;
    return null;
  }

  isFree(id: number): boolean {
    return !this.links.has(id) && !this.reserved.has(id);
  }

  reserve(id: number): void {
    this.reserved.add(id);
  }

  release(id: number): void {
    this.reserved.delete(id);
  }

  add(id: number, spec: NewLink): Link {
    const link: Link = {
      id,
      type: spec.type,
      ipv6: spec.ipv6 ?? false,
      vlink: spec.vlink,
      accepted: spec.accepted ?? false,
      udpMode: spec.udpMode ?? 0,
      udpPeerLatched: false,
      passive: new PassiveReceiveBuffer(spec.type === 'UDP', spec.passiveWindow),
      peerClosed: false,
      idleTimer: null,
    };
    this.reserved.delete(id);
    this.links.set(id, link);
    return link;
  }

  /** Forgets every link and reservation (module reset); returns the links that were open. */
  clear(): Link[] {
    const all = this.all();
    for (const link of all) this.remove(link.id);
    this.reserved.clear();
    return all;
  }

  /** Forgets a link (its socket must already be closed or closing). */
  remove(id: number): Link | undefined {
    const link = this.links.get(id);
    if (!link) return undefined;
    link.idleTimer?.cancel();
    link.idleTimer = null;
    link.passive.clear();
    this.links.delete(id);
    return link;
  }

  /**
   * UDP modes 1/2: the peer follows the sender of incoming datagrams (mode 1 only for the first
   * datagram received). Returns true when the link's remote was changed.
   */
  static followSender(link: Link, from: Endpoint): boolean {
    if (link.type !== 'UDP' || link.udpMode === 0) return false;
    if (link.udpMode === 1 && link.udpPeerLatched) return false;
    link.udpPeerLatched = true;
    const same = link.vlink.remote.ip === from.ip && link.vlink.remote.port === from.port;
    if (!same) link.vlink.setRemote(from);
    return !same;
  }
}

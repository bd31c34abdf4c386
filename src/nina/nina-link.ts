/**
 * One NINA socket number as the usocket layer sees it (TCP, TLS or UDP). The module never says
 * when data arrives, so readiness comes from polling AVAIL_DATA_TCP while someone waits; a TCP
 * socket with nothing available is asked GET_CLIENT_STATE_TCP, which reports the peer's close
 * (and frees the number in the module, so the link forgets it at once). nina-fw announces no
 * reset either: a connection that ends while the station is off its network is reported as lost
 * (ECONNABORTED), not as an orderly end of stream.
 */
import { bestEffort } from '../best-effort.js';
import type { TraceSink } from '../at/trace.js';
import { ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { MAX_FRAME_LENGTH, UDP_BUFFER_BYTES } from '../../firmware-protocol/nina/constants.js';
import type { Address, BackendLink, LinkKind, Received } from '../backend.js';
import { OSError, osError } from '../errors.js';
import { ChangeListeners } from '../links/change-listeners.js';
import { LinkInbox } from '../links/link-inbox.js';
import type { LinkState } from '../links/link-state.js';
import type { NinaClient } from './nina-client.js';

/** Largest GET_DATABUF_TCP read: the reply (6 bytes of frame + data) must fit nina-fw's 4092-byte buffer. */
export const MAX_READ = MAX_FRAME_LENGTH - 6;
/** Largest SEND_DATA_TCP payload: 9 bytes of frame around it in 4092 (peers.md N6). */
export const MAX_SEND = MAX_FRAME_LENGTH - 9;

export interface LinkEngine {
  readonly client: NinaClient;
  readonly trace?: TraceSink;
  /** Someone started (+1) or stopped (−1) waiting on a link or server: polling runs while any wait. */
  waiting(delta: number): void;
  /** Poll soon: a reader found nothing. */
  wantPoll(): void;
  /** The number is no longer this link's (stopped, or freed by the module). */
  released(link: NinaLink): void;
  /**
   * A connection ended: is the module off its network (reset, or the access point lost)? Then the
   * reason to fail the link with; null when the station is still up (the peer closed).
   */
  connectionLost(what: string): Promise<OSError | null>;
}

export type NinaLinkState = LinkState;

export class NinaLink implements BackendLink {
  state: NinaLinkState = 'open';
  failure: OSError | null = null;
  /** Bytes the module said it holds (AVAIL_DATA_TCP). */
  available = 0;
  private readonly inbox: LinkInbox;
  private sending = false;
  private fetching: Promise<void> | null = null;
  private readonly listeners: ChangeListeners;
  #remote: Address | null;

  constructor(
    /** The module's socket number; null once it is no longer ours. */
    public number: number | null,
    readonly kind: LinkKind,
    remote: Address | null,
    private readonly engine: LinkEngine,
  ) {
    this.#remote = remote;
    this.inbox = new LinkInbox(kind === 'udp');
    this.listeners = new ChangeListeners((delta) => engine.waiting(delta));
  }

  get remote(): Address | null {
    return this.#remote;
  }

  /** The peer's address, learned after the number was handed out (a server client's). */
  learnRemote(remote: Address): void {
    this.#remote = remote;
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** A pure read: what this side knows from the last poll. */
  readable(): boolean {
    return this.failure !== null || this.inbox.size > 0 || this.available > 0 || this.state !== 'open';
  }

  /** Nothing to read: poll soon (nina-fw announces nothing). */
  refresh(): void {
    if (!this.readable()) this.engine.wantPoll();
  }

  writable(): boolean {
    return this.failure !== null || this.state !== 'open' || !this.sending;
  }

  get interested(): boolean {
    return this.listeners.size > 0 && this.state === 'open' && this.number !== null;
  }

  async receive(max: number): Promise<Received | null> {
    if (this.failure) throw this.failure;
    if (this.inbox.size === 0 && this.available > 0 && this.number !== null) {
      this.fetching ??= this.fetch().finally(() => (this.fetching = null));
      await this.fetching;
    }
    if (this.failure) throw this.failure;
    if (this.inbox.size > 0) return this.inbox.take(max);
    if (this.state !== 'open') return { data: new Uint8Array(0), from: this.#remote };
    return null;
  }

  async send(data: Uint8Array, to?: Address): Promise<number> {
    if (this.failure) throw this.failure;
    // Before the number check: the module frees the number of a connection its peer closed.
    if (this.state === 'peer-closed') throw osError('ENOTCONN', 'the peer closed the connection');
    if (this.state === 'closed' || this.number === null) throw osError('EBADF');
    this.sending = true;
    try {
      return this.kind === 'udp' ? await this.sendDatagram(this.number, data, to) : await this.sendStream(this.number, data);
    } finally {
      this.sending = false;
      this.changed();
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.inbox.clear();
    this.changed();
    const n = this.number;
    if (n === null) return;
    this.number = null;
    this.engine.released(this);
    if (!this.failure) await bestEffort(this.engine.client.call('STOP_CLIENT_TCP', [f.u8(n)]), this.engine.trace, `STOP_CLIENT_TCP ${n}`);
  }

  // ---- the engine's side -----------------------------------------------------------------

  /** One readiness check: AVAIL_DATA_TCP, and for TCP with nothing available the connection state. */
  async poll(): Promise<void> {
    const n = this.number;
    if (n === null || this.state !== 'open' || this.failure) return;
    const [avail] = await this.engine.client.call('AVAIL_DATA_TCP', [f.u8(n)]);
    if (this.number !== n) return;
    const count = f.readU16le(avail);
    if (count > 0 || this.kind === 'udp') {
      this.setAvailable(count);
      return;
    }
    // A UDP number must never be asked: GET_CLIENT_STATE_TCP frees every number that is not a connected stream.
    const state = await this.engine.client.call('GET_CLIENT_STATE_TCP', [f.u8(n)]);
    if (this.number === n && f.readU8(state[0]) === 0) await this.ended();
  }

  fail(err: OSError): void {
    if (this.failure || this.state === 'closed') return;
    this.failure = err;
    if (this.number !== null) {
      this.number = null;
      this.engine.released(this);
    }
    this.changed();
  }

  private setAvailable(count: number): void {
    if (count === this.available) return;
    this.available = count;
    this.changed();
  }

  /**
   * The module said the connection is over and freed the number (nothing left to read). An end of
   * stream, unless the station is off its network: then the module restarted or lost its access
   * point, and the link fails (ECONNABORTED) as an ESP-AT link fails on `ready`.
   */
  private async ended(): Promise<void> {
    this.available = 0;
    this.number = null;
    this.engine.released(this);
    const where = this.#remote ? `${this.#remote.ip}:${this.#remote.port}` : 'the peer';
    const lost = await this.engine.connectionLost(`the connection to ${where}`);
    if (this.state !== 'open' || this.failure) return;
    if (lost) this.failure = lost;
    else this.state = 'peer-closed';
    this.changed();
  }

  private async fetch(): Promise<void> {
    const n = this.number!;
    const client = this.engine.client;
    if (this.kind === 'udp') {
      // The sender first: once the datagram is read the module may load the next one (and its sender).
      const [ip, port] = await client.call('GET_REMOTE_DATA', [f.u8(n)]);
      const [data] = await client.call('GET_DATABUF_TCP', [f.u8(n), f.u16le(Math.min(this.available, MAX_READ))]);
      this.available = 0;
      if (data.length > 0) this.inbox.push({ data, from: { ip: f.ipv4Text(ip), port: f.readU16be(port) } });
      return;
    }
    const [data] = await client.call('GET_DATABUF_TCP', [f.u8(n), f.u16le(Math.min(Math.max(this.available, 1), MAX_READ))]);
    this.available = data.length === 0 ? 0 : Math.max(0, this.available - data.length);
    if (data.length > 0) this.inbox.push({ data, from: this.#remote });
  }

  private async sendStream(n: number, data: Uint8Array): Promise<number> {
    const chunk = data.subarray(0, MAX_SEND);
    const [written] = await this.engine.client.call('SEND_DATA_TCP', [f.u8(n), chunk]);
    const count = f.readU16le(written);
    if (count > 0) return count;
    if (chunk.length === 0) return 0;
    // Nothing taken: nina-fw's write fails once the connection is gone.
    const state = await this.engine.client.call('GET_CLIENT_STATE_TCP', [f.u8(n)]);
    if (f.readU8(state[0]) === 0) {
      if (this.number === n) await this.ended();
      throw this.failure ?? osError('ECONNRESET', 'the connection was closed');
    }
    throw osError('EIO', 'the module took none of the bytes');
  }

  /** One datagram: START_CLIENT_TCP (destination; empties the staging buffer), INSERT_DATABUF, SEND_UDP_DATA. */
  private async sendDatagram(n: number, data: Uint8Array, to?: Address): Promise<number> {
    const destination = to ?? this.#remote;
    if (!destination) throw osError('EDESTADDRREQ');
    if (data.length > UDP_BUFFER_BYTES) throw osError('EMSGSIZE', `the module sends datagrams of up to ${UDP_BUFFER_BYTES} bytes`);
    const client = this.engine.client;
    const target = [f.ipv4Bytes(destination.ip), f.u16be(destination.port), f.u8(n), f.u8(1)];
    if ((await client.call('START_CLIENT_TCP', target)).length === 0) throw osError('EHOSTUNREACH', `cannot send to ${destination.ip}`);
    if (data.length > 0 && f.readU8((await client.call('INSERT_DATABUF', [f.u8(n), data]))[0]) !== 1) throw osError('EIO');
    if (f.readU8((await client.call('SEND_UDP_DATA', [f.u8(n)]))[0]) !== 1) throw osError('EIO', 'the module could not send the datagram');
    return data.length;
  }

  private changed(): void {
    this.listeners.fire();
  }
}

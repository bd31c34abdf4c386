/**
 * A listening socket number on the NINA module. Clients are handed out by AVAIL_DATA_TCP on the
 * listening number with the accept flag, which the back end polls while someone waits in accept().
 * nina-fw has no command that stops a listener: close() frees the number (STOP_CLIENT_TCP), the
 * listener itself lasts until the module resets (documented in docs/spi.md). A reset is noticed
 * when a client number turns up while GET_STATE_TCP says nothing listens: the server fails.
 */
import { MAX_SOCKETS, NO_SOCKET } from '../../firmware-protocol/nina/constants.js';
import { ninaFields as f } from '../../firmware-protocol/nina/index.js';
import type { BackendLink, BackendServer } from '../backend.js';
import { osError, type OSError } from '../errors.js';
import { NinaLink, type LinkEngine } from './nina-link.js';

export interface ServerEngine extends LinkEngine {
  /** Runs `work` while no other socket number can be handed out (GET_SOCKET does not reserve). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** A client number came out of this server: it is a link of the back end now. */
  adopt(link: NinaLink): void;
  /** The module handed out number `n`: whoever here still holds it is stale (the module restarted). */
  claim(n: number): void;
  serverClosed(server: NinaServer): void;
}

export class NinaServer implements BackendServer {
  private readonly queue: NinaLink[] = [];
  private readonly listeners = new Set<() => void>();
  private failure: OSError | null = null;
  closed = false;

  constructor(
    readonly number: number,
    readonly port: number,
    private readonly engine: ServerEngine,
  ) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    this.engine.waiting(1);
    return () => {
      if (this.listeners.delete(listener)) this.engine.waiting(-1);
    };
  }

  get interested(): boolean {
    return this.listeners.size > 0 && !this.closed && this.failure === null;
  }

  acceptable(): boolean {
    const ready = this.failure !== null || this.queue.length > 0;
    if (!ready) this.engine.wantPoll();
    return ready;
  }

  accept(): BackendLink {
    if (this.failure) throw this.failure;
    const link = this.queue.shift();
    if (!link) throw new Error('accept() without a waiting client');
    return link;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const unaccepted = this.queue.splice(0);
    this.changed();
    this.engine.serverClosed(this);
    if (!this.failure) await this.engine.client.call('STOP_CLIENT_TCP', [f.u8(this.number)]).catch(() => undefined);
    await Promise.all(unaccepted.map((link) => link.close()));
  }

  /** One check for a new client (accept flag set: any pending connection). */
  async poll(): Promise<void> {
    if (!this.interested) return;
    const client = this.engine.client;
    const link = await this.engine.exclusive(async () => {
      const [avail] = await client.call('AVAIL_DATA_TCP', [f.u8(this.number), f.u8(1)]);
      const n = f.readU16le(avail);
      if (n === NO_SOCKET) return null;
      // On a number the module no longer listens on (it restarted) AVAIL_DATA_TCP reads 0 bytes,
      // which looks like "client 0": a client number counts only while the listener is there.
      const [listening] = await client.call('GET_STATE_TCP', [f.u8(this.number)]);
      if (f.readU8(listening) !== 1 || n >= MAX_SOCKETS) {
        this.fail(osError('ECONNABORTED', `the module restarted: it no longer listens on port ${this.port} (nina-fw announces no reset)`));
        this.engine.serverClosed(this);
        return null;
      }
      this.engine.claim(n);
      // Adopted inside the critical section, so no GET_SOCKET can hand the number out meanwhile.
      const link = new NinaLink(n, 'tcp', null, this.engine);
      this.engine.adopt(link);
      return link;
    });
    if (link === null) return;
    const [ip, port] = await client.call('GET_REMOTE_DATA', [f.u8(link.number ?? 0)]).catch(() => [f.ipv4Bytes('0.0.0.0'), f.u16be(0)]);
    link.remote = { ip: f.ipv4Text(ip), port: f.readU16be(port) };
    if (this.closed) {
      await link.close();
      return;
    }
    this.queue.push(link);
    this.changed();
  }

  fail(err: OSError): void {
    if (this.failure) return;
    this.failure = err;
    this.changed();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

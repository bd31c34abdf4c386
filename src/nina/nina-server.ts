/**
 * A listening socket number on the NINA module. Clients are handed out by AVAIL_DATA_TCP on the
 * listening number with the accept flag, which the back end polls while someone waits in accept().
 * nina-fw has no command that stops a listener: close() frees the number (STOP_CLIENT_TCP), the
 * listener itself lasts until the module resets (documented in docs/spi.md). A reset is noticed
 * when a client number turns up while GET_STATE_TCP says nothing listens: the server fails.
 */
import { bestEffort } from '../best-effort.js';
import { MAX_SOCKETS, NO_SOCKET } from '../../firmware-protocol/nina/constants.js';
import { ninaFields as f } from '../../firmware-protocol/nina/index.js';
import type { BackendLink, BackendServer } from '../backend.js';
import { osError, type OSError } from '../errors.js';
import { AcceptQueue } from '../links/accept-queue.js';
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
  private readonly clients: AcceptQueue<NinaLink>;
  private closedNow = false;

  constructor(
    readonly number: number,
    readonly port: number,
    private readonly engine: ServerEngine,
  ) {
    this.clients = new AcceptQueue<NinaLink>((delta) => engine.waiting(delta));
  }

  get closed(): boolean {
    return this.closedNow;
  }

  onChange(listener: () => void): () => void {
    return this.clients.listeners.add(listener);
  }

  get interested(): boolean {
    return this.clients.listeners.size > 0 && !this.closedNow && this.clients.failure === null;
  }

  acceptable(): boolean {
    return this.clients.acceptable();
  }

  /** Nothing waits: poll soon (nina-fw announces no client). */
  refresh(): void {
    if (!this.acceptable()) this.engine.wantPoll();
  }

  accept(): BackendLink {
    return this.clients.accept();
  }

  async close(): Promise<void> {
    if (this.closedNow) return;
    this.closedNow = true;
    const unaccepted = this.clients.takeUnaccepted();
    this.engine.serverClosed(this);
    if (!this.clients.failure) {
      await bestEffort(this.engine.client.call('STOP_CLIENT_TCP', [f.u8(this.number)]), this.engine.trace, `STOP_CLIENT_TCP ${this.number}`);
    }
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
    link.learnRemote({ ip: f.ipv4Text(ip), port: f.readU16be(port) });
    if (this.closedNow) {
      await link.close();
      return;
    }
    this.clients.enqueue(link);
  }

  fail(err: OSError): void {
    this.clients.fail(err);
  }
}

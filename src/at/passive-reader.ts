/**
 * Passive receive (AT+CIPRECVMODE=1): the module keeps each link's data until the host asks
 * for it, so nothing is lost whatever the application's pace (TCP pushes back on the peer when
 * the module's window is full). This reader fetches with CIPRECVDATA and keeps each link's
 * `pending` count honest:
 *   - `+IPD,<id>,<len>` notices give the module's total; they are re-armed by every read, so a
 *     notice printed after a read's final result already counts what is left;
 *   - notices can go missing (peers.md E2): whenever a reader finds nothing, and every
 *     `pollIntervalMs` while anyone waits, AT+CIPRECVLEN? says what the module really holds.
 */
import type { AtReply, AtRequest } from './at-client.js';
import type { AtLink } from './at-link.js';
import type { LinkIds } from './link-ids.js';
import { recvLengths } from './replies.js';
import type { AtRequests } from './requests.js';

export interface ReaderEngine {
  command(request: AtRequest): Promise<AtReply>;
  readonly requests: AtRequests;
  readonly ids: LinkIds;
  /** Largest CIPRECVDATA length. */
  readonly maxRecv: number;
  /** Passive mode is on and the module is usable. */
  readonly passive: boolean;
}

/** Ask CIPRECVLEN at most this often when readers keep finding nothing. */
const RECONCILE_MIN_INTERVAL_MS = 20;

export class PassiveReader {
  private waiters = 0;
  private poll: NodeJS.Timeout | null = null;
  private deferred: NodeJS.Timeout | null = null;
  private reconciling = false;
  private lastReconcile = 0;

  constructor(
    private readonly engine: ReaderEngine,
    private readonly pollIntervalMs: number,
  ) {}

  /** CIPRECVDATA for `link`: delivers the data and updates what the module still holds. */
  async fetch(link: AtLink, max: number): Promise<void> {
    const id = link.id;
    if (id === null) {
      link.pending = 0;
      return;
    }
    const cap = this.engine.maxRecv;
    // UDP: one datagram per read, and the unread rest of a datagram is lost: always ask for a
    // whole one. TCP: take what the module has (the socket layer buffers the surplus).
    const ask = link.kind === 'udp' ? cap : Math.min(cap, Math.max(link.pending, Math.min(max, cap)));
    const noticesBefore = link.notices;
    const reply = await this.engine.command(this.engine.requests.recvData(id, ask));
    let got = 0;
    for (const r of reply.received) {
      link.deliver(r.data, r.remote ? { ip: r.remote.ip, port: r.remote.port } : null);
      got += r.data.length;
    }
    const during = reply.urcs.filter((u) => u.kind === 'ipd-notice' && u.link === id).length;
    const noticedAfter = link.notices - noticesBefore > during;
    if (reply.result !== 'OK' || got === 0) link.pending = 0;
    else if (!noticedAfter) link.pending = link.kind === 'tcp' && got < ask ? 0 : Math.max(0, link.pending - got);
    // A link the peer closed is released once drained (peers.md E3).
    if (link.state === 'peer-closed' && link.pending === 0 && link.id !== null) this.engine.ids.release(link.id, link);
  }

  /** Someone started (+1) or stopped (-1) waiting on a link. */
  waiting(delta: number): void {
    this.waiters += delta;
    if (this.waiters > 0 && !this.poll) {
      this.poll = setInterval(() => this.reconcile(), this.pollIntervalMs);
      this.poll.unref();
    } else if (this.waiters <= 0) this.stopPolling();
  }

  /** A reader found nothing: check soon (now, or when the minimum interval has passed). */
  wantData(): void {
    const wait = this.lastReconcile + RECONCILE_MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) this.reconcile();
    else if (!this.deferred) {
      this.deferred = setTimeout(() => {
        this.deferred = null;
        this.reconcile();
      }, wait);
      this.deferred.unref();
    }
  }

  stop(): void {
    this.stopPolling();
    if (this.deferred) clearTimeout(this.deferred);
    this.deferred = null;
  }

  private stopPolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  private reconcile(): void {
    if (this.reconciling || !this.engine.passive || this.engine.ids.size === 0) return;
    this.reconciling = true;
    this.lastReconcile = Date.now();
    this.engine
      .command(this.engine.requests.recvLengths())
      .then((reply) => {
        if (reply.result !== 'OK') return;
        recvLengths(reply).forEach((length, id) => {
          const link = this.engine.ids.get(id);
          if (link && link.state !== 'closed' && length !== link.pending) link.setPending(length);
        });
      })
      .catch(() => undefined)
      .finally(() => {
        this.reconciling = false;
        this.lastReconcile = Date.now();
      });
  }
}

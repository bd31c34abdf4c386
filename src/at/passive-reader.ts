/**
 * Passive receive (AT+CIPRECVMODE=1): the module keeps each link's data until the host asks
 * for it, so nothing is lost whatever the application's pace (TCP pushes back on the peer when
 * the module's window is full). This reader fetches with CIPRECVDATA and keeps each link's
 * `pending` count honest:
 *   - `+IPD,<id>,<len>` notices give the module's total; they are re-armed by every read, so a
 *     notice printed after a read's final result already counts what is left;
 *   - notices can go missing (peers.md E2): when a reader finds nothing and the links have been
 *     quiet for a moment, and every `pollIntervalMs` while anyone waits, AT+CIPRECVLEN? says what
 *     the module really holds.
 *
 * Fast path: a read asks for what the module said it holds (up to the firmware's largest
 * CIPRECVDATA), never more — the firmware allocates what is asked. Once an application read has
 * started a chain, the next CIPRECVDATA is queued from the previous one's final result in the
 * same turn (AtRequest.settled) while the module still holds data for the link and less than
 * READ_AHEAD_BYTES wait on the host, so a stream is read with no idle line between reads.
 */
import { owedClock, type Clock, type ClockTimer } from '../clock.js';
import type { TraceSink } from './trace.js';
import { isOSError, osError } from '../errors.js';
import type { AtReply, AtRequest } from './at-client.js';
import type { AtLink } from './at-link.js';
import type { LinkIds } from './link-ids.js';
import { LinkCheck } from './link-check.js';
import { recvLengths } from './replies.js';
import type { AtRequests } from './requests.js';

export interface ReaderEngine {
  /** A read started by the application (waits for the module to be synchronised). */
  command(request: AtRequest): Promise<AtReply>;
  /** A follow-up queued from a settled hook: straight into the client's queue. */
  runNow(request: AtRequest): Promise<AtReply>;
  readonly requests: AtRequests;
  readonly ids: LinkIds;
  /** Largest CIPRECVDATA length. */
  readonly maxRecv: number;
  /** Passive mode is on and the module is usable. */
  readonly passive: boolean;
  /** Background timers (the deferred check; the poll, which is owed to a waiter, see schedulePoll). */
  readonly clock: Clock;
  readonly trace?: TraceSink;
}

/** Ask CIPRECVLEN at most this often, and only after the links were this long without news. */
const RECONCILE_MIN_INTERVAL_MS = 20;

/** Bytes read ahead of the application, per link, before the chain of reads pauses. */
export const READ_AHEAD_BYTES = 64 * 1024;

export class PassiveReader {
  private waiters = 0;
  private poll: ClockTimer | null = null;
  private deferred: ClockTimer | null = null;
  private reconciling = false;
  private lastReconcile = 0;
  /** A lost `<id>,CLOSED` (E16): the module's link list, compared while someone waits. */
  private readonly linkCheck: LinkCheck;
  /** The read in flight (queued or running) per link: one at a time. */
  private readonly reading = new Map<AtLink, Promise<void>>();

  constructor(
    private readonly engine: ReaderEngine,
    private readonly pollIntervalMs: number,
  ) {
    this.linkCheck = new LinkCheck(engine);
  }

  /**
   * CIPRECVDATA for `link`: resolves once a read has delivered (or found nothing); a chain of
   * further reads may continue behind it (see the file comment).
   */
  fetch(link: AtLink): Promise<void> {
    const running = this.reading.get(link);
    if (running) return running;
    if (link.id === null) {
      link.pendingAfterRead(0);
      return Promise.resolve();
    }
    return this.read(link, link.id, false);
  }

  /** Someone started (+1) or stopped (-1) waiting on a link. */
  waiting(delta: number): void {
    this.waiters += delta;
    if (this.waiters > 0 && !this.poll) this.schedulePoll();
    else if (this.waiters <= 0) this.stopPolling();
  }

  /**
   * A reader found nothing: check soon. Not while data is flowing — a notice is then on its way
   * and a CIPRECVLEN would only delay the read it announces — nor more often than the minimum.
   */
  wantData(): void {
    if (this.deferred) return;
    const wait = this.quietSince() + RECONCILE_MIN_INTERVAL_MS - this.engine.clock.now();
    if (wait <= 0) return this.reconcile();
    this.deferred = this.engine.clock.setTimeout(() => {
      this.deferred = null;
      this.wantData();
    }, wait);
  }

  stop(): void {
    this.stopPolling();
    if (this.deferred) this.engine.clock.clearTimeout(this.deferred);
    this.deferred = null;
  }

  // ---- reads ----------------------------------------------------------------------------

  /** `afterFull`: queued from a read that got all it asked for. */
  private read(link: AtLink, id: number, chained: boolean, afterFull = false): Promise<void> {
    const cap = this.engine.maxRecv;
    // UDP: one datagram per read, and the unread rest of a datagram is lost: always room for a
    // whole one (E4). TCP: what the module said it holds — a lower bound, since data goes on
    // arriving after a notice; in a stream whose last read came back full the module evidently
    // has more than that, so the largest read.
    const ask = link.kind === 'udp' || link.pending <= 0 || afterFull ? cap : Math.min(cap, link.pending);
    const noticesBefore = link.notices;
    let done: Promise<void>;
    const request: AtRequest = {
      ...this.engine.requests.recvData(id, ask),
      settled: (outcome) => {
        if (this.reading.get(link) === done) this.reading.delete(link);
        if (outcome instanceof Error) {
          // Not answered in time: its late answer is thrown away (drain.ts), and with it whatever
          // data the module handed out — the stream has a hole.
          if (isOSError(outcome, 'ETIMEDOUT')) link.fail(osError('EIO', 'the module did not answer AT+CIPRECVDATA in time: received data may be lost'));
          return;
        }
        this.apply(link, id, ask, noticesBefore, outcome);
        const full = outcome.received.reduce((n, r) => n + r.data.length, 0) === ask;
        // A chained read's failure is handled by its own settled hook (above); nothing more to do here.
        if (this.continues(link, id)) void this.read(link, id, true, full).catch((err: unknown) => this.traceFailure('chained read', err));
      },
    };
    done = (chained ? this.engine.runNow(request) : this.engine.command(request)).then(() => undefined);
    this.reading.set(link, done);
    return done;
  }

  /** Delivers a read's data and updates what the module still holds. */
  private apply(link: AtLink, id: number, ask: number, noticesBefore: number, reply: AtReply): void {
    let got = 0;
    for (const r of reply.received) {
      link.deliver(r.data, r.remote ? { ip: r.remote.ip, port: r.remote.port } : null);
      got += r.data.length;
    }
    if (reply.result === 'OK' && reply.received.length === 0 && (reply.lines.length > 0 || reply.infos.length > 0)) {
      // OK, yet no +CIPRECVDATA we could read, and text instead: its header was damaged on the
      // line and the module has handed out data we never got. The stream has a hole: fail it.
      link.fail(osError('EIO', 'the answer to AT+CIPRECVDATA was garbled on the serial line: received data was lost'));
      return;
    }
    const during = reply.urcs.filter((u) => u.kind === 'ipd-notice' && u.link === id).length;
    const noticedAfter = link.notices - noticesBefore > during;
    if (reply.result !== 'OK' || got === 0) link.pendingAfterRead(0);
    else if (!noticedAfter) link.pendingAfterRead(link.kind === 'tcp' && got < ask ? 0 : Math.max(0, link.pending - got));
    // A link the peer closed is released once drained (peers.md E3).
    if (link.state === 'peer-closed' && link.pending === 0 && link.id !== null) this.engine.ids.release(link.id, link);
  }

  private traceFailure(what: string, err: unknown): void {
    this.engine.trace?.(`! ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  private continues(link: AtLink, id: number): boolean {
    return (
      this.engine.passive &&
      link.id === id &&
      link.state !== 'closed' &&
      link.failure === null &&
      link.pending > 0 &&
      link.buffered < READ_AHEAD_BYTES
    );
  }

  // ---- reconciliation (missed notices) ------------------------------------------------------

  /** When anything was last heard: a reconcile, a notice, data. */
  private quietSince(): number {
    let last = this.lastReconcile;
    for (const link of this.engine.ids.all()) last = Math.max(last, link.lastActivityAt);
    return last;
  }

  /**
   * Every pollIntervalMs while someone waits. The poll is owed to that waiter (an application read
   * is awaiting it): on real time it keeps the process alive, as a pending read on a Node socket does
   * — with `emu:` nothing else may (a notice the module never prints, E2, would otherwise end the
   * process with the read still awaited).
   */
  private schedulePoll(): void {
    this.poll = this.pollClock.setTimeout(() => {
      this.schedulePoll();
      this.reconcile();
    }, this.pollIntervalMs);
  }

  private stopPolling(): void {
    if (this.poll) this.pollClock.clearTimeout(this.poll);
    this.poll = null;
  }

  private get pollClock(): Clock {
    return owedClock(this.engine.clock);
  }

  private reconcile(): void {
    if (this.waiters > 0 && this.engine.passive) this.linkCheck.maybe();
    if (this.reconciling || !this.engine.passive || this.engine.ids.size === 0) return;
    this.reconciling = true;
    this.lastReconcile = this.engine.clock.now();
    this.engine
      .command(this.engine.requests.recvLengths())
      .then((reply) => {
        if (reply.result !== 'OK') return;
        recvLengths(this.engine.requests.profile, reply).forEach((length, id) => {
          const link = this.engine.ids.get(id);
          if (link && link.state !== 'closed' && length !== link.pending) link.setPending(length);
        });
      })
      .catch((err: unknown) => this.traceFailure('AT+CIPRECVLEN?', err))
      .finally(() => {
        this.reconciling = false;
        this.lastReconcile = this.engine.clock.now();
      });
  }
}

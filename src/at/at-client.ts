/**
 * One AT client per module: a queue that sends one command at a time and matches its final
 * result, with every unsolicited message routed the moment it is parsed — before an echo,
 * between info lines and OK, while waiting for `>` or SEND OK (esp-at.md §7.1).
 *
 * The codec (firmware-protocol/at) is the only parser; this class only decides what each event
 * means for the command in flight. Its states and their moves are named in client-states.ts:
 *   - echo lines equal to the command are dropped (echo is on after every boot);
 *   - `busy p...` while a command is in flight (busy-probe.ts): when an earlier command of ours
 *     may still run in the module (one that timed out), the module DISCARDED ours: the next final
 *     result is that earlier command's, skipped, then ours is sent again. Otherwise nothing says
 *     whether ours was refused or the line was a stray one after an answer (peers.md E6): ours is
 *     never sent twice on a guess (a second CIPRECVDATA would eat data, a second CIPSEND line
 *     would become payload); after a quiet moment a probe (`AT+UART_CUR?`, whose answer no
 *     command of ours has) tells: its answer before ours = ours was refused, send it again;
 *   - a command that timed out may still be answered late: before the next one goes out the
 *     client drains (drain.ts) — the probe, and everything up to its answer thrown away;
 *   - `ready` fails every queued command (the module lost all state) and tells the owner, who
 *     resynchronises; so does an echo of our command after ATE0 — echo comes back on at every
 *     boot, so the module restarted and its `ready` was lost on the line;
 *   - a write that fails fails the command that wrote (EIO, the port's error as its cause).
 */
import type { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import type { FinalResult, HostEvent, Urc } from '../../firmware-protocol/at/types.js';
import type { AtClientOptions, AtEventHandlers, AtReply, AtRequest } from './at-request.js';
import { osError } from '../errors.js';
import type { HostPort } from '../host-port/types.js';
import { owedClock, systemClock } from '../clock.js';
import type { Clock } from '../clock.js';
import { BusyWatch } from './busy-probe.js';
import { createJob, moveJob } from './client-job.js';
import type { Job } from './client-job.js';
import { lineOut, moveMode } from './client-states.js';
import type { ClientMode, EchoState } from './client-states.js';
import { Drain } from './drain.js';
import { describeEvent, escapeBytes } from './trace.js';
import type { TraceSink } from './trace.js';

export type { AtClientOptions, AtEventHandlers, AtReply, AtRequest } from './at-request.js';

export class AtClient {
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private mode: ClientMode = { kind: 'ready' };
  private echo: EchoState = 'unknown';
  /** Payload of a CIPSEND that timed out before its prompt. */
  private orphanPayload: Uint8Array | null = null;
  /** After a command timed out: its late answer is thrown away before the next command (drain.ts). */
  private readonly drain: Drain;
  private readonly busyWatch: BusyWatch;
  /** Counts receive() calls: bytes of one call were all on their way before anything written during it. */
  private turn = 0;
  /** When the module last sent anything (ms, on the clock). */
  private lastHeard = 0;
  /** Raw mode: where the module's bytes will go, given before the entering command runs. */
  /** Sees each counted payload (HTTP piece, AT+FS read) as it arrives (progress); the reply collects them too. */
  onPiece: ((command: string, data: Uint8Array) => void) | null = null;
  private pendingRawSink: ((bytes: Uint8Array) => void) | null = null;
  private readonly trace: TraceSink | undefined;
  private readonly busyRetryMs: number;
  private readonly maxCommandMs: number;
  /** Deadlines and re-sends: timers owed to the caller of run(). */
  private readonly clock: Clock;

  constructor(
    private readonly port: HostPort,
    private readonly parser: HostResponseParser,
    private readonly handlers: AtEventHandlers,
    options: AtClientOptions = {},
  ) {
    this.trace = options.trace;
    this.busyRetryMs = options.busyRetryMs ?? 100;
    this.maxCommandMs = options.maxCommandMs ?? Number.POSITIVE_INFINITY;
    this.clock = owedClock(options.clock ?? systemClock);
    this.drain = new Drain(
      this.clock,
      (bytes) => this.write(null, bytes),
      (drained) => {
        if (this.mode.kind === 'draining') this.setMode({ kind: drained ? 'ready' : 'late' });
        this.pump();
      },
      this.trace,
    );
    const client = this;
    this.busyWatch = new BusyWatch({
      clock: this.clock,
      trace: this.trace,
      current: () => this.current,
      turn: () => this.turn,
      lastHeard: () => this.lastHeard,
      lateAnswerOwed: () => client.mode.kind === 'draining' || client.mode.kind === 'late',
      resend: (job) => this.send(job),
      write: (job, bytes) => this.write(job, bytes),
    });
    port.onData((bytes) => this.receive(bytes));
    port.onClose((err) => {
      this.shutdown(osError('EIO', `the serial port closed${err ? `: ${err.message}` : ''}`, err ?? undefined));
      this.handlers.onPortClosed(err);
    });
  }

  /** Queues a command; resolves with its reply whatever the final result (ERROR included). */
  run(request: AtRequest): Promise<AtReply> {
    if (this.mode.kind === 'closed') return Promise.reject(this.mode.reason);
    return new Promise<AtReply>((resolve, reject) => {
      this.queue.push(createJob(request, this.busyRetryMs, resolve, reject));
      this.pump();
    });
  }

  /** Commands waiting or in flight. */
  get busy(): boolean {
    return this.current !== null || this.queue.length > 0;
  }

  /** In raw mode (transparent transmission)? */
  get raw(): boolean {
    return this.mode.kind === 'raw';
  }

  /** Raw mode: where the module's bytes go until leaveRaw() (set before the entering command runs). */
  onRaw(sink: (bytes: Uint8Array) => void): void {
    this.pendingRawSink = sink;
  }

  /** Raw mode: bytes straight to the module (no framing, no echo expected). */
  writeRaw(bytes: Uint8Array): Promise<void> {
    if (this.mode.kind === 'closed') return Promise.reject(this.mode.reason);
    return this.port.write(bytes);
  }

  /** Back to commands (the module left transparent transmission): queued commands go out again. */
  leaveRaw(): void {
    if (this.mode.kind !== 'raw') return;
    this.setMode({ kind: 'ready' });
    this.parser.leavePassthrough();
    this.trace?.('! raw mode left: commands again');
    this.pump();
  }

  /** Fails every command and stops; the port is closed by its owner. */
  shutdown(reason: Error): void {
    if (this.mode.kind === 'closed') return;
    this.setMode({ kind: 'closed', reason });
    this.failAll(reason);
  }

  /** The one place the client's mode changes (client-states.ts lists the moves). */
  private setMode(to: ClientMode): void {
    this.mode = moveMode(this.mode, to);
  }

  private failAll(reason: Error): void {
    this.drain.stop();
    if (this.mode.kind === 'draining') this.setMode({ kind: 'late' });
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const job of jobs) this.settle(job, reason);
  }

  private pump(): void {
    if (this.current || this.mode.kind === 'closed' || this.mode.kind === 'raw' || this.mode.kind === 'draining') return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    job.deadline = this.clock.setTimeout(() => this.expire(job), this.limitOf(job));
    this.send(job);
  }

  private send(job: Job): void {
    moveJob(job, 'sent');
    job.sentInTurn = this.turn;
    job.echoed = false;
    this.busyWatch.disarm(job);
    this.trace?.(`> ${escapeBytes(job.text, 512)}`);
    this.write(job, job.request.line);
  }

  /**
   * Every write to the module. A failed write fails the job it was for; one for no job (the drain's
   * probe, the orphan payload of a timed-out send) fails the command in flight, or those queued.
   */
  private write(job: Job | null, bytes: Uint8Array): void {
    this.port.write(bytes).catch((err: unknown) => {
      const reason = osError('EIO', `write failed: ${err instanceof Error ? err.message : String(err)}`, err);
      const owner = job ?? this.current;
      if (owner) return this.abort(owner, reason);
      this.trace?.(`! ${reason.message}: failing the queued commands`);
      for (const queued of this.queue.splice(0)) this.settle(queued, reason);
    });
  }

  private expire(job: Job): void {
    if (this.current !== job) return;
    this.trace?.(`! no final result for ${job.text} within ${this.limitOf(job)} ms`);
    // A prompt may still come for it: the module would then take our next command as payload.
    if (job.request.payload && lineOut(job.state)) this.orphanPayload = job.request.payload;
    if (this.mode.kind !== 'draining') this.setMode({ kind: 'draining' });
    this.drain.start();
    this.abort(job, osError('ETIMEDOUT', `the module did not answer ${job.text} within ${this.limitOf(job)} ms`));
  }

  private limitOf(job: Job): number {
    return Math.min(job.request.timeoutMs, this.maxCommandMs);
  }

  private abort(job: Job, err: Error): void {
    if (this.current !== job) return;
    this.current = null;
    this.settle(job, err);
    this.pump();
  }

  private finish(job: Job, result: FinalResult): void {
    this.current = null;
    this.settle(job, { result, ...job.reply });
    this.pump();
  }

  private settle(job: Job, outcome: AtReply | Error): void {
    if (job.deadline) this.clock.clearTimeout(job.deadline);
    job.deadline = undefined;
    this.busyWatch.disarm(job);
    moveJob(job, 'settled');
    if (!(outcome instanceof Error) && job.text === 'ATE0' && outcome.result === 'OK') this.echo = 'off';
    if (job.request.settled) {
      try {
        job.request.settled(outcome);
      } catch (err) {
        this.trace?.(`! settled hook failed: ${(err as Error).message}`);
      }
    }
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }

  private receive(bytes: Uint8Array): void {
    this.turn += 1;
    this.lastHeard = this.clock.now();
    this.parser.push(bytes);
    for (let event = this.parser.next(); event !== undefined; event = this.parser.next()) {
      this.trace?.(`< ${describeEvent(event)}`);
      try {
        this.dispatch(event);
      } catch (err) {
        // A handler bug must not kill the engine; it is reported on the trace.
        this.trace?.(`! handler failed: ${(err as Error).message}`);
      }
    }
  }

  private dispatch(event: HostEvent): void {
    const job = this.current;
    if (!job && this.mode.kind === 'draining' && this.drain.take(event)) return;
    switch (event.type) {
      case 'final':
        if (job) this.onFinal(job, event.result);
        else if (this.mode.kind === 'late') this.setMode({ kind: 'ready' }); // the late result of a command that timed out: it is over
        return;
      case 'prompt':
        this.onPrompt(job);
        return;
      case 'info':
        job?.reply.infos.push({ name: event.name, text: event.text });
        if (job && job.state === 'payload' && job.request.endsAtInfo === event.name) this.finish(job, 'OK');
        return;
      case 'line':
        if (job && event.text === job.text) {
          job.echoed = true;
          if (this.echo === 'off') this.moduleRestarted('it echoes commands again: it restarted and its `ready` was lost', true);
          return;
        }
        job?.reply.lines.push(event.text);
        return;
      case 'recv-data':
        job?.reply.received.push({ data: event.data, remote: event.remote });
        return;
      case 'piece':
        job?.reply.pieces.push(event.data);
        this.onPiece?.(event.command, event.data);
        return;
      case 'ipd':
        this.handlers.onIpd(event.link, event.data, event.remote);
        return;
      case 'mqtt-recv':
        this.handlers.onMqttMessage?.(event.link, event.topic, event.data);
        return;
      case 'urc':
        this.onUrc(job, event.urc);
        return;
      case 'passthrough':
        if (this.mode.kind === 'raw') this.mode.sink(event.bytes);
        return;
      case 'recv-bytes':
        return;
    }
  }

  private onPrompt(job: Job | null): void {
    if (job?.request.entersRaw && lineOut(job.state)) {
      // Transparent transmission: what follows the `>` is data, already in the parser's hands.
      this.parser.enterPassthrough();
      this.setMode({ kind: 'raw', sink: this.pendingRawSink ?? (() => undefined) });
      this.pendingRawSink = null;
      this.trace?.('! raw mode: every byte is data until +++');
      this.finish(job, 'OK');
    } else if (job?.request.payload && lineOut(job.state)) {
      moveJob(job, 'payload');
      this.busyWatch.disarm(job);
      this.orphanPayload = null;
      this.trace?.(`> [${job.request.payload.length} bytes] ${escapeBytes(job.request.payload, 48)}`);
      this.write(job, job.request.payload);
    } else if (this.orphanPayload) {
      // The late prompt of a timed-out send: give the module the bytes it waits for.
      this.trace?.(`! late prompt: completing the abandoned send (${this.orphanPayload.length} bytes)`);
      this.write(null, this.orphanPayload);
      this.orphanPayload = null;
    }
  }

  private onFinal(job: Job, result: FinalResult): void {
    if (this.echo === 'on' && !job.echoed && lineOut(job.state)) {
      this.trace?.(`! ${result} came before the echo of ${job.text}: the late answer of an earlier command`);
      return;
    }
    if (this.busyWatch.takeProbeAnswer(job)) return;
    if (this.mode.kind === 'late') this.setMode({ kind: 'ready' });
    if (job.state === 'refused') {
      // The module threw our line away while an earlier (timed-out) command ran: this result is that command's.
      this.trace?.(`! ${result} belongs to an earlier command; sending ${job.text} again`);
      this.send(job);
      return;
    }
    // A CIPSEND and the passthrough entry both get an OK before their prompt.
    if (!job.sending) {
      if (result === 'SEND OK' || result === 'SEND FAIL' || result === 'SEND CANCELLED') return; // stale, from an abandoned send
      this.finish(job, result);
      return;
    }
    if (lineOut(job.state)) {
      if (result === 'ERROR' || result === 'FAIL') this.finish(job, result);
      return; // the OK before the prompt
    }
    if (result !== 'OK') this.finish(job, result);
  }

  private onUrc(job: Job | null, urc: Urc): void {
    if (urc.kind === 'ready') {
      this.moduleRestarted('ready', false);
      return;
    }
    if (urc.kind === 'busy') {
      if (job && lineOut(job.state)) this.busyWatch.onBusy(job);
      return;
    }
    job?.reply.urcs.push(urc);
    this.handlers.onUrc(urc);
  }

  /**
   * The module restarted (`ready`, or an echo after ATE0): every command fails, the owner
   * resynchronises. `echoSeen`: the module was just seen echoing, so results are matched by echo
   * until ATE0 (after a plain `ready` nothing is assumed about echo).
   */
  private moduleRestarted(why: string, echoSeen: boolean): void {
    this.echo = echoSeen ? 'on' : 'unknown';
    this.orphanPayload = null;
    this.failAll(osError('ECONNABORTED', `the module restarted (${why}): its links and settings are gone`));
    if (this.mode.kind === 'late') this.setMode({ kind: 'ready' });
    this.handlers.onReset();
  }
}

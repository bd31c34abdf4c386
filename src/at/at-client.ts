/**
 * One AT client per module: a queue that sends one command at a time and matches its final
 * result, with every unsolicited message routed the moment it is parsed — before an echo,
 * between info lines and OK, while waiting for `>` or SEND OK (esp-at.md §7.1).
 *
 * The codec (firmware-protocol/at) is the only parser; this class only decides what each event
 * means for the command in flight:
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
 *     boot, so the module restarted and its `ready` was lost on the line.
 */
import type { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import type { FinalResult, HostEvent, RemoteInfo, Urc } from '../../firmware-protocol/at/types.js';
import type { AtClientOptions, AtEventHandlers, AtReply, AtRequest } from './at-request.js';
import { OSError, osError } from '../errors.js';
import type { HostPort } from '../host-port/types.js';
import { PROBE_LINE, PROBE_TEXT, SEND_QUIET_MS, probeAnswered, stripProbeAnswer } from './busy-probe.js';
import { Drain } from './drain.js';
import { describeEvent, escapeBytes } from './trace.js';
import type { TraceSink } from './trace.js';

export type { AtClientOptions, AtEventHandlers, AtReply, AtRequest } from './at-request.js';

interface Job {
  readonly request: AtRequest;
  /** The line without CR LF, as the echo shows it. */
  readonly text: string;
  readonly reply: {
    infos: { name: string; text: string }[];
    lines: string[];
    received: { data: Uint8Array; remote: RemoteInfo | null }[];
    pieces: Uint8Array[];
    urcs: Urc[];
  };
  phase: 'queued' | 'sent' | 'payload';
  /** busy p... said the module threw the line away (an earlier command of ours was running). */
  discarded: boolean;
  /** After an unclear busy: 'armed' = a probe goes out if nothing comes; 'sent' = its answer decides. */
  probe: 'none' | 'armed' | 'sent';
  /** The receive turn during which the line was written (busy-probe.ts: a busy of that turn predates it). */
  sentInTurn: number;
  /** The module echoed this line (it does after every boot until ATE0). */
  echoed: boolean;
  retryDelayMs: number;
  deadline?: NodeJS.Timeout;
  retry?: NodeJS.Timeout;
  resolve(reply: AtReply): void;
  reject(err: Error): void;
}

export class AtClient {
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private closed: Error | null = null;
  /** Payload of a CIPSEND that timed out before its prompt. */
  private orphanPayload: Uint8Array | null = null;
  /** A command that timed out may still run in the module: a busy line then means ours was discarded. */
  private abandoned = false;
  /** After a command timed out: its late answer is thrown away before the next command (drain.ts). */
  private readonly drain: Drain;
  /** ATE0 succeeded in this boot of the module: an echo now means it restarted. */
  private echoOff = false;
  /**
   * The module restarted, so it echoes every line until ATE0: a result that comes before the echo
   * of the command in flight is not its answer (it is the late answer of one sent before the
   * restart was noticed) — otherwise every later command would take the one before's answer.
   */
  private echoOn = false;
  /** Counts receive() calls: bytes of one call were all on their way before anything written during it. */
  private turn = 0;
  /** When the module last sent anything (ms, performance clock). */
  private lastHeard = 0;
  /** Raw mode (transparent transmission): where the module's bytes go; no command is sent meanwhile. */
  private rawSink: ((bytes: Uint8Array) => void) | null = null;
  /** Sees each counted payload (HTTP piece, AT+FS read) as it arrives (progress); the reply collects them too. */
  onPiece: ((command: string, data: Uint8Array) => void) | null = null;
  private pendingRawSink: ((bytes: Uint8Array) => void) | null = null;
  private readonly trace: TraceSink | undefined;
  private readonly busyRetryMs: number;
  private readonly maxCommandMs: number;

  constructor(
    private readonly port: HostPort,
    private readonly parser: HostResponseParser,
    private readonly handlers: AtEventHandlers,
    options: AtClientOptions = {},
  ) {
    this.trace = options.trace;
    this.busyRetryMs = options.busyRetryMs ?? 100;
    this.maxCommandMs = options.maxCommandMs ?? Number.POSITIVE_INFINITY;
    this.drain = new Drain(
      (bytes) => void this.port.write(bytes).catch(() => undefined),
      (drained) => {
        if (drained) this.abandoned = false;
        this.pump();
      },
      this.trace,
    );
    port.onData((bytes) => this.receive(bytes));
    port.onClose((err) => {
      const reason = osError('EIO', `the serial port closed${err ? `: ${err.message}` : ''}`);
      this.shutdown(reason);
      this.handlers.onPortClosed(err);
    });
  }

  /** Queues a command; resolves with its reply whatever the final result (ERROR included). */
  run(request: AtRequest): Promise<AtReply> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<AtReply>((resolve, reject) => {
      const text = Buffer.from(request.line).toString('latin1').replace(/\r\n$/, '');
      this.queue.push({
        request,
        text,
        reply: { infos: [], lines: [], received: [], pieces: [], urcs: [] },
        phase: 'queued',
        discarded: false,
        probe: 'none',
        sentInTurn: -1,
        echoed: false,
        retryDelayMs: this.busyRetryMs,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  /** Commands waiting or in flight. */
  get busy(): boolean {
    return this.current !== null || this.queue.length > 0;
  }

  /** In raw mode (transparent transmission)? */
  get raw(): boolean {
    return this.rawSink !== null;
  }

  /** Raw mode: where the module's bytes go until leaveRaw() (set before the entering command runs). */
  onRaw(sink: (bytes: Uint8Array) => void): void {
    this.pendingRawSink = sink;
  }

  /** Raw mode: bytes straight to the module (no framing, no echo expected). */
  writeRaw(bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(this.closed);
    return this.port.write(bytes);
  }

  /** Back to commands (the module left transparent transmission): queued commands go out again. */
  leaveRaw(): void {
    if (!this.rawSink) return;
    this.rawSink = null;
    this.parser.leavePassthrough();
    this.trace?.('! raw mode left: commands again');
    this.pump();
  }

  /** Fails every command and stops; the port is closed by its owner. */
  shutdown(reason: Error): void {
    if (this.closed) return;
    this.closed = reason;
    this.failAll(reason);
  }

  private failAll(reason: Error): void {
    this.drain.stop();
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const job of jobs) this.settle(job, reason);
  }

  private pump(): void {
    if (this.current || this.closed || this.rawSink || this.drain.active) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    job.deadline = setTimeout(() => this.expire(job), this.limitOf(job));
    this.send(job);
  }

  private send(job: Job): void {
    job.phase = 'sent';
    job.discarded = false;
    job.probe = 'none';
    job.sentInTurn = this.turn;
    job.echoed = false;
    clearTimeout(job.retry);
    this.trace?.(`> ${escapeBytes(job.text, 512)}`);
    this.port.write(job.request.line).catch((err: Error) => this.abort(job, osError('EIO', `write failed: ${err.message}`)));
  }

  private expire(job: Job): void {
    if (this.current !== job) return;
    this.trace?.(`! no final result for ${job.text} within ${this.limitOf(job)} ms`);
    // A prompt may still come for it: the module would then take our next command as payload.
    if (job.request.payload && job.phase === 'sent') this.orphanPayload = job.request.payload;
    this.abandoned = true;
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
    clearTimeout(job.deadline);
    clearTimeout(job.retry);
    job.probe = 'none';
    if (!(outcome instanceof Error) && job.text === 'ATE0' && outcome.result === 'OK') {
      this.echoOff = true;
      this.echoOn = false;
    }
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
    this.lastHeard = performance.now();
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
    if (!job && this.drain.active && this.drain.take(event)) return;
    switch (event.type) {
      case 'final':
        if (job) this.onFinal(job, event.result);
        else this.abandoned = false; // the late result of a command that timed out: it is over
        return;
      case 'prompt':
        if (job?.request.entersRaw && job.phase === 'sent') {
          // Transparent transmission: what follows the `>` is data, already in the parser's hands.
          this.parser.enterPassthrough();
          this.rawSink = this.pendingRawSink ?? (() => undefined);
          this.pendingRawSink = null;
          this.trace?.('! raw mode: every byte is data until +++');
          this.finish(job, 'OK');
        } else if (job?.request.payload && job.phase === 'sent') {
          job.phase = 'payload';
          job.discarded = false;
          this.orphanPayload = null;
          this.trace?.(`> [${job.request.payload.length} bytes] ${escapeBytes(job.request.payload, 48)}`);
          this.port.write(job.request.payload).catch((err: Error) => this.abort(job, osError('EIO', `write failed: ${err.message}`)));
        } else if (this.orphanPayload) {
          // The late prompt of a timed-out send: give the module the bytes it waits for.
          this.trace?.(`! late prompt: completing the abandoned send (${this.orphanPayload.length} bytes)`);
          void this.port.write(this.orphanPayload).catch(() => undefined);
          this.orphanPayload = null;
        }
        return;
      case 'info':
        job?.reply.infos.push({ name: event.name, text: event.text });
        return;
      case 'line':
        if (job && event.text === job.text) {
          job.echoed = true;
          if (this.echoOff) this.moduleRestarted('it echoes commands again: it restarted and its `ready` was lost', true);
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
      case 'urc':
        this.onUrc(job, event.urc);
        return;
      case 'passthrough':
        this.rawSink?.(event.bytes);
        return;
      case 'recv-bytes':
        return;
    }
  }

  private onFinal(job: Job, result: FinalResult): void {
    if (this.echoOn && !job.echoed && job.phase === 'sent') {
      this.trace?.(`! ${result} came before the echo of ${job.text}: the late answer of an earlier command`);
      return;
    }
    if (probeAnswered(job.reply)) {
      // The probe's answer (no command of ours has a +UART_CUR line).
      stripProbeAnswer(job.reply);
      if (job.probe === 'sent') {
        // Answered before ours: the module had thrown ours away.
        this.trace?.(`! the probe answered first: ${job.text} was discarded; sending it again`);
        this.send(job);
      } else if (job.discarded) {
        // The earlier command ours was refused for was a probe: it is over now.
        this.send(job);
      }
      // Otherwise the late answer of an earlier probe: nobody's.
      return;
    }
    if (job.discarded) {
      // The module threw our line away while an earlier (timed-out) command ran: this result is that command's.
      this.trace?.(`! ${result} belongs to an earlier command; sending ${job.text} again`);
      this.abandoned = false;
      clearTimeout(job.retry);
      this.send(job);
      return;
    }
    this.abandoned = false;
    // A CIPSEND and the passthrough entry both get an OK before their prompt.
    const sending = job.request.payload !== undefined || job.request.entersRaw === true;
    if (!sending) {
      if (result === 'SEND OK' || result === 'SEND FAIL') return; // stale, from an abandoned send
      this.finish(job, result);
      return;
    }
    if (job.phase === 'sent') {
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
      if (job && job.phase === 'sent') this.onBusy(job);
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
    this.echoOff = false;
    this.echoOn = echoSeen;
    this.abandoned = false;
    this.orphanPayload = null;
    this.failAll(new OSError(osError('ECONNABORTED').errno, `the module restarted (${why}): its links and settings are gone`));
    this.handlers.onReset();
  }

  /** `busy p...` / `busy s...` while `job`'s line is with the module (see the file comment). */
  private onBusy(job: Job): void {
    if (job.probe === 'sent') {
      // The probe was refused: ours still runs. Ask again later.
      job.probe = 'none';
      this.armProbe(job);
      return;
    }
    if (job.discarded || job.probe === 'armed') return;
    if (job.sentInTurn === this.turn) {
      // Parsed from bytes that had arrived before our line was written: not an answer to it.
      this.trace?.(`! stray busy line (it was on its way before ${job.text})`);
      return;
    }
    if (this.abandoned) {
      job.discarded = true;
      this.trace?.(`! ${job.text} was discarded (busy) while an earlier command runs; sending it again after that one's result`);
      return;
    }
    this.trace?.(`! busy while ${job.text} is with the module: waiting for its answer`);
    this.armProbe(job);
  }

  /**
   * A probe if nothing answers `job` for a while. Not for a CIPSEND: if the module took it and its
   * prompt is late, any byte we write becomes payload. A CIPSEND line is sent again only after the
   * module has been silent for SEND_QUIET_MS since the busy line (busy-probe.ts).
   */
  private armProbe(job: Job): void {
    const sending = job.request.payload !== undefined || job.request.entersRaw === true;
    const delay = sending ? SEND_QUIET_MS : job.retryDelayMs;
    if (!sending) job.retryDelayMs = Math.min(job.retryDelayMs * 2, 2000);
    const since = performance.now();
    job.probe = 'armed';
    clearTimeout(job.retry);
    job.retry = setTimeout(() => {
      if (this.current !== job || job.probe !== 'armed' || job.phase !== 'sent') return;
      if (sending) {
        job.probe = 'none';
        // Anything heard meanwhile may be the start of its answer: keep waiting.
        if (this.lastHeard > since) return this.armProbe(job);
        this.trace?.(`! nothing for ${job.text} ${SEND_QUIET_MS} ms after busy: it was discarded; sending it again`);
        this.send(job);
        return;
      }
      job.probe = 'sent';
      this.trace?.(`> ${PROBE_TEXT} (probe: was ${job.text} discarded?)`);
      this.port.write(PROBE_LINE).catch(() => undefined);
    }, delay);
  }
}

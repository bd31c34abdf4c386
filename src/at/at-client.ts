/**
 * One AT client per module: a queue that sends one command at a time and matches its final
 * result, with every unsolicited message routed the moment it is parsed — before an echo,
 * between info lines and OK, while waiting for `>` or SEND OK (esp-at.md §7.1).
 *
 * The codec (firmware-protocol/at) is the only parser; this class only decides what each event
 * means for the command in flight:
 *   - echo lines equal to the command are dropped (echo is on after every boot);
 *   - `busy p...` while a command is in flight means the module DISCARDED it (its previous job
 *     still runs, peers.md E6): the next final result belongs to that earlier job and is skipped,
 *     then the command is sent again; with no such final it is re-sent after a back-off;
 *   - `ready` fails every queued command (the module lost all state) and tells the owner, who
 *     resynchronises.
 */
import type { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import type { FinalResult, HostEvent, RemoteInfo, Urc } from '../../firmware-protocol/at/types.js';
import { OSError, osError } from '../errors.js';
import type { HostPort } from '../host-port/types.js';
import { describeEvent, escapeBytes } from './trace.js';
import type { TraceSink } from './trace.js';

export interface AtRequest {
  /** One command line, CR LF included (from formatCommand). */
  readonly line: Uint8Array;
  /** How long the module may take to give the final result. */
  readonly timeoutMs: number;
  /** Bytes to write after the data prompt `>` (CIPSEND); the command then ends at SEND OK/FAIL. */
  readonly payload?: Uint8Array;
}

export interface AtReply {
  readonly result: FinalResult;
  readonly infos: readonly { readonly name: string; readonly text: string }[];
  /** Other text lines (`ALREADY CONNECTED`, `no ip`, `DNS Fail`, `No AP`, GMR lines). */
  readonly lines: readonly string[];
  /** `+CIPRECVDATA` payloads. */
  readonly received: readonly { readonly data: Uint8Array; readonly remote: RemoteInfo | null }[];
  /** Unsolicited messages that arrived while this command ran (they were routed too). */
  readonly urcs: readonly Urc[];
}

export interface AtEventHandlers {
  onUrc(urc: Urc): void;
  /** Active-mode data (`+IPD,...:<data>`). */
  onIpd(link: number | null, data: Uint8Array, remote: RemoteInfo | null): void;
  /** The module restarted (`ready`); every command was failed already. */
  onReset(): void;
  /** The port went away by itself. */
  onPortClosed(err: Error | null): void;
}

export interface AtClientOptions {
  readonly trace?: TraceSink;
  /** First re-send delay after `busy p...` (doubles up to 2 s). */
  readonly busyRetryMs?: number;
}

interface Job {
  readonly request: AtRequest;
  /** The line without CR LF, as the echo shows it. */
  readonly text: string;
  readonly reply: {
    infos: { name: string; text: string }[];
    lines: string[];
    received: { data: Uint8Array; remote: RemoteInfo | null }[];
    urcs: Urc[];
  };
  phase: 'queued' | 'sent' | 'payload';
  /** busy p... said the module threw the line away. */
  discarded: boolean;
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
  private readonly trace: TraceSink | undefined;
  private readonly busyRetryMs: number;

  constructor(
    private readonly port: HostPort,
    private readonly parser: HostResponseParser,
    private readonly handlers: AtEventHandlers,
    options: AtClientOptions = {},
  ) {
    this.trace = options.trace;
    this.busyRetryMs = options.busyRetryMs ?? 100;
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
        reply: { infos: [], lines: [], received: [], urcs: [] },
        phase: 'queued',
        discarded: false,
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

  /** Fails every command and stops; the port is closed by its owner. */
  shutdown(reason: Error): void {
    if (this.closed) return;
    this.closed = reason;
    this.failAll(reason);
  }

  private failAll(reason: Error): void {
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const job of jobs) this.settle(job, reason);
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    job.deadline = setTimeout(() => this.expire(job), job.request.timeoutMs);
    this.send(job);
  }

  private send(job: Job): void {
    job.phase = 'sent';
    job.discarded = false;
    this.trace?.(`> ${escapeBytes(job.text, 512)}`);
    this.port.write(job.request.line).catch((err: Error) => this.abort(job, osError('EIO', `write failed: ${err.message}`)));
  }

  private expire(job: Job): void {
    if (this.current !== job) return;
    this.trace?.(`! no final result for ${job.text} within ${job.request.timeoutMs} ms`);
    // A prompt may still come for it: the module would then take our next command as payload.
    if (job.request.payload && job.phase === 'sent') this.orphanPayload = job.request.payload;
    this.abort(job, osError('ETIMEDOUT', `the module did not answer ${job.text} within ${job.request.timeoutMs} ms`));
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
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }

  private receive(bytes: Uint8Array): void {
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
    switch (event.type) {
      case 'final':
        if (job) this.onFinal(job, event.result);
        return;
      case 'prompt':
        if (job?.request.payload && job.phase === 'sent') {
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
        if (job && event.text !== job.text) job.reply.lines.push(event.text);
        return;
      case 'recv-data':
        job?.reply.received.push({ data: event.data, remote: event.remote });
        return;
      case 'ipd':
        this.handlers.onIpd(event.link, event.data, event.remote);
        return;
      case 'urc':
        this.onUrc(job, event.urc);
        return;
      case 'recv-bytes':
      case 'passthrough':
        return;
    }
  }

  private onFinal(job: Job, result: FinalResult): void {
    if (job.discarded) {
      // The module threw our line away while an earlier (timed-out) command ran: this result is that command's.
      this.trace?.(`! ${result} belongs to an earlier command; sending ${job.text} again`);
      clearTimeout(job.retry);
      this.send(job);
      return;
    }
    const sending = job.request.payload !== undefined;
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
      this.failAll(new OSError(osError('ECONNABORTED').errno, 'the module restarted (ready): its links and settings are gone'));
      this.handlers.onReset();
      return;
    }
    if (urc.kind === 'busy') {
      if (job && job.phase === 'sent' && !job.discarded) {
        job.discarded = true;
        const delay = job.retryDelayMs;
        job.retryDelayMs = Math.min(job.retryDelayMs * 2, 2000);
        this.trace?.(`! ${job.text} was discarded (busy); sending it again in ${delay} ms`);
        job.retry = setTimeout(() => {
          if (this.current === job && job.discarded) this.send(job);
        }, delay);
      }
      return;
    }
    job?.reply.urcs.push(urc);
    this.handlers.onUrc(urc);
  }
}

/**
 * The probe AtClient sends after an unclear `busy p...` (peers.md E6): was our command refused,
 * or was the busy line a stray one after an earlier answer? `AT+UART_CUR?` is harmless, exists on
 * ESP-AT 2.x and NonOS 1.7, and its answer (`+UART_CUR:…`) is one no command of the driver has,
 * so whichever final result comes with that line is the probe's:
 *   - the probe's answer before any answer of ours → ours was thrown away: send it again (the
 *     module is idle now, so it runs once);
 *   - our answer first → ours ran; the probe's answer that follows is nobody's and is dropped;
 *   - `busy` again → the module is still running ours: wait, probe again later.
 */
import type { Clock } from '../clock.js';
import type { Job } from './client-job.js';
import { moveJob } from './client-job.js';
import type { TraceSink } from './trace.js';

export const PROBE_TEXT = 'AT+UART_CUR?';

/**
 * A CIPSEND cannot be probed: if the module took it and its prompt is late, the probe would be
 * payload. After a busy line that did not come with an earlier command of ours running, and was
 * not already on its way before our line (AtClient counts receive turns), the CIPSEND line is sent
 * again once the module has said nothing at all for this long. The residual risk: a module that
 * printed a busy line without refusing our CIPSEND and then held its `>` longer than this. Real
 * firmware's busy is a refusal (peers.md E6); only a fault plan could do it (a stray busy line
 * followed by a long stall), and the soak would count it.
 */
export const SEND_QUIET_MS = 1500;
export const PROBE_LINE: Uint8Array = Buffer.from(`${PROBE_TEXT}\r\n`, 'latin1');

/** The info line only the probe's answer carries. */
const PROBE_INFO = 'UART_CUR';

interface ReplyItems {
  infos: { name: string; text: string }[];
  lines: string[];
}

/** Whether the reply collected so far holds the probe's answer. */
export function probeAnswered(reply: ReplyItems): boolean {
  return reply.infos.some((info) => info.name === PROBE_INFO);
}

/** Takes the probe's lines (its answer, and its echo if echo was on) out of a command's reply. */
export function stripProbeAnswer(reply: ReplyItems): void {
  reply.infos = reply.infos.filter((info) => info.name !== PROBE_INFO);
  reply.lines = reply.lines.filter((line) => line !== PROBE_TEXT);
}

/** What the busy watch needs from the AtClient. */
export interface BusyHost {
  readonly clock: Clock;
  readonly trace: TraceSink | undefined;
  /** The job in flight. */
  current(): Job | null;
  /** receive() calls so far: bytes of one call were all on their way before anything written during it. */
  turn(): number;
  /** When the module last sent anything (clock ms). */
  lastHeard(): number;
  /** A command of ours that timed out may still run in the module (client mode draining or late). */
  lateAnswerOwed(): boolean;
  /** Writes the job's line again. */
  resend(job: Job): void;
  /** Writes bytes for `job`; a failed write fails it. */
  write(job: Job, bytes: Uint8Array): void;
}

/**
 * `busy p...` / `busy s...` while a job's line is with the module, and the probe that settles
 * what an unclear one meant (the file comment above; the job states in client-states.ts).
 */
export class BusyWatch {
  constructor(private readonly host: BusyHost) {}

  /** A busy line while `job`'s line is out (job.state is one of lineOut()). */
  onBusy(job: Job): void {
    const { trace } = this.host;
    if (job.state === 'probe-sent') {
      // The probe was refused: ours still runs. Ask again later.
      this.arm(job);
      return;
    }
    if (job.state === 'refused' || job.state === 'probe-armed') return;
    if (job.sentInTurn === this.host.turn()) {
      // Parsed from bytes that had arrived before our line was written: not an answer to it.
      trace?.(`! stray busy line (it was on its way before ${job.text})`);
      return;
    }
    if (this.host.lateAnswerOwed()) {
      moveJob(job, 'refused');
      trace?.(`! ${job.text} was discarded (busy) while an earlier command runs; sending it again after that one's result`);
      return;
    }
    trace?.(`! busy while ${job.text} is with the module: waiting for its answer`);
    this.arm(job);
  }

  /**
   * A final result came with the probe's answer in `job`'s reply: takes it out and decides. Returns
   * false when the reply holds no probe answer (the result is someone else's to judge).
   */
  takeProbeAnswer(job: Job): boolean {
    if (!probeAnswered(job.reply)) return false;
    stripProbeAnswer(job.reply);
    if (job.state === 'probe-sent') {
      // Answered before ours: the module had thrown ours away.
      this.host.trace?.(`! the probe answered first: ${job.text} was discarded; sending it again`);
      this.host.resend(job);
    } else if (job.state === 'refused') {
      // The earlier command ours was refused for was a probe: it is over now.
      this.host.resend(job);
    }
    // Otherwise the late answer of an earlier probe: nobody's.
    return true;
  }

  /** Stops the job's probe timer (it was answered, sent again, or settled). */
  disarm(job: Job): void {
    if (job.retry) this.host.clock.clearTimeout(job.retry);
    job.retry = undefined;
  }

  /**
   * A probe if nothing answers `job` for a while. Not for a CIPSEND: if the module took it and its
   * prompt is late, any byte we write becomes payload. A CIPSEND line is sent again only after the
   * module has been silent for SEND_QUIET_MS since the busy line.
   */
  private arm(job: Job): void {
    const { clock, trace } = this.host;
    const delay = job.sending ? SEND_QUIET_MS : job.retryDelayMs;
    if (!job.sending) job.retryDelayMs = Math.min(job.retryDelayMs * 2, 2000);
    const since = clock.now();
    moveJob(job, 'probe-armed');
    this.disarm(job);
    job.retry = clock.setTimeout(() => {
      job.retry = undefined;
      if (this.host.current() !== job || job.state !== 'probe-armed') return;
      if (job.sending) {
        // Anything heard meanwhile may be the start of its answer: keep waiting.
        if (this.host.lastHeard() > since) return this.arm(job);
        trace?.(`! nothing for ${job.text} ${SEND_QUIET_MS} ms after busy: it was discarded; sending it again`);
        this.host.resend(job);
        return;
      }
      moveJob(job, 'probe-sent');
      trace?.(`> ${PROBE_TEXT} (probe: was ${job.text} discarded?)`);
      this.host.write(job, PROBE_LINE);
    }, delay);
  }
}

/**
 * Request/reply over a byte-stream port for the NINA back end. The module answers requests in
 * the order they arrive (its loop runs one at a time), so every reply, error reply included,
 * answers the oldest request still outstanding. A request that timed out stays outstanding,
 * abandoned: its late reply is recognised by position and dropped, so later requests stay in step
 * (the "out of step after a timeout" failure of SPI hosts, peers.md N1, cannot happen here). One
 * that is never answered (the module reset while running it, its frame lost on the line) is
 * forgotten when a reply to another command arrives; the next request after a timeout is preceded
 * by a probe of another command (resync) so that this happens before a same-command reply can be
 * taken for the lost one's.
 */
import { NinaCode, findNinaCommand, type NinaCommandName } from '../../firmware-protocol/nina/command-table.js';
import { formatRequest } from '../../firmware-protocol/nina/formatters.js';
import { NinaReplyParser } from '../../firmware-protocol/nina/reply-parser.js';
import type { NinaReplyEvent } from '../../firmware-protocol/nina/types.js';
import { OSError, errno, osError } from '../errors.js';
import type { HostPort } from '../host-port/types.js';
import type { TraceSink } from '../at/trace.js';
import { owedClock, systemClock } from '../clock.js';
import type { Clock } from '../clock.js';

/** How long a reply may take, per command; the rest get DEFAULT_REPLY_MS. Blocking commands run on the module. */
const REPLY_MS: Partial<Record<NinaCommandName, number>> = {
  START_CLIENT_TCP: 25_000, // nina-fw's connect can block ~18 s (peers.md N2)
  SCAN_NETWORKS: 15_000,
  REQ_HOST_BY_NAME: 15_000,
  SEND_DATA_TCP: 15_000,
  START_SERVER_TCP: 5_000,
};
export const DEFAULT_REPLY_MS = 3_000;

/** Harmless requests with no parameters, to get back in step after a timeout (resync). */
const RESYNC_PROBES: readonly NinaCommandName[] = ['GET_FW_VERSION', 'GET_CONN_STATUS'];

/** The module answered `EF 00 EE`: unknown or unsupported command, or a request it could not read. */
export class NinaErrorReply extends OSError {
  constructor(readonly command: NinaCommandName) {
    super(errno.EIO, `the module answered ${command} with the error reply`);
  }
}

interface Outstanding {
  readonly name: NinaCommandName;
  readonly resolve: (params: readonly Uint8Array[]) => void;
  readonly reject: (err: OSError) => void;
  abandoned: boolean;
}

/** A command and its parameters for the trace: short ones in hex, long ones by size. */
function show(name: string, params: readonly Uint8Array[]): string {
  const shown = params.map((p) => (p.length <= 16 ? Buffer.from(p).toString('hex') : `<${p.length} bytes>`));
  return [name, ...shown].join(' ');
}

export class NinaClient {
  private readonly parser = new NinaReplyParser();
  private readonly outstanding: Outstanding[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private failure: OSError | null = null;

  constructor(
    private readonly port: HostPort,
    private readonly trace: TraceSink | undefined,
    private readonly onPortClosed: (err: OSError) => void,
    /** Reply deadlines: timers owed to the caller (src/clock.ts). */
    private readonly clock: Clock = owedClock(systemClock),
  ) {
    port.onData((bytes) => this.received(bytes));
    port.onClose((err) => {
      const reason = osError('EIO', `the serial port ${port.path} closed${err ? `: ${err.message}` : ''}`, err ?? undefined);
      this.shutdown(reason);
      onPortClosed(reason);
    });
  }

  /** Sends one request after the previous ones were answered; resolves with the reply's parameters. */
  call(name: NinaCommandName, params: readonly Uint8Array[] = [], timeoutMs = REPLY_MS[name] ?? DEFAULT_REPLY_MS): Promise<readonly Uint8Array[]> {
    const run = this.chain.then(async () => {
      await this.resync();
      return this.send(name, params, timeoutMs);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * After a timeout, one request of another command before the next real one. A reply names only its
   * command, so a request that timed out because the module never got it (bytes lost on the line, a
   * reset) would take the reply of the next request of the same command, which would then time out
   * in turn, and so on for as long as the host repeats it (a poll loop). The probe's reply settles it:
   * the abandoned request's late reply comes first and is dropped, or the probe's own reply comes and
   * shows the abandoned request was lost (answer() forgets it). Its outcome is not the caller's.
   */
  private async resync(): Promise<void> {
    const abandoned = this.outstanding.filter((request) => request.abandoned).map((request) => request.name);
    if (abandoned.length === 0 || this.failure) return;
    const probe = RESYNC_PROBES.find((name) => !abandoned.includes(name)) ?? RESYNC_PROBES[0];
    this.trace?.(`! resynchronising after a timeout: ${probe} before the next request`);
    await this.send(probe, [], DEFAULT_REPLY_MS).catch(() => undefined);
  }

  /** Fails everything outstanding and every later call. */
  shutdown(reason: OSError): void {
    this.failure ??= reason;
    for (const request of this.outstanding.splice(0)) if (!request.abandoned) request.reject(reason);
  }

  private send(name: NinaCommandName, params: readonly Uint8Array[], timeoutMs: number): Promise<readonly Uint8Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<readonly Uint8Array[]>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        request.abandoned = true;
        this.trace?.(`! ${name}: no reply within ${timeoutMs} ms (a late reply will be dropped)`);
        reject(osError('ETIMEDOUT', `the module did not answer ${name} within ${timeoutMs} ms`));
      }, timeoutMs);
      const request: Outstanding = {
        name,
        abandoned: false,
        resolve: (reply) => {
          this.clock.clearTimeout(timer);
          resolve(reply);
        },
        reject: (err) => {
          this.clock.clearTimeout(timer);
          reject(err);
        },
      };
      this.outstanding.push(request);
      this.trace?.(`> ${show(name, params)}`);
      this.port.write(formatRequest(NinaCode[name], params)).catch((err: Error) => {
        this.shutdown(osError('EIO', `writing to ${this.port.path} failed: ${err.message}`, err));
      });
    });
  }

  private received(bytes: Uint8Array): void {
    this.parser.push(bytes);
    for (let event = this.parser.next(); event !== undefined; event = this.parser.next()) this.answer(event);
  }

  private answer(event: NinaReplyEvent): void {
    if (event.type === 'skipped') {
      this.trace?.(`! ${event.count} stray bytes before a reply skipped`);
      return;
    }
    // A reply names its command. An abandoned request it does not answer will never be answered
    // (the module lost it: a reset, or bytes dropped on the line): forget it, or every later reply
    // would be matched one request too early. Error replies name nothing and go to the oldest.
    if (event.type === 'reply') {
      while (this.outstanding.length > 1 && this.outstanding[0].abandoned && event.command !== NinaCode[this.outstanding[0].name]) {
        // Not inside the trace call: `trace?.(…)` evaluates nothing when there is no trace.
        const forgotten = this.outstanding.shift()!;
        this.trace?.(`! ${forgotten.name}: abandoned, never answered; forgotten`);
      }
    }
    const request = this.outstanding.shift();
    if (request === undefined) {
      this.trace?.(`! unsolicited ${event.type} from the module dropped`);
      return;
    }
    const late = request.abandoned ? ' (late, dropped)' : '';
    if (event.type === 'reply' && event.replyFlag && event.command === NinaCode[request.name]) {
      this.trace?.(`< ${show(request.name, event.params)}${late}`);
      if (!request.abandoned) request.resolve(event.params);
      return;
    }
    if (event.type === 'error-reply') {
      this.trace?.(`< ${request.name}: error reply${late}`);
      if (!request.abandoned) request.reject(new NinaErrorReply(request.name));
      return;
    }
    const what = event.type === 'reply' ? `a reply to ${findNinaCommand(event.command)?.name ?? event.command}` : `a malformed frame`;
    this.trace?.(`! ${request.name} was answered with ${what}${late}`);
    if (!request.abandoned) request.reject(osError('EIO', `the module answered ${request.name} with ${what}`));
  }
}

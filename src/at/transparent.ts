/**
 * Transparent transmission (ESP-AT "passthrough", AT+CIPMODE=1) for one TCP/TLS link that the
 * application asked for (SO_PASSTHROUGH): after `AT+CIPSEND` and its `>`, every byte the host
 * writes goes to the peer and every byte the peer sends comes out of the UART, with no command,
 * header or round trip in between — the line's whole rate is the link's.
 *
 * It is a mode of the whole module: ESP-AT allows it only with CIPMUX=0 (one link, no server), and
 * while it lasts the module hears no command, so the driver sends none (other sockets, getaddrinfo
 * and wlan calls get EBUSY) and the module's messages (CLOSED, ready, WIFI ...) would be data.
 *
 *   open   [TLS: SSL settings of link 0, which is the single link's] AT+CIPMUX=0, AT+CIPMODE=1,
 *          AT+CIPRECVMODE=0, AT+CIPSTART="TCP"|"SSL",..., AT+CIPSEND  →  `>`  →  raw
 *   close  silence, `+++`, silence (esp-at.md: ≥ 20 ms each side), 1 s before the next command,
 *          AT (any answer means command mode), AT+CIPCLOSE, AT+CIPMODE=0, AT+CIPMUX=1,
 *          AT+CIPRECVMODE=1
 */
import { bestEffort } from '../best-effort.js';
import type { LinkSpec } from '../backend.js';
import type { Clock } from '../clock.js';
import { osError } from '../errors.js';
import type { OSError } from '../errors.js';
import type { HostPort } from '../host-port/types.js';
import type { AtReply } from './at-client.js';
import type { AtEngine } from './at-engine.js';
import type { LinkOpener } from './link-opener.js';
import { TransparentLink } from './transparent-link.js';

export { TransparentLink } from './transparent-link.js';

export interface TransparentTiming {
  /** Silence around `+++`; the firmware needs ≥ 20 ms. */
  readonly guardMs: number;
  /** After `+++`, before the next command: ESP-AT asks for ≥ 1 s. */
  readonly settleMs: number;
}

export const TRANSPARENT_TIMING: TransparentTiming = { guardMs: 50, settleMs: 1000 };

/**
 * Bytes that may still be on their way after a write resolved and a drain: the kernel's tty
 * buffer and the adapter's FIFO (or an emulated line's queue). The silence before `+++` counts
 * from when they would have left at the line rate.
 */
const IN_FLIGHT_BYTES = 8 * 1024;

const ESCAPE = Buffer.from('+++', 'latin1');

/**
 * `+++` with the silence the firmware needs on both sides, measured at the module: what was
 * written before must have crossed the line first. Used to close a transparent link, and by the
 * synchronisation when a module does not answer (a session that ended without leaving the mode).
 */
export async function escapeTransparent(
  port: HostPort,
  write: (bytes: Uint8Array) => Promise<void>,
  timing: TransparentTiming,
  clock: Clock,
): Promise<void> {
  await port.drained?.().catch(() => undefined);
  const lineMs = port.baudRate ? (IN_FLIGHT_BYTES * 10 * 1000) / port.baudRate : 0;
  await clock.sleep(timing.guardMs + lineMs);
  await write(ESCAPE);
  await clock.sleep(timing.guardMs + (port.baudRate ? (ESCAPE.length * 10 * 1000) / port.baudRate : 0));
}

const ok = (reply: AtReply): boolean => reply.result === 'OK';

/** Back to CIPMODE=0, CIPMUX=1 after transparent mode (or a failed attempt at it). */
async function restoreNormalMode(engine: AtEngine): Promise<boolean> {
  const { client, requests } = engine;
  await bestEffort(client.run(requests.transferMode(false)), engine.trace, 'AT+CIPMODE=0');
  const mux = await bestEffort(client.run(requests.mux(true)), engine.trace, 'AT+CIPMUX=1');
  if (engine.facts?.passive) await bestEffort(client.run(requests.passiveReceive(true)), engine.trace, 'AT+CIPRECVMODE=1');
  return mux !== null && ok(mux);
}

/**
 * Opens `spec` as the module's only link in transparent mode. The caller has checked that the
 * module has no other link, server or connect in progress, and marked it taken.
 */
export async function openTransparent(engine: AtEngine, opener: LinkOpener, spec: LinkSpec, link: TransparentLink): Promise<void> {
  const { client, requests } = engine;
  const { kind, remote } = link;
  if (!remote) throw osError('EDESTADDRREQ');
  // ESP-AT keeps SSL settings per link id; the single link of CIPMUX=0 is id 0.
  if (kind === 'tls') {
    const failure = await opener.configureTls(0, spec);
    if (failure) throw failure;
  }
  if (!ok(await client.run(requests.mux(false)))) {
    await restoreNormalMode(engine);
    throw osError('EBUSY', 'the module refused AT+CIPMUX=0 (single-link mode, needed for transparent mode)');
  }
  if (!ok(await client.run(requests.transferMode(true)))) {
    await restoreNormalMode(engine);
    throw osError('EOPNOTSUPP', 'the module refused AT+CIPMODE=1 (transparent mode)');
  }
  // Passive receive does not apply to transparent mode: what the peer sends before the `>` must
  // come out as `+IPD,<len>:<data>` (the owner routes it to the link), the rest raw after it.
  if (engine.facts?.passive && !ok(await client.run(requests.passiveReceive(false)))) {
    await restoreNormalMode(engine);
    throw osError('EOPNOTSUPP', 'the module refused AT+CIPRECVMODE=0 (needed for transparent mode)');
  }
  const start = await client.run(requests.startSingle(kind === 'tls' ? 'SSL' : 'TCP', remote.ip, remote.port, spec.keepAliveSec));
  if (!ok(start)) {
    await restoreNormalMode(engine);
    throw opener.startFailure(start, spec, false);
  }
  client.onRaw((bytes) => link.deliver(bytes));
  let entered: AtReply | null = null;
  try {
    entered = await client.run(requests.enterPassthrough());
  } finally {
    if (!entered || !ok(entered)) {
      await bestEffort(client.run(requests.closeSingle()), engine.trace, 'closing the single link');
      await restoreNormalMode(engine);
    }
  }
  if (ok(entered)) {
    link.raw = true;
    return;
  }
  // The peer sent its data and closed before the `>` (the module refuses CIPSEND on a closed
  // link): the connect worked, the data came as `+IPD`, and the stream has ended.
  if (link.readable()) return;
  throw osError('ECONNRESET', `the module refused AT+CIPSEND (transparent mode): ${entered.result}`);
}

/**
 * `+++` and back to normal mode. Resolves true when the module answers commands again in
 * multi-link mode; false when it could not be brought back (the caller resynchronises).
 */
export async function closeTransparent(engine: AtEngine, port: HostPort, timing: TransparentTiming): Promise<boolean> {
  const { client, requests } = engine;
  for (let attempt = 1; attempt <= 2; attempt++) {
    // A second attempt waits longer: the first `+++` may have followed data still on the line.
    const guardMs = attempt === 1 ? timing.guardMs : timing.guardMs * 4;
    await escapeTransparent(port, (bytes) => client.writeRaw(bytes), { guardMs, settleMs: timing.settleMs }, engine.clock);
    await engine.clock.sleep(timing.settleMs);
    client.leaveRaw();
    // Any final result means command mode (`+++` left in the module's line buffer makes this
    // line `+++AT`: ERROR); silence means the escape went out as data.
    const answered = await client.run({ ...requests.at(), timeoutMs: 1000 }).then(
      () => true,
      () => false,
    );
    if (answered) {
      await bestEffort(client.run(requests.closeSingle()), engine.trace, 'closing the single link');
      return restoreNormalMode(engine);
    }
    engine.trace?.(`! no answer after +++ (attempt ${attempt}): the module may still be in transparent mode`);
  }
  return false;
}

/**
 * The module-wide side of transparent mode for AtBackend: who owns the module, the checks before
 * taking it, and the way back (resynchronising when the module does not come back).
 */
export class ExclusiveMode {
  /** The link that owns the module (from the first command of its opening); null in normal mode. */
  private owner: TransparentLink | null = null;

  constructor(
    private readonly engine: AtEngine,
    private readonly opener: LinkOpener,
    private readonly port: HostPort,
    private readonly timing: TransparentTiming,
    /** The module did not come back to normal mode: start over. */
    private readonly lost: () => void,
  ) {}

  get active(): boolean {
    return this.owner !== null;
  }

  busyError(): OSError {
    return osError('EBUSY', 'the module is in transparent mode for one socket (SO_PASSTHROUGH): nothing else until it is closed');
  }

  async open(spec: LinkSpec): Promise<TransparentLink> {
    const { engine } = this;
    if (spec.kind === 'udp') throw osError('EOPNOTSUPP', 'transparent mode is for TCP and TLS sockets');
    if (spec.kind === 'tls' && !engine.requests.profile.ssl.passthrough) {
      throw osError('EOPNOTSUPP', `${engine.requests.profile.title} has no transparent mode over SSL`);
    }
    if (this.owner) throw this.busyError();
    if (engine.ids.size > 0 || this.opener.opening || engine.server || engine.client.busy) {
      throw osError('EBUSY', 'transparent mode needs the module to itself: close the other sockets and the server first');
    }
    const link = new TransparentLink(spec.remote, spec.kind, engine.client, (l) => this.leave(l));
    this.owner = link;
    try {
      await openTransparent(engine, this.opener, spec, link);
      return link;
    } catch (err) {
      this.owner = null;
      throw err;
    }
  }

  /** Active-mode data of the single link (`+IPD,<len>:`), before the `>` or after `+++`. */
  deliver(data: Uint8Array): void {
    this.owner?.deliver(data);
  }

  /** `CLOSED` of the single link, seen while the module was not in raw mode. */
  peerClosed(): void {
    this.owner?.peerClosed();
  }

  /** The module reset or the back end closed: the link fails, the client is back to commands. */
  fail(err: OSError): void {
    this.owner?.fail(err);
    this.owner = null;
    this.engine.client.leaveRaw();
  }

  private async leave(link: TransparentLink): Promise<void> {
    if (this.owner !== link || this.engine.closed) return;
    if (!link.raw) {
      // Never got to raw mode (the peer closed first): the module is in normal mode already.
      this.owner = null;
      return;
    }
    const back = await closeTransparent(this.engine, this.port, this.timing).catch(() => false);
    if (this.owner !== link) return;
    this.owner = null;
    if (!back && !this.engine.closed) {
      this.engine.trace?.('! the module did not come back from transparent mode: resynchronising');
      this.lost();
    }
  }
}

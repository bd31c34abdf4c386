import { withDeadline } from '../lib/deadline.js';
import { startDriverRig, startNetPeer, type DriverRig, type NetPeer } from '../lib/driver-rig.js';
import { judge, mib, type Figure, type Judgement } from '../lib/figures.js';
import { benchPattern } from '../lib/host-port.js';
import { isOSError } from '../../src/errors.js';
import type { Socket } from '../../src/usocket/socket.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * Bulk TCP goodput through the whole stack: application → usocket → AT driver → serialport → PTY
 * → emulator (its own process) → loopback TCP → the net peer (a third process), and back.
 *
 * Upload: sendall() of N bytes; the clock stops when the far end has received the last byte.
 * Download: once connected, one request byte, then the far end sends N bytes and closes; the
 * clock runs from the request to the last byte.
 * Both in the driver's normal mode (CIPSEND / passive CIPRECVDATA, any number of sockets) and in
 * transparent mode (SO_PASSTHROUGH: one socket owns the module, raw bytes both ways).
 *
 * Unthrottled (the PTY as fast as it goes): judged against the raw PTY throughput of the same
 * direction measured earlier in the same run (target ≥ 0.5). Paced (`--pace`, the host at 115200
 * or 921600 baud): judged against the line rate baud/10 B/s (targets ≥ 0.97 and ≥ 0.95).
 */

export type Direction = 'up' | 'down';
export type DriverMode = 'normal' | 'transparent';

const READ_SIZE = 64 * 1024;
const PACED_TARGETS: Readonly<Record<number, number>> = { 115200: 0.97, 921600: 0.95 };

export interface BulkResult {
  /** Bytes that reached the far end (upload) or the application (download). */
  readonly delivered: number;
  /** Bytes sent that never arrived (an emulated module with no flow control, e.g. transparent mode on an unpaced PTY). */
  readonly lost: number;
  readonly seconds: number;
  readonly bytesPerS: number;
}

/** How long a transfer may make no progress before what arrived is taken as all that will. */
const STALL_MS = 3000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Upload: what the sink got and when its last byte came (the net peer's Date.now()), by polling
 * its count: complete at `bytes`, or given up once everything was handed over and nothing more
 * arrives (the rest was lost on the way).
 */
async function sinkOutcome(net: NetPeer, bytes: number, sending: Promise<void>, timeoutMs: number): Promise<{ got: number; at: number }> {
  let sent = false;
  void sending.then(
    () => (sent = true),
    () => undefined,
  );
  const deadline = Date.now() + timeoutMs;
  let last = { got: -1, at: 0, seenAt: Date.now() };
  for (;;) {
    net.send({ cmd: 'sink-count' });
    const count = await net.next('sink-count', 5000);
    const got = Number(count.bytes);
    if (got >= bytes) return { got, at: Number(count.at) };
    if (got !== last.got) last = { got, at: Number(count.at), seenAt: Date.now() };
    if ((sent && Date.now() - last.seenAt > STALL_MS) || Date.now() > deadline) return { got: last.got, at: last.at };
    await sleep(bytes > 256 * 1024 ? 50 : 10);
  }
}

/** Moves `bytes` one way through `rig` and times it. */
export async function bulkTransfer(rig: DriverRig, net: NetPeer, direction: Direction, mode: DriverMode, bytes: number, timeoutMs: number): Promise<BulkResult> {
  const { usocket } = rig.copro;
  const socket: Socket = usocket.socket();
  if (mode === 'transparent') socket.setsockopt(usocket.SOL_SOCKET, usocket.SO_PASSTHROUGH, 1);
  try {
    if (direction === 'up') {
      const data = benchPattern(bytes);
      await socket.connect(['127.0.0.1', net.ports.sink]);
      net.send({ cmd: 'sink', bytes });
      await net.next('sinking', 5000);
      const started = Date.now();
      const sending = withDeadline(socket.sendall(data), timeoutMs, `sendall of ${bytes} bytes`);
      const { got, at } = await sinkOutcome(net, bytes, sending, timeoutMs);
      await sending;
      const seconds = Math.max(0.001, (at - started) / 1000);
      return { delivered: got, lost: bytes - got, seconds, bytesPerS: got / seconds };
    }
    net.send({ cmd: 'source', bytes });
    await net.next('sourcing', 5000);
    await socket.connect(['127.0.0.1', net.ports.source]);
    const started = performance.now();
    await socket.sendall('G'); // the request: the source starts pouring
    let got = 0;
    let lastAt = started;
    // Transparent mode has no end-of-stream from the module: count to N, or stop when nothing
    // more comes (what did not arrive was lost in an emulated module with no flow control).
    socket.settimeout(STALL_MS / 1000);
    const deadline = started + timeoutMs;
    while (got < bytes && performance.now() < deadline) {
      let chunk: Uint8Array;
      try {
        chunk = await socket.recv(READ_SIZE);
      } catch (error) {
        if (isOSError(error, 'ETIMEDOUT')) break;
        throw error;
      }
      if (chunk.length === 0) break;
      got += chunk.length;
      lastAt = performance.now();
    }
    const delivered = Math.min(got, bytes);
    const seconds = Math.max(0.001, (lastAt - started) / 1000);
    return { delivered, lost: bytes - delivered, seconds, bytesPerS: delivered / seconds };
  } finally {
    await socket.close();
  }
}

/** Sizes, time, and the loss that makes a figure invalid. */
function describe(bytes: number, result: BulkResult): string {
  const size = bytes >= 1024 * 1024 ? `${mib(bytes)} MiB` : `${bytes / 1024} KiB`;
  const loss = result.lost > 0 ? `; INVALID: ${result.lost} bytes lost (the emulator has no flow control toward a host in transparent mode on an unpaced PTY)` : '';
  return `${size} in ${result.seconds.toFixed(2)} s${loss}`;
}

/** A transfer that lost bytes is not a goodput: never judged as met. */
function withLoss(judged: Judgement, result: BulkResult): Judgement {
  return result.lost > 0 ? { ...judged, met: false } : judged;
}

function label(direction: Direction, mode: DriverMode, where: string): string {
  return `driver TCP ${direction === 'up' ? 'upload' : 'download'}${mode === 'transparent' ? ' transparent' : ''} ${where}`;
}

function unthrottledJudgement(context: BenchContext, direction: Direction, bytesPerS: number): Judgement {
  const id = direction === 'up' ? 'raw-pty.host-to-emu' : 'raw-pty.emu-to-host';
  const raw = context.figure(id);
  const against = `raw PTY ${direction === 'up' ? 'host → emulator' : 'emulator → host'}`;
  if (!raw) return judge(Number.NaN, 1, `${against} (not measured in this run)`, { min: 0.5 });
  return judge(mib(bytesPerS), raw.value, against, { min: 0.5 });
}

export const driverBulkSuite: BenchSuite = {
  id: 'driver-bulk',
  title: 'bulk TCP goodput through driver + emulator (unthrottled and paced)',
  needs: ['raw-pty'],
  async run(context: BenchContext): Promise<Figure[]> {
    const { driverBytes, driverPacedBytes } = context.options;
    const figures: Figure[] = [];
    const net = await startNetPeer();
    try {
      const rig = await startDriverRig();
      try {
        for (const mode of ['normal', 'transparent'] as const) {
          for (const direction of ['up', 'down'] as const) {
            context.log(`${label(direction, mode, 'unthrottled')}: ${mib(driverBytes)} MiB`);
            const result = await bulkTransfer(rig, net, direction, mode, driverBytes, 300_000);
            figures.push({
              id: `driver.tcp.${mode}.${direction}.unthrottled`,
              label: label(direction, mode, 'unthrottled'),
              value: mib(result.bytesPerS),
              unit: 'MiB/s',
              judged: withLoss(unthrottledJudgement(context, direction, result.bytesPerS), result),
              detail: describe(driverBytes, result),
            });
          }
        }
      } finally {
        await rig.close();
      }
      for (const [rateText, bytes] of Object.entries(driverPacedBytes)) {
        const rate = Number(rateText);
        const lineBytesPerS = rate / 10;
        const paced = await startDriverRig({ paced: true, baudRate: rate });
        try {
          for (const mode of ['normal', 'transparent'] as const) {
            for (const direction of ['up', 'down'] as const) {
              const where = `paced ${rate} baud`;
              context.log(`${label(direction, mode, where)}: ${bytes / 1024} KiB (≈ ${(bytes / lineBytesPerS).toFixed(1)} s)`);
              const result = await bulkTransfer(paced, net, direction, mode, bytes, (bytes / lineBytesPerS) * 3000 + 30_000);
              figures.push({
                id: `driver.tcp.${mode}.${direction}.${rate}`,
                label: label(direction, mode, where),
                value: result.bytesPerS,
                unit: 'B/s',
                judged: withLoss(judge(result.bytesPerS, lineBytesPerS, `line rate ${lineBytesPerS} B/s`, { min: PACED_TARGETS[rate] ?? 0.95, max: 1 }), result),
                detail: describe(bytes, result),
              });
            }
          }
        } finally {
          await paced.close();
        }
      }
    } finally {
      await net.close();
    }
    return figures;
  },
};

import { countdown, withDeadline } from '../lib/deadline.js';
import { judge, type Figure } from '../lib/figures.js';
import { openBenchHost } from '../lib/host-port.js';
import { startPeer, type ModulePeer } from '../lib/peer.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * Line-rate pacing, emulator → host: the PTY behind the UART line model with pacing on, the host
 * opening the port at the rate under test (the line follows the host's termios) and reading as
 * fast as it can. Goodput = bytes ÷ (time from the request to the last byte), judged against the
 * line rate (8N1: baud / 10 bytes/s). Targets: ≥ 0.97 at 115200, ≥ 0.95 at 921600, and never
 * above 1 (a ratio above 1 would mean faster than a real UART).
 */

const TARGETS: Readonly<Record<number, number>> = { 115200: 0.97, 921600: 0.95 };

async function waitForLineRate(peer: ModulePeer, rate: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    peer.send({ cmd: 'state' });
    const state = await peer.next('state', 2000);
    if (state.lineRate === rate) return;
    if (Date.now() > deadline) throw new Error(`the line never followed the host to ${rate} baud (at ${String(state.lineRate)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function measure(context: BenchContext, rate: number, bytes: number): Promise<Figure> {
  const peer = await startPeer('paced');
  const host = await openBenchHost(peer.path, rate);
  try {
    await waitForLineRate(peer, rate);
    const lineBytesPerS = rate / 10;
    context.log(`paced ${rate}: ${bytes / 1024} KiB emulator → host (≈ ${(bytes / lineBytesPerS).toFixed(1)} s)`);
    const arrived = countdown(bytes);
    host.onData((chunk) => arrived.add(chunk.length));
    const started = performance.now();
    peer.send({ cmd: 'source', bytes });
    await withDeadline(arrived.reached, (bytes / lineBytesPerS) * 1000 * 2 + 10_000, `${bytes} paced bytes`);
    const seconds = (performance.now() - started) / 1000;
    const sourced = await peer.next('sourced', 10_000);
    const goodput = bytes / seconds;
    const dropped = Number(sourced.dropped);
    return {
      id: `paced.${rate}.emu-to-host`,
      label: `paced ${rate} baud emulator → host`,
      value: goodput,
      unit: 'B/s',
      judged: judge(goodput, lineBytesPerS, `line rate ${lineBytesPerS} B/s`, { min: TARGETS[rate] ?? 0.95, max: 1 }),
      detail: `${bytes / 1024} KiB${dropped > 0 ? `; ${dropped} bytes dropped (invalid)` : ''}`,
    };
  } finally {
    await host.close();
    await peer.close();
  }
}

export const pacedSuite: BenchSuite = {
  id: 'paced',
  title: 'line-rate pacing',
  async run(context: BenchContext): Promise<Figure[]> {
    const figures: Figure[] = [];
    for (const [rate, bytes] of Object.entries(context.options.pacedBytes)) {
      figures.push(await measure(context, Number(rate), bytes));
    }
    return figures;
  },
};

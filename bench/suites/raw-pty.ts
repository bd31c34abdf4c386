import { countdown, withDeadline } from '../lib/deadline.js';
import { baseline, mib, type Figure } from '../lib/figures.js';
import { benchPattern, openBenchHost, writeAll, type BenchHostPort } from '../lib/host-port.js';
import { startPeer, type ModulePeer } from '../lib/peer.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * The carrier with no protocol: the emulator's PTY transport in one process, a serialport host
 * in this one, bulk both ways. Unthrottled goodput through driver + emulator is judged against
 * these (issue 6: "as a ratio to the raw PTY throughput measured in the same run with no
 * protocol"). The raw ping-pong baseline is measured by the AT suite, interleaved with it.
 */

async function emulatorToHost(peer: ModulePeer, host: BenchHostPort, bytes: number): Promise<{ mibPerS: number; dropped: number }> {
  const arrived = countdown(bytes);
  host.onData((chunk) => arrived.add(chunk.length));
  const started = performance.now();
  peer.send({ cmd: 'source', bytes });
  await withDeadline(arrived.reached, 120_000, `${bytes} bytes at the host`);
  const seconds = (performance.now() - started) / 1000;
  const sourced = await peer.next('sourced', 10_000);
  host.onData(null);
  return { mibPerS: mib(bytes) / seconds, dropped: Number(sourced.dropped) };
}

async function hostToEmulator(peer: ModulePeer, host: BenchHostPort, bytes: number): Promise<number> {
  peer.send({ cmd: 'sink', bytes });
  await peer.next('sinking', 5000);
  const data = benchPattern(bytes);
  const started = performance.now();
  await writeAll(host, data);
  await peer.next('sunk', 120_000);
  return mib(bytes) / ((performance.now() - started) / 1000);
}

export const rawPtySuite: BenchSuite = {
  id: 'raw-pty',
  title: 'raw PTY throughput, no protocol (baselines)',
  async run(context: BenchContext): Promise<Figure[]> {
    const { rawBytes } = context.options;
    const peer = await startPeer('raw');
    const host = await openBenchHost(peer.path, 115200);
    try {
      context.log(`raw PTY: ${mib(rawBytes)} MiB emulator → host`);
      const down = await emulatorToHost(peer, host, rawBytes);
      context.log(`raw PTY: ${mib(rawBytes)} MiB host → emulator`);
      const up = await hostToEmulator(peer, host, rawBytes);
      const sizes = `${mib(rawBytes)} MiB, 2 processes`;
      return [
        {
          id: 'raw-pty.emu-to-host',
          label: 'raw PTY throughput emulator → host',
          value: down.mibPerS,
          unit: 'MiB/s',
          judged: baseline('baseline (unthrottled goodput ≥ 0.5 of this)'),
          detail: `${sizes}${down.dropped > 0 ? `; ${down.dropped} bytes dropped (invalid)` : ''}`,
        },
        {
          id: 'raw-pty.host-to-emu',
          label: 'raw PTY throughput host → emulator',
          value: up,
          unit: 'MiB/s',
          judged: baseline('baseline (unthrottled goodput ≥ 0.5 of this)'),
          detail: sizes,
        },
      ];
    } finally {
      await host.close();
      await peer.close();
    }
  },
};

import { judge, baseline, type Figure } from '../lib/figures.js';
import { openBenchHost, type BenchHostPort } from '../lib/host-port.js';
import { startPeer, type ModulePeer } from '../lib/peer.js';
import { measureRoundTrips, poolRoundTrips, type RoundTripStats } from '../lib/round-trips.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * `AT\r\n` → `\r\nOK\r\n` (echo off) through the whole emulator — PTY transport, UART line model
 * (unpaced, as `copro emulate` runs by default), the codec's parser, the AT front end — against
 * a raw ping-pong of the same sizes (4 bytes → 6 bytes) on the same kind of PTY with no
 * protocol. Target: AT ≤ 1.5× raw, at p50 and at p99.
 *
 * The two are measured interleaved, in blocks, against two module processes alive at once: run
 * one after the other, whichever came second looked ~15 % faster (a warmer host process), which
 * is larger than the difference being judged.
 */

const BLOCKS = 8;
const OK = '\r\nOK\r\n';

interface Side {
  readonly peer: ModulePeer;
  readonly host: BenchHostPort;
}

async function openSide(mode: 'raw' | 'at'): Promise<Side> {
  const peer = await startPeer(mode);
  const host = await openBenchHost(peer.path, 115200);
  if (mode === 'raw') {
    peer.send({ cmd: 'echo' });
    await peer.next('echoing', 5000);
  } else {
    // serialport's open flushed `ready`; echo off so the answer is exactly `\r\nOK\r\n`.
    await measureRoundTrips(host, Buffer.from('ATE0\r\n'), `ATE0\r\r\n${OK}`.length, { warmup: 0, count: 1 });
  }
  return { peer, host };
}

function block(side: Side, warmup: number, count: number): Promise<RoundTripStats> {
  return measureRoundTrips(side.host, Buffer.from('AT\r\n'), OK.length, {
    warmup,
    count,
    check: (reply) => {
      if (reply.toString('latin1') !== OK) throw new Error(`expected ${JSON.stringify(OK)}, got ${JSON.stringify(reply.toString('latin1'))}`);
    },
  });
}

export const atRoundTripSuite: BenchSuite = {
  id: 'at',
  title: 'AT round trip through the emulator vs raw PTY ping-pong',
  async run(context: BenchContext): Promise<Figure[]> {
    const { roundTrips, warmup } = context.options;
    const raw = await openSide('raw');
    const at = await openSide('at');
    try {
      context.log(`ping-pong and AT → OK: ${roundTrips} each, interleaved in ${BLOCKS} blocks`);
      const perBlock = Math.ceil(roundTrips / BLOCKS);
      const rawRuns: RoundTripStats[] = [];
      const atRuns: RoundTripStats[] = [];
      for (let i = 0; i < BLOCKS; i++) {
        rawRuns.push(await block(raw, i === 0 ? warmup : 10, perBlock));
        atRuns.push(await block(at, i === 0 ? warmup : 10, perBlock));
      }
      const rawStats = poolRoundTrips(rawRuns);
      const atStats = poolRoundTrips(atRuns);
      const detail = `${atStats.samples} round trips each, after ${warmup} warm-up, 2 processes per side`;
      return [
        {
          id: 'raw-pty.ping-pong.p50',
          label: 'raw PTY ping-pong p50 (4 B → 6 B)',
          value: rawStats.p50Us,
          unit: 'µs',
          judged: baseline('baseline (AT round trip ≤ 1.5× this)'),
          detail,
        },
        {
          id: 'raw-pty.ping-pong.p99',
          label: 'raw PTY ping-pong p99 (4 B → 6 B)',
          value: rawStats.p99Us,
          unit: 'µs',
          judged: baseline('baseline (AT round trip ≤ 1.5× this)'),
          detail,
        },
        {
          id: 'at.round-trip.p50',
          label: 'AT → OK round trip p50',
          value: atStats.p50Us,
          unit: 'µs',
          judged: judge(atStats.p50Us, rawStats.p50Us, 'raw PTY ping-pong p50', { max: 1.5 }),
          detail,
        },
        {
          id: 'at.round-trip.p99',
          label: 'AT → OK round trip p99',
          value: atStats.p99Us,
          unit: 'µs',
          judged: judge(atStats.p99Us, rawStats.p99Us, 'raw PTY ping-pong p99', { max: 1.5 }),
          detail,
        },
      ];
    } finally {
      for (const side of [raw, at]) {
        await side.host.close();
        await side.peer.close();
      }
    }
  },
};

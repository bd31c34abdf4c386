import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { judge, type Figure } from '../lib/figures.js';
import { openBenchHost, type BenchHostPort } from '../lib/host-port.js';
import { startPeer, type ModulePeer } from '../lib/peer.js';
import { measureRoundTrips, poolRoundTrips, type RoundTripStats } from '../lib/round-trips.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * What `copro tap` costs a host: `AT\r\n` → `\r\nOK\r\n` straight to an emulated module vs
 * through a tap process in front of an identical module (one more PTY pair and process each
 * way, decoding on the side). Measured interleaved in blocks against two module processes alive
 * at once, as the AT round-trip suite does. Target: through the tap ≤ 2.5× straight, at p50
 * (the tap's own hop is a raw PTY hop, about as long as the first).
 */

const BLOCKS = 8;
const OK = '\r\nOK\r\n';
const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

interface Side {
  readonly peer: ModulePeer;
  readonly host: BenchHostPort;
  stop(): Promise<void>;
}

async function startTapProcess(device: string, link: string): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [CLI, 'tap', '--device', device, '--link', link], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = readline.createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('copro tap printed no banner within 10 s')), 10_000);
    lines.once('line', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`copro tap exited with ${code}`)));
  });
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
}

async function openSide(throughTap: string | null): Promise<Side> {
  const peer = await startPeer('at');
  const stopTap = throughTap ? await startTapProcess(peer.path, throughTap) : async () => undefined;
  const host = await openBenchHost(throughTap ?? peer.path, 115200);
  await measureRoundTrips(host, Buffer.from('ATE0\r\n'), `ATE0\r\r\n${OK}`.length, { warmup: 0, count: 1 });
  return {
    peer,
    host,
    async stop() {
      await host.close();
      await stopTap();
      await peer.close();
    },
  };
}

function block(side: Side, warmup: number, count: number): Promise<RoundTripStats> {
  return measureRoundTrips(side.host, Buffer.from('AT\r\n'), OK.length, { warmup, count });
}

export const tapSuite: BenchSuite = {
  id: 'tap',
  title: 'AT round trip through copro tap vs straight to the module',
  async run(context: BenchContext): Promise<Figure[]> {
    const { roundTrips, warmup } = context.options;
    const dir = mkdtempSync(join(tmpdir(), 'copro-bench-tap-'));
    const direct = await openSide(null);
    const tapped = await openSide(join(dir, 'tap'));
    try {
      context.log(`AT → OK straight and through a tap: ${roundTrips} each, interleaved in ${BLOCKS} blocks`);
      const perBlock = Math.ceil(roundTrips / BLOCKS);
      const directRuns: RoundTripStats[] = [];
      const tapRuns: RoundTripStats[] = [];
      for (let i = 0; i < BLOCKS; i++) {
        directRuns.push(await block(direct, i === 0 ? warmup : 10, perBlock));
        tapRuns.push(await block(tapped, i === 0 ? warmup : 10, perBlock));
      }
      const straight = poolRoundTrips(directRuns);
      const through = poolRoundTrips(tapRuns);
      const detail = `${through.samples} round trips each, after ${warmup} warm-up; the tap is its own process`;
      return [
        {
          id: 'tap.round-trip.p50',
          label: 'AT → OK through copro tap p50',
          value: through.p50Us,
          unit: 'µs',
          judged: judge(through.p50Us, straight.p50Us, `straight to the module p50 (${straight.p50Us.toFixed(0)} µs)`, { max: 2.5 }),
          detail,
        },
        {
          id: 'tap.round-trip.p99',
          label: 'AT → OK through copro tap p99',
          value: through.p99Us,
          unit: 'µs',
          judged: judge(through.p99Us, straight.p99Us, `straight to the module p99 (${straight.p99Us.toFixed(0)} µs)`, { max: 2.5 }),
          detail,
        },
      ];
    } finally {
      await tapped.stop();
      await direct.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

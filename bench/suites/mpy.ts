import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FLASH_STORE } from '../../src/mpy/cert-provisioning.js';
import { runMpy } from '../../src/mpy/host.js';
import type { Coprocessor } from '../../src/open.js';
import { startDriverRig, startNetPeer } from '../lib/driver-rig.js';
import { judge, percentile, type Figure } from '../lib/figures.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * A send + recv round trip (64 B to a TCP echo, read back whole) from a MicroPython script run by
 * `copro mpy` (runMpy: the WebAssembly port in a worker, each call handed to the driver on the
 * main thread), against the same loop written with the TypeScript driver. Same driver, same module
 * (the emulator in its own process on a PTY), same echo peer (a third process). Target: mpy ≤ 1.5×
 * the driver at p50. The script times itself with ticks_us; the driver loop with performance.now.
 * Measured in interleaved blocks (a script run per block), so neither side gets a warmer host.
 */

const BLOCKS = 4;
const SIZE = 64;

const SCRIPT = `import socket, sys, time
count, warmup, port = (int(a) for a in sys.argv[1:])
s = socket.socket()
s.connect(socket.getaddrinfo('127.0.0.1', port)[0][-1])
payload = b'x' * ${SIZE}
samples = []
for i in range(warmup + count):
    started = time.ticks_us()
    s.send(payload)
    got = 0
    while got < ${SIZE}:
        got += len(s.recv(${SIZE} - got))
    if i >= warmup:
        samples.append(time.ticks_diff(time.ticks_us(), started))
s.close()
print(','.join(str(n) for n in samples))
`;

async function driverBlock(copro: Coprocessor, port: number, warmup: number, count: number): Promise<number[]> {
  const { usocket } = copro;
  const s = usocket.socket();
  await s.connect(['127.0.0.1', port]);
  const payload = Buffer.alloc(SIZE, 'x');
  const samples: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const started = performance.now();
    await s.send(payload);
    for (let got = 0; got < SIZE; ) got += (await s.recv(SIZE - got)).length;
    if (i >= warmup) samples.push((performance.now() - started) * 1000);
  }
  await s.close();
  return samples;
}

async function mpyBlock(copro: Coprocessor, script: string, port: number, warmup: number, count: number): Promise<number[]> {
  let printed = '';
  let errors = '';
  const collect = (add: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        add(chunk.toString());
        done();
      },
    });
  const stdout = collect((text) => (printed += text));
  const stderr = collect((text) => (errors += text));
  const code = await runMpy({
    copro,
    script: { path: script, args: [String(count), String(warmup), String(port)] },
    certificates: FLASH_STORE,
    stdin: process.stdin,
    stdout,
    stderr,
  });
  if (code !== 0) throw new Error(`the round-trip script failed (${code}): ${errors}`);
  return printed.trim().split(',').map(Number);
}

export const mpySuite: BenchSuite = {
  id: 'mpy',
  title: 'copro mpy: send + recv round trip from MicroPython vs the TypeScript driver',
  async run(context: BenchContext): Promise<Figure[]> {
    const { roundTrips, warmup } = context.options;
    const net = await startNetPeer();
    const rig = await startDriverRig();
    const dir = mkdtempSync(join(tmpdir(), 'copro-bench-mpy-'));
    const script = join(dir, 'round_trip.py');
    writeFileSync(script, SCRIPT);
    try {
      const perBlock = Math.ceil(roundTrips / BLOCKS);
      context.log(`send + recv of ${SIZE} B: ${perBlock * BLOCKS} each from the driver and from MicroPython, in ${BLOCKS} blocks`);
      const driver: number[] = [];
      const mpy: number[] = [];
      for (let i = 0; i < BLOCKS; i++) {
        const blockWarmup = i === 0 ? warmup : 20;
        driver.push(...(await driverBlock(rig.copro, net.ports.echo, blockWarmup, perBlock)));
        mpy.push(...(await mpyBlock(rig.copro, script, net.ports.echo, blockWarmup, perBlock)));
      }
      driver.sort((a, b) => a - b);
      mpy.sort((a, b) => a - b);
      const detail = `${mpy.length} round trips each, ${BLOCKS} interleaved blocks, emulator on a PTY`;
      const driverP50 = percentile(driver, 50);
      return [
        {
          id: 'mpy.round-trip.driver.p50',
          label: `driver send + recv p50 (${SIZE} B echo)`,
          value: driverP50,
          unit: 'µs',
          judged: { ratio: null, against: 'baseline (copro mpy ≤ 1.5× this)' },
          detail,
        },
        {
          id: 'mpy.round-trip.p50',
          label: `copro mpy send + recv p50 (${SIZE} B echo)`,
          value: percentile(mpy, 50),
          unit: 'µs',
          judged: judge(percentile(mpy, 50), driverP50, 'driver send + recv p50', { max: 1.5 }),
          detail,
        },
        {
          id: 'mpy.round-trip.p99',
          label: `copro mpy send + recv p99 (${SIZE} B echo)`,
          value: percentile(mpy, 99),
          unit: 'µs',
          judged: judge(percentile(mpy, 99), percentile(driver, 99), 'driver send + recv p99', { max: 1.5 }),
          detail,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await rig.close();
      await net.close();
    }
  },
};

import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { FaultInjector } from '../../emulator/faults/injector.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { Cleanup, FAST_WORLD, TestHost } from '../emulator/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('--trace marks every injected fault', () => {
  it('a `* FAULT` line per injection, after the plan and its seed', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const faults = new FaultInjector({ seed: 12, faults: ['busy-p@#2'] });
    const emu = await startEmulator({ world: FAST_WORLD, trace: out, faults });
    cleanup.add(() => emu.close());
    const host = new TestHost(emu.host!);
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT\r\n', '\r\nbusy p...\r\n');
    faults.apply('dup@#1:dir=out');
    await host.exchange('AT\r\n', '\r\r\nOK\r\n');
    faults.apply('reset');
    await host.expect('\r\nready\r\n');
    const marks = text.split('\n').filter((line) => line.includes('* FAULT'));
    expect(marks.map((line) => line.replace(/^ *[\d.]+ \* /, ''))).toEqual([
      'FAULT plan seed 12: busy-p@#2',
      'FAULT busy-p: AT refused',
      'FAULT armed dup@#1:dir=out',
      'FAULT serial module→host (6 bytes): dup @0 0x0d',
      'FAULT reset: module resets (now)',
    ]);
    expect(faults.status().injected).toMatchObject({ 'busy-p': 1, dup: 1, reset: 1 });
  });

  it('a world config with a `faults` section gets an injector of its own', async () => {
    const world = parseWorldConfig({ timing: { scale: 0.01 }, faults: { seed: 3, plan: ['busy-p@#1'] } });
    const emu = await startEmulator({ world });
    cleanup.add(() => emu.close());
    expect(emu.faults?.status()).toMatchObject({ seed: 3, armed: [{ spec: 'busy-p@#1' }] });
    const host = new TestHost(emu.host!);
    await host.expect('\r\nready\r\n');
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nbusy p...\r\n');
  });
});

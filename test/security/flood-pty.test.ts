import { SerialPort } from 'serialport';
import { keepPollerInterest } from '../../runtime/serialport-poller.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import type { Tracer } from '../../emulator/trace.js';
import { Cleanup, FAST_WORLD, sleep } from '../emulator/harness.js';
import { MemoryWatch, MiB } from '../../fuzz/memory.js';

/** The same floods through a real PTY: the kernel in between, serialport on the host side. */

const FLOOD_BYTES = 50 * MiB;
const GROWTH_BOUND = 24 * MiB;
const WRITE = 256 * 1024;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

class InputCounter implements Tracer {
  bytes = 0;
  fromHost(bytes: Uint8Array): void {
    this.bytes += bytes.length;
  }
  toHost(): void {}
  note(): void {}
}

async function openModule() {
  const transport = await openPtyTransport();
  const input = new InputCounter();
  const emu = await startEmulator({ transport, world: FAST_WORLD, trace: input, network: { lookup: async () => Promise.reject(new Error('no DNS')) } });
  cleanup.add(async () => {
    await emu.close();
    await transport.close();
  });
  await emu.ready;
  await transport.drained();
  const port = new SerialPort({ path: transport.address, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  keepPollerInterest(port.port); // as the driver's port (runtime/serialport-poller.ts)
  cleanup.add(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
  let tail = '';
  port.on('data', (bytes: Buffer) => {
    tail = (tail + bytes.toString('latin1')).slice(-256);
  });
  const write = (bytes: Buffer): Promise<void> =>
    new Promise((resolve, reject) => port.write(bytes, (error) => (error ? reject(error) : port.drain(() => resolve()))));
  const waitForTail = async (text: string, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!tail.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; tail ${JSON.stringify(tail)}`);
      await sleep(10);
    }
  };
  const answers = async (): Promise<void> => {
    await write(Buffer.from('\r\n'));
    await sleep(50);
    tail = '';
    await write(Buffer.from('AT\r\n'));
    await waitForTail('OK\r\n');
  };
  return { input, write, answers };
}

describe('floods through a PTY', () => {
  it('50 MB of garbage and then an endless line: bounded memory, AT → OK', async () => {
    const { input, write, answers } = await openModule();
    const watch = new MemoryWatch();
    const noise = Buffer.alloc(WRITE);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 131 + (i >> 7)) & 0xff;
    noise.forEach((byte, i) => {
      if (byte === 0x41 || byte === 0x61) noise[i] = 0x42; // no "AT": nothing ever runs
    });
    const letters = Buffer.alloc(WRITE, 0x42);
    for (let sent = 0, i = 0; sent < FLOOD_BYTES * 2; sent += WRITE, i++) {
      await write(sent < FLOOD_BYTES ? noise : letters);
      if (i % 32 === 0) watch.sample();
    }
    await answers();
    watch.sample();
    // The kernel may hold a little back when the flood ends; what reached the module is nearly all of it.
    expect(input.bytes).toBeGreaterThan(FLOOD_BYTES * 2 - MiB);
    expect(watch.peakGrowth).toBeLessThan(GROWTH_BOUND);
  }, 120_000);
});

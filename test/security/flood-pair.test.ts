import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import type { Tracer } from '../../emulator/trace.js';
import { Cleanup, FAST_WORLD, TcpPeer, sleep, waitUntil } from '../emulator/harness.js';
import { MemoryWatch, MiB } from '../../fuzz/memory.js';

/**
 * A hostile or broken host floods the module through the in-process pair: 50 MB of garbage, an
 * endless line, endless long lines, a passthrough flood to a peer that does not read (the module
 * then holds the host back rather than reading on). Whatever it sends, what the daemon keeps stays
 * bounded, and a plain AT still gets OK afterwards.
 */

const FLOOD_BYTES = 50 * MiB;
/** Generous: the module's own bounds (line 256 B, queues 64 KiB, passive windows) are far below it. */
const GROWTH_BOUND = 24 * MiB;
const CHUNK = 64 * 1024; // the pair's inbound bound: a bigger write would be cut by the "UART FIFO"

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** The host side, keeping only counts and the tail (a test that kept 50 MB would measure itself). */
class CountingHost {
  received = 0;
  tail = '';
  constructor(private readonly emu: RunningEmulator) {
    emu.host!.onData((bytes) => {
      this.received += bytes.length;
      this.tail = (this.tail + bytes.toString('latin1')).slice(-256);
    });
  }
  write(bytes: Uint8Array): void {
    this.emu.host!.write(bytes);
  }
  async waitForTail(text: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.tail.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; tail ${JSON.stringify(this.tail)}`);
      await sleep(5);
    }
    this.tail = '';
  }
  /** AT → OK: the module still answers (after a line end of its own, which ends any partial line). */
  async answers(): Promise<void> {
    this.write(Buffer.from('\r\n'));
    await sleep(30);
    this.tail = '';
    this.write(Buffer.from('AT\r\n'));
    await this.waitForTail('OK\r\n');
  }
}

/** Feeds `total` bytes made by `chunk(i)`, yielding so the module reads each chunk; samples memory. */
async function flood(host: CountingHost, watch: MemoryWatch, total: number, chunk: (index: number) => Buffer): Promise<void> {
  for (let sent = 0, i = 0; sent < total; i++) {
    const bytes = chunk(i);
    host.write(bytes);
    sent += bytes.length;
    await new Promise((resolve) => setImmediate(resolve));
    if (i % 128 === 0) watch.sample();
  }
  await sleep(20);
  watch.sample();
}

/** Random bytes with no 'A', so no command can ever form: pure noise with line ends in it. */
function garbage(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const byte = x & 0xff;
    bytes[i] = byte === 0x41 || byte === 0x61 ? 0x42 : byte;
  }
  return bytes;
}

/** Counts what the module read (the tracer sees every chunk it gets), so a flood provably went in. */
class InputCounter implements Tracer {
  bytes = 0;
  fromHost(bytes: Uint8Array): void {
    this.bytes += bytes.length;
  }
  toHost(): void {}
  note(): void {}
}

async function boot(): Promise<{ emu: RunningEmulator; host: CountingHost; input: InputCounter }> {
  const input = new InputCounter();
  const emu = await startEmulator({
    world: FAST_WORLD,
    trace: input,
    network: { lookup: async () => Promise.reject(new Error('no DNS')) },
  });
  cleanup.add(() => emu.close());
  const host = new CountingHost(emu);
  await host.waitForTail('ready\r\n');
  return { emu, host, input };
}

describe('floods through the in-process pair', () => {
  it('50 MB of garbage: memory stays bounded, AT still answers', async () => {
    const { host, input } = await boot();
    const watch = new MemoryWatch();
    const noise = [garbage(CHUNK, 1), garbage(CHUNK, 2), garbage(CHUNK, 3)];
    await flood(host, watch, FLOOD_BYTES, (i) => noise[i % 3]);
    await host.answers();
    expect(input.bytes).toBeGreaterThanOrEqual(FLOOD_BYTES);
    expect(host.received).toBeGreaterThan(MiB); // it echoed (and answered ERROR) all along
    expect(watch.peakGrowth).toBeLessThan(GROWTH_BOUND);
  }, 60_000);

  it('an endless line (50 MB, no line end), then endless long lines: ERROR, then AT → OK', async () => {
    const { host, input } = await boot();
    const watch = new MemoryWatch();
    const letters = Buffer.alloc(CHUNK, 0x42);
    await flood(host, watch, FLOOD_BYTES, () => letters);
    host.write(Buffer.from('\r\n'));
    await host.waitForTail('ERROR\r\n');
    // 1 MiB lines, each refused when its line end comes.
    const longLine = Buffer.concat([Buffer.alloc(CHUNK - 2, 0x43), Buffer.from('\r\n')]);
    await flood(host, watch, 10 * MiB, (i) => (i % 16 === 15 ? longLine : letters));
    await host.answers();
    expect(input.bytes).toBeGreaterThanOrEqual(FLOOD_BYTES + 10 * MiB);
    expect(watch.peakGrowth).toBeLessThan(GROWTH_BOUND);
  }, 60_000);

  /** Into passthrough on a link to `peer`; returns what the module had read from the host by then. */
  async function intoPassthrough(host: CountingHost, input: InputCounter, peer: TcpPeer): Promise<number> {
    for (const line of ['ATE0', 'AT+CWMODE=1', 'AT+CWJAP="copro-lab","labpass123"', 'AT+CIPMODE=1', `AT+CIPSTART="TCP","127.0.0.1",${peer.port}`]) {
      host.write(Buffer.from(`${line}\r\n`));
      await host.waitForTail('OK\r\n');
    }
    host.write(Buffer.from('AT+CIPSEND\r\n'));
    await host.waitForTail('>');
    return input.bytes;
  }

  // The module holds the host back while its link lags (it never drops what it read): the flood
  // stalls in the host's side of the line; what the module took is bounded and all reaches the peer.
  it('a passthrough flood to a peer that stops reading: bounded, held back, nothing read is lost, +++ still works', async () => {
    const { host, input } = await boot();
    const peer = await TcpPeer.start(cleanup, (socket) => socket.pause());
    const start = await intoPassthrough(host, input, peer);
    const watch = new MemoryWatch();
    const data = garbage(CHUNK, 4);
    await flood(host, watch, FLOOD_BYTES, () => data);
    await sleep(50);
    // Held back: the module read far less than the flood (the peer's kernel buffers took some).
    expect(input.bytes - start).toBeLessThan(FLOOD_BYTES / 2);
    expect(watch.peakGrowth).toBeLessThan(GROWTH_BOUND);
    // The peer reads again: everything the module read reaches it, then `+++` gets through.
    peer.sockets[0].resume();
    let last = -1;
    await waitUntil(
      () => {
        const settled = peer.received[0].length === input.bytes - start && input.bytes === last;
        last = input.bytes;
        return settled;
      },
      'the peer to get every byte the module read',
      20_000,
    );
    await sleep(50);
    host.write(Buffer.from('+++'));
    await sleep(100);
    await host.answers();
    expect(peer.received[0].length).toBe(last - start);
  }, 60_000);

  it('a passthrough flood to a peer that never reads, then goes away: bounded, and AT answers again', async () => {
    const { host, input } = await boot();
    const peer = await TcpPeer.start(cleanup, (socket) => socket.pause());
    const start = await intoPassthrough(host, input, peer);
    const watch = new MemoryWatch();
    const data = garbage(CHUNK, 5);
    await flood(host, watch, FLOOD_BYTES, () => data);
    expect(input.bytes - start).toBeLessThan(FLOOD_BYTES / 2);
    expect(watch.peakGrowth).toBeLessThan(GROWTH_BOUND);
    // The link closes: 2.x stays in passthrough and reconnects (silently); the host is read again and
    // what it still had queued goes to the link of the moment (or nowhere); `+++` alone returns to command mode.
    peer.sockets[0].destroy();
    await waitUntil(() => peer.sockets.length === 2, 'the reconnection', 10_000);
    await sleep(100);
    host.write(Buffer.from('+++'));
    await sleep(100);
    await host.answers();
  }, 60_000);
});

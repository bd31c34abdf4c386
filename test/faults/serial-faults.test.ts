import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, TcpPeer, joinLab } from '../emulator/harness.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { startFaultBench } from './bench.js';

/**
 * Every module here runs on fake time (a ManualClock): stalls, delays and split gaps are the fault
 * layer's timers, so the tests move time on instead of waiting for it, and time what they see on it.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Every chunk the host receives, in order (the split tests look at the boundaries). */
function recordChunks(link: { onData(listener: (bytes: Buffer) => void): void }): Buffer[] {
  const chunks: Buffer[] = [];
  link.onData((bytes) => chunks.push(Buffer.from(bytes)));
  return chunks;
}

/** Moves fake time on a millisecond at a time until `condition` holds (bounded in fake and real time). */
async function until(clock: ManualClock, condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = clock.now() + timeoutMs;
  const realDeadline = Date.now() + 10_000;
  while (!condition()) {
    if (clock.now() >= deadline || Date.now() > realDeadline) throw new Error(`timed out waiting for ${what}`);
    await clock.advance(1);
  }
}

/** Waits until nothing has arrived for `ms` of fake time. */
async function quiet(clock: ManualClock, chunks: Buffer[], ms: number): Promise<void> {
  let seen = -1;
  for (let round = 0; round < 100 && seen !== chunks.length; round++) {
    seen = chunks.length;
    await clock.advance(ms);
  }
}

/** A fixed session whose answers are long: the module's output for a given input is always the same. */
async function scriptedTranscript(seed: number, faults: string[]): Promise<{ bytes: Buffer; notes: string[] }> {
  const local = new Cleanup();
  try {
    const clock = new ManualClock();
    const { emu, faults: injector, tracer } = await startFaultBench(local, { seed, clock });
    for (const fault of faults) injector.apply(fault);
    const chunks = recordChunks(emu.host!);
    for (let i = 0; i < 8; i++) {
      emu.host!.write(Buffer.from('AT+GMR\r\n'));
      // One line at a time, once the module has gone quiet (no busy p... races; a corrupted
      // answer may not end in OK, so silence is the only sure sign).
      await quiet(clock, chunks, 25);
    }
    return { bytes: Buffer.concat(chunks), notes: tracer.faults() };
  } finally {
    await local.run();
  }
}

describe('serial faults (module ⇄ host line)', () => {
  it('drop@#3:dir=out removes exactly the third byte the module sends', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    faults.apply('drop@#3:dir=out');
    // "AT\r\r\n\r\nOK\r\n" without its third byte.
    await host.exchange('AT\r\n', 'AT\r\n\r\nOK\r\n');
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
    expect(faults.status().injected.drop).toBe(1);
  });

  it('dup@#1:dir=in doubles the host\'s first byte: the module sees "AAT" and refuses it', async () => {
    const { host, tracer } = await startFaultBench(cleanup, { faults: ['dup@#1:dir=in'], clock: new ManualClock() });
    await host.exchange('AT\r\n', 'AAT\r\r\n\r\nERROR\r\n');
    expect(tracer.faults()).toEqual(['FAULT serial host→module (4 bytes): dup @0 0x41']);
  });

  it('corruption at a rate is the same for the same seed, different for another', async () => {
    const plan = ['corrupt@0.02:dir=out', 'corrupt@0.05:dir=in'];
    const first = await scriptedTranscript(7, plan);
    const again = await scriptedTranscript(7, plan);
    const other = await scriptedTranscript(8, plan);
    expect(first.notes.length).toBeGreaterThan(0);
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(again.notes).toEqual(first.notes);
    expect(other.bytes.equals(first.bytes)).toBe(false);
  });

  it('split cuts output into pieces that arrive separately; the bytes are unchanged', async () => {
    const clock = new ManualClock();
    const { emu, host, faults } = await startFaultBench(cleanup, { seed: 3, clock });
    const peer = await TcpPeer.start(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await peer.waitForClients(1);
    const chunks = recordChunks(emu.host!);
    faults.apply('split:pieces=4');
    peer.sockets[0].write('payload-with:colons,and\r\nline ends');
    const expected = '\r\n+IPD,0,34:payload-with:colons,and\r\nline ends';
    await until(clock, () => Buffer.concat(chunks).length >= expected.length, 'the +IPD');
    expect(Buffer.concat(chunks).toString('latin1')).toBe(expected);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(faults.status().injected.split).toBeGreaterThan(0);
  });

  it('a stall holds what it must and drops what a UART would: input beyond 16 KiB, output beyond 64 KiB', async () => {
    const clock = new ManualClock();
    const { host, faults, tracer } = await startFaultBench(cleanup, { clock });
    faults.apply('stall:for=300ms');
    // 40 KiB of one long line while the line is silent: the RX FIFO keeps 16 KiB.
    host.send(Buffer.alloc(40 * 1024, 0x42));
    await clock.advance(450);
    await host.waitFor((pending) => pending.length >= 16 * 1024, 'the held input echoed');
    expect(host.pending.length).toBe(16 * 1024);
    expect(tracer.notes).toContain('FAULT stalled UART RX FIFO full: 24576 host bytes lost');
    await host.readThrough('B'.repeat(16 * 1024));
    // Output while stalled: 100 KiB of echo against a 64 KiB hold (the oldest goes).
    faults.apply('stall:for=300ms,dir=out');
    for (let i = 0; i < 10; i++) {
      host.send(Buffer.alloc(10 * 1024, 0x43));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await clock.advance(450);
    expect(tracer.notes.some((note) => /^FAULT held output over 65536 bytes: oldest \d+ bytes dropped$/.test(note))).toBe(true);
    await host.waitFor((pending) => pending.length >= 60 * 1024, 'what the hold kept');
    expect(host.pending.length).toBeLessThanOrEqual(64 * 1024);
    await host.readThrough('C'.repeat(host.pending.length));
    // Still a working module: the over-long line is refused, then AT answers.
    await host.exchange('\r\n', '\r\r\n\r\nERROR\r\n');
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
  });

  it('delay holds output back (order kept); stall silences the line and holds input', async () => {
    const clock = new ManualClock();
    const { host, faults } = await startFaultBench(cleanup, { clock });
    faults.apply('delay:by=150ms');
    let sent = clock.now();
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
    expect(clock.now() - sent).toBeGreaterThanOrEqual(150);
    faults.clear(['delay']);
    faults.apply('stall:for=200ms');
    sent = clock.now();
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
    expect(clock.now() - sent).toBeGreaterThanOrEqual(200);
    expect(faults.status().injected).toMatchObject({ delay: 2, stall: 1 });
  });
});

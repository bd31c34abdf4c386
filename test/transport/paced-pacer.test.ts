import { afterEach, describe, expect, it } from 'vitest';
import { LinePacer, frameMs } from '../../emulator/transport/line-pacer.js';
import { withTimeout } from '../helpers/deadline.js';

/**
 * The pacer's promise: no byte leaves before its 8N1 frame could have ended on a wire that
 * started when the bytes were queued; order and content are kept; a rate switch applies from
 * where it was made. Checked against the pacer's own clock (an invariant, not a speed claim).
 */

interface Release {
  readonly at: number;
  readonly bytes: Buffer;
  readonly rate: number;
}

let pacer: LinePacer | null = null;
afterEach(() => {
  pacer?.stop();
  pacer = null;
});

function recordingPacer(maxBytes = 64 * 1024): { pacer: LinePacer; releases: Release[]; now: () => number } {
  const releases: Release[] = [];
  const now = (): number => performance.now();
  pacer = new LinePacer((bytes, rate) => releases.push({ at: now(), bytes: Buffer.from(bytes), rate }), maxBytes, now);
  return { pacer, releases, now };
}

function pattern(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + (i >> 8)) & 0xff;
  return out;
}

describe('LinePacer', () => {
  it('never releases a byte before its frame has ended (9600 baud, 240 bytes)', async () => {
    const { pacer: p, releases, now } = recordingPacer();
    const data = pattern(240);
    const queuedAt = now();
    p.push(data, 9600);
    await withTimeout(p.drained(), 5000, 'the pacer to drain');
    let released = 0;
    for (const release of releases) {
      released += release.bytes.length;
      const framesEnded = (release.at - queuedAt) / frameMs(9600);
      expect(released).toBeLessThanOrEqual(Math.floor(framesEnded + 1e-6));
    }
    expect(Buffer.concat(releases.map((r) => r.bytes))).toEqual(data);
    // Batched by the timer, not byte by byte: far fewer releases than bytes.
    expect(releases.length).toBeLessThan(data.length);
  });

  it('keeps order and content across many writes and rate switches, each part at its own rate', async () => {
    const { pacer: p, releases } = recordingPacer();
    const parts = [
      { bytes: pattern(100), rate: 115200 },
      { bytes: Buffer.from('\r\nOK\r\n'), rate: 115200 },
      { bytes: pattern(300).reverse(), rate: 921600 },
      { bytes: Buffer.from([0, 0xff, 0x0d]), rate: 57600 },
    ];
    for (const part of parts) p.push(part.bytes, part.rate);
    await withTimeout(p.drained(), 5000, 'the pacer to drain');
    expect(Buffer.concat(releases.map((r) => r.bytes))).toEqual(Buffer.concat(parts.map((part) => part.bytes)));
    // Bytes are tagged with the rate they were written at: regroup and compare.
    const byRate = new Map<number, number>();
    for (const r of releases) byRate.set(r.rate, (byRate.get(r.rate) ?? 0) + r.bytes.length);
    expect(Object.fromEntries(byRate)).toEqual({ 115200: 106, 921600: 300, 57600: 3 });
    // Rates never interleave: once a later rate has been released, an earlier one never comes back.
    const order = releases.map((r) => r.rate).filter((rate, i, all) => i === 0 || all[i - 1] !== rate);
    expect(order).toEqual([115200, 921600, 57600]);
  });

  it('the wire restarts when it went idle: a late write is not sent in a burst of saved-up time', async () => {
    const { pacer: p, releases, now } = recordingPacer();
    p.push(pattern(10), 115200);
    await withTimeout(p.drained(), 2000, 'first drain');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = now();
    p.push(pattern(200), 115200);
    await withTimeout(p.drained(), 2000, 'second drain');
    let released = 0;
    for (const r of releases.filter((release) => release.at >= second)) {
      released += r.bytes.length;
      expect(released).toBeLessThanOrEqual(Math.floor((r.at - second) / frameMs(115200) + 1e-6));
    }
    expect(released).toBe(200);
  });

  it('is bounded like a FIFO: the oldest bytes beyond the bound are dropped and counted', async () => {
    const { pacer: p, releases } = recordingPacer(100);
    p.push(pattern(80), 921600);
    p.push(Buffer.alloc(50, 0x41), 921600);
    expect(p.length).toBe(100);
    expect(p.droppedBytes).toBe(30);
    await withTimeout(p.drained(), 2000, 'drain');
    expect(Buffer.concat(releases.map((r) => r.bytes))).toEqual(Buffer.concat([pattern(80).subarray(30), Buffer.alloc(50, 0x41)]));
  });

  it('stop() abandons what is queued and frees waiters', async () => {
    const { pacer: p } = recordingPacer();
    p.push(pattern(1000), 9600);
    const drained = p.drained();
    p.stop();
    await withTimeout(drained, 1000, 'waiters freed');
    expect(p.length).toBe(0);
  });
});

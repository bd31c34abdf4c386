/**
 * Backpressure both ways through a real PTY, ESP-AT and NINA: a 4 MiB upload by a writer that
 * honours write() === false, a 4 MiB download by a reader that pauses — every byte arrives (sha256
 * on both ends), a paused reader stops the driver's reads from the module, and the peer is pushed
 * back through the module's closed TCP window.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { stopAll, tcpServer, until } from '../driver/emulator-harness.js';
import { BACKENDS, next, readToEnd, sha256, startNetRig } from './net-helpers.js';

afterEach(stopAll);

const SIZE = 4 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** The driver's commands that take data out of the module (or ask whether there is some). */
const FETCHES: Record<string, RegExp> = {
  at: /^> AT\+CIPRECV(DATA|LEN)/,
  nina: /^> (GET_DATABUF_TCP|AVAIL_DATA_TCP)/,
};

/** Writes `data` in chunks, waiting for 'drain' whenever write() says so; returns how often it did. */
async function writeHonouringBackpressure(socket: NodeJS.WritableStream & { writableLength: number; writableHighWaterMark: number }, data: Buffer): Promise<{ refusals: number; maxQueued: number }> {
  let refusals = 0;
  let maxQueued = 0;
  for (let offset = 0; offset < data.length; offset += CHUNK) {
    const accepted = socket.write(data.subarray(offset, offset + CHUNK));
    maxQueued = Math.max(maxQueued, socket.writableLength);
    if (!accepted) {
      refusals += 1;
      await next(socket as unknown as Socket, 'drain', 30_000);
    }
  }
  return { refusals, maxQueued };
}

describe.each(BACKENDS)('backpressure over $protocol', ({ protocol }) => {
  it('uploads 4 MiB intact; write() returns false while the module is behind', async () => {
    const rig = await startNetRig(protocol);
    const payload = randomBytes(SIZE);
    const port = await tcpServer((peer) => {
      const received: Buffer[] = [];
      let got = 0;
      peer.on('data', (chunk: Buffer) => {
        received.push(chunk);
        got += chunk.length;
        if (got === SIZE) peer.end(sha256(Buffer.concat(received)));
      });
    });
    const socket = rig.copro.createConnection(port, '127.0.0.1');
    const reply = readToEnd(socket, 120_000);
    const { refusals, maxQueued } = await writeHonouringBackpressure(socket, payload);
    expect((await reply).toString()).toBe(sha256(payload));
    expect(refusals).toBeGreaterThan(0);
    // Never more queued in the stream than the high-water mark plus the chunk that crossed it.
    expect(maxQueued).toBeLessThanOrEqual(socket.writableHighWaterMark + CHUNK);
    expect(socket.bytesWritten).toBe(SIZE);
  }, 120_000);

  it('downloads 4 MiB intact through a reader that pauses; paused, nothing is fetched from the module', async () => {
    const trace: string[] = [];
    const rig = await startNetRig(protocol, { trace: (line) => trace.push(line) });
    const payload = randomBytes(SIZE);
    const port = await tcpServer((peer) => peer.end(payload));
    const fetches = (): number => trace.filter((line) => FETCHES[protocol].test(line)).length;

    const socket = rig.copro.createConnection(port, '127.0.0.1');
    const parts: Buffer[] = [];
    let got = 0;
    let paused = false;
    socket.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      got += chunk.length;
      if (!paused && got >= 1024 * 1024) {
        paused = true;
        socket.pause();
      }
    });
    const ended = next(socket, 'end', 120_000);
    await until(() => paused, 60_000);
    // What was in flight when the reader paused lands; then the driver leaves the module alone.
    await sleep(300);
    const before = { fetches: fetches(), read: socket.bytesRead };
    await sleep(600);
    expect(fetches()).toBe(before.fetches);
    expect(socket.bytesRead).toBe(before.read);
    // Bounded on the host: the stream holds at most its high-water mark plus one read.
    expect(socket.readableLength).toBeLessThanOrEqual(socket.readableHighWaterMark + CHUNK);
    socket.resume();
    await ended;
    expect(got).toBe(SIZE);
    expect(sha256(Buffer.concat(parts))).toBe(sha256(payload));
  }, 120_000);

  it("pushes the peer back while paused: the module's closed window stalls its writes", async () => {
    const rig = await startNetRig(protocol);
    let peer: Socket | null = null;
    const port = await tcpServer((s) => {
      peer = s;
      // Endless, honouring backpressure: once the kernel buffers are full, its writes queue here.
      const block = Buffer.alloc(CHUNK, 0x42);
      const pour = (): void => {
        while (!s.destroyed && s.write(block));
        if (!s.destroyed) s.once('drain', pour);
      };
      pour();
    });
    const socket = rig.copro.createConnection(port, '127.0.0.1');
    socket.pause();
    await next(socket, 'connect');
    await until(() => peer !== null && peer.writableLength > 0, 30_000);
    const queued = peer!.writableLength;
    await sleep(300);
    expect(peer!.writableLength).toBeGreaterThanOrEqual(queued);
    expect(socket.bytesRead).toBeLessThanOrEqual(socket.readableHighWaterMark + CHUNK);
    socket.destroy();
  }, 60_000);
});

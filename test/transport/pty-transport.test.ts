import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import type { PtyTransport } from '../../emulator/transport/pty-transport.js';
import type { LineControlEvent } from '../../emulator/transport/types.js';
import { openHostSerial } from '../helpers/host-serial.js';
import type { HostSerial } from '../helpers/host-serial.js';
import { ByteCollector } from '../helpers/byte-collector.js';
import { resourcesAddedSince, settledResources, openPtyFds } from '../helpers/open-fds.js';
import { eventually, withTimeout } from '../helpers/deadline.js';

const AWKWARD = Buffer.from([0x00, 0x03, 0x11, 0x13, 0x1a, 0xff, 0x0d, 0x0a, 0x0a, 0x0d, 0x04, 0x7f, 0x1b]);

let transport: PtyTransport | null = null;
let host: HostSerial | null = null;
let tmp: string;
let moduleRx: ByteCollector;
let controls: LineControlEvent[];

async function open(options: Parameters<typeof openPtyTransport>[0] = {}): Promise<PtyTransport> {
  transport = await openPtyTransport(options);
  transport.setSink({ onData: (bytes) => moduleRx.push(bytes), onControl: (event) => controls.push(event) });
  return transport;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'copro-pty-'));
  moduleRx = new ByteCollector();
  controls = [];
});

afterEach(async () => {
  await host?.close();
  host = null;
  await transport?.close();
  transport = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('PTY transport', () => {
  it('passes every byte unchanged both ways (NUL, ^C, XON/XOFF, ^Z, 0xFF, CR/LF)', async () => {
    const t = await open();
    expect(t.address).toBe(t.slavePath);
    expect(t.slavePath).toMatch(/^\/dev\/pts\/\d+$/);
    host = await openHostSerial(t.address, 115200);

    t.write(Buffer.concat([Buffer.from('AT\r\n'), AWKWARD]));
    expect(await host.readUntil((got) => got.length >= 4 + AWKWARD.length, 2000)).toEqual(
      Buffer.concat([Buffer.from('AT\r\n'), AWKWARD]),
    );

    await host.write(Buffer.concat([Buffer.from('OK\r\nline\n'), AWKWARD]));
    expect(await moduleRx.readUntil((got) => got.length >= 9 + AWKWARD.length, 2000)).toEqual(
      Buffer.concat([Buffer.from('OK\r\nline\n'), AWKWARD]),
    );
  });

  it('keeps working when the host closes and reopens, at another baud', async () => {
    const t = await open();
    for (const baud of [115200, 921600, 250000]) {
      host = await openHostSerial(t.address, baud);
      await host.write(`ping ${baud}\r\n`);
      expect((await moduleRx.readUntil('\r\n', 2000)).toString()).toBe(`ping ${baud}\r\n`);
      t.write(Buffer.from(`pong ${baud}\r\n`));
      expect((await host.readUntil('\r\n', 2000)).toString()).toBe(`pong ${baud}\r\n`);
      await host.close();
      host = null;
    }
  });

  it('publishes --link, replacing a stale symlink, and removes it on close', async () => {
    const link = path.join(tmp, 'dev', 'ttyESP0');
    fs.mkdirSync(path.dirname(link));
    fs.symlinkSync('/dev/pts/nonexistent', link);
    const t = await open({ link });
    expect(t.address).toBe(link);
    expect(fs.readlinkSync(link)).toBe(t.slavePath);

    host = await openHostSerial(link, 115200);
    t.write(Buffer.from('via link\r\n'));
    expect((await host.readUntil('\r\n', 2000)).toString()).toBe('via link\r\n');
    await host.close();
    host = null;

    await t.close();
    transport = null;
    expect(fs.existsSync(link)).toBe(false);
    expect(() => fs.lstatSync(link)).toThrow();
  });

  it('refuses to overwrite a regular file with the link, and leaks no PTY fd doing so', async () => {
    const file = path.join(tmp, 'precious');
    fs.writeFileSync(file, 'keep me');
    const before = openPtyFds().length;
    await expect(openPtyTransport({ link: file })).rejects.toThrow(/not a symlink/);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    expect(openPtyFds().length).toBe(before);
  });

  it("reports the host's baud and emits a baud event when the host changes it", async () => {
    const t = await open({ baudRate: 115200, baudPollMs: 20 });
    host = await openHostSerial(t.address, 921600);
    expect(await t.hostBaudRate()).toBe(921600);
    expect(await eventually(() => controls.some((e) => e.type === 'baud' && e.rate === 921600), 2000)).toBe(true);

    await new Promise<void>((resolve, reject) => host!.port.update({ baudRate: 1234567 }, (err) => (err ? reject(err) : resolve())));
    expect(await t.hostBaudRate()).toBe(1234567);
    expect(await eventually(() => controls.some((e) => e.type === 'baud' && e.rate === 1234567), 2000)).toBe(true);
    expect(controls.filter((e) => e.type === 'baud').map((e) => (e.type === 'baud' ? e.rate : 0))).toEqual([921600, 1234567]);
  });

  it('delivers 1 MiB intact and in order to a reading host when the producer paces itself', async () => {
    const t = await open();
    host = await openHostSerial(t.address, 921600);
    const payload = randomBytes(1024 * 1024);
    const expected = createHash('sha256').update(payload).digest('hex');
    const received = createHash('sha256');
    let count = 0;
    host.port.removeAllListeners('data');
    const done = new Promise<void>((resolve) =>
      host!.port.on('data', (bytes: Buffer) => {
        received.update(bytes);
        count += bytes.length;
        if (count >= payload.length) resolve();
      }),
    );
    // Like firmware feeding a FIFO: write while there is room, otherwise wait for it to drain.
    for (let offset = 0; offset < payload.length; offset += 4096) {
      if (t.pendingBytes() > 32 * 1024) await t.drained();
      t.write(payload.subarray(offset, offset + 4096));
    }
    await withTimeout(done, 15000, "1 MiB to reach the host");
    expect(count).toBe(payload.length);
    expect(received.digest('hex')).toBe(expected);
    expect(t.droppedBytes()).toBe(0);
  });

  it('with no host, 10 MB of output stays bounded, drops the oldest and never blocks the loop', async () => {
    const bound = 64 * 1024;
    const t = await open({ maxQueuedBytes: bound });
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    let maxPending = 0;
    try {
      const chunk = Buffer.alloc(64 * 1024, 0x55);
      for (let written = 0; written < 10 * 1024 * 1024; written += chunk.length) {
        t.write(chunk);
        maxPending = Math.max(maxPending, t.pendingBytes());
        await new Promise((resolve) => setImmediate(resolve));
      }
      const ticksAfterWrites = ticks;
      expect(ticksAfterWrites).toBeGreaterThan(0);
      // The loop keeps turning while the writer waits on EAGAIN with nobody reading.
      expect(await eventually(() => ticks > ticksAfterWrites + 5, 2000)).toBe(true);
    } finally {
      clearInterval(ticker);
    }
    expect(maxPending).toBeLessThanOrEqual(bound + 16 * 1024);
    // 10 MB in, at most bound + one chunk + the kernel's ~20 KB out.
    expect(t.droppedBytes()).toBeGreaterThan(10 * 1024 * 1024 - bound - 16 * 1024 - 64 * 1024);
  });

  it('close() releases master and holder fds, handles and timers, even with a write waiting on a full kernel buffer', async () => {
    const before = openPtyFds();
    const resourcesBefore = await settledResources();
    const t = await open();
    expect(openPtyFds().length).toBe(before.length + 2); // master + the holder's slave fd
    host = await openHostSerial(t.address, 115200);
    host.port.pause(); // the host stops reading: the kernel buffer fills, the writer meets EAGAIN
    // More than the host stream's 64 KiB buffer + the kernel's ~15-20 KB, well within our bound.
    for (let i = 0; i < 8; i += 1) {
      t.write(Buffer.alloc(12_000, 0x41));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await eventually(() => t.pendingBytes() > 0, 2000)).toBe(true);
    expect(t.droppedBytes()).toBe(0);
    await t.close();
    transport = null;
    // Only the host's own fd on the (now hung-up) slave is left, and it is the host's to close.
    expect(openPtyFds().length).toBe(before.length + 1);
    await host.close();
    host = null;
    expect(openPtyFds()).toEqual(before);
    await eventually(() => resourcesAddedSince(resourcesBefore).length === 0, 1000);
    expect(resourcesAddedSince(resourcesBefore)).toEqual([]);
    expect(await t.hostBaudRate()).toBeNull();
    t.write(Buffer.from('after close')); // ignored, no throw
  });
});

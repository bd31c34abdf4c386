/**
 * The CLI's driver commands, run in-process on an `emu:` module with stdin/stdout as streams; the
 * socket and station commands for both protocols (`--protocol at|nina`), `copro at` for ESP-AT.
 */
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runAt, unescapePayload } from '../../cli/commands/at.js';
import { runNc } from '../../cli/commands/nc.js';
import { runIfconfig, runJoin, runScan } from '../../cli/commands/wlan.js';
import { OSError, errno } from '../../src/errors.js';
import type { Protocol } from './emulator-harness.js';
import { FAST_WORLD, echoServer, freePort, stopAll, tcpServer, udpEcho } from './emulator-harness.js';

afterEach(stopAll);

class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
  get text(): string {
    return this.bytes.toString();
  }
}

// The module's radio (boot, join, scan) 100× faster: these tests check the commands, not the radio's pace.
const emulator = { world: FAST_WORLD };
const device = { device: 'emu:', baud: 115200, emulator };

function streams(input?: Buffer | string) {
  const stdin = new PassThrough();
  if (input !== undefined) stdin.end(input);
  return { stdin, stdout: new Sink(), stderr: new Sink() };
}

async function connectWhenListening(port: number): Promise<net.Socket> {
  for (let i = 0; i < 200; i++) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      });
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error(`nothing listens on ${port}`);
}

const PROTOCOLS: readonly Protocol[] = ['at', 'nina'];

describe.each(PROTOCOLS)('copro nc --protocol %s', (protocol) => {
  const device = { device: 'emu:', baud: 115200, protocol, emulator };

  it('is binary safe both ways (TCP client, -q after stdin ends)', async () => {
    const { port } = await echoServer();
    const data = randomBytes(64 * 1024);
    const io = streams(data);
    await runNc('127.0.0.1', port, { ...device, quit: 0.5 }, io);
    expect(io.stdout.bytes.equals(data)).toBe(true);
    expect(io.stderr.text).toBe(''); // stderr is not a terminal: no progress
  });

  it('ends when the peer closes, names resolved by the module', async () => {
    const port = await tcpServer((s) => s.end(Buffer.from('banner\r\n\x00\xff', 'latin1')));
    const io = streams();
    await runNc('copro.local', port, device, io);
    expect(io.stdout.bytes.equals(Buffer.from('banner\r\n\x00\xff', 'latin1'))).toBe(true);
    io.stdin.end();
  });

  it('listens with -l on the module server', async () => {
    const port = await freePort();
    const io = streams();
    const running = runNc(undefined, undefined, { ...device, listen: port }, io);
    const client = await connectWhenListening(port);
    client.end('to the listener');
    await running;
    expect(io.stdout.text).toBe('to the listener');
    io.stdin.end();
  });

  it('speaks UDP with -u', async () => {
    const port = await udpEcho();
    const io = streams('datagram');
    await runNc('127.0.0.1', port, { ...device, udp: true, quit: 0.5 }, io);
    expect(io.stdout.text).toBe('echo:datagram');
  });

  it('fails with an OSError that says why', async () => {
    const port = await freePort();
    const err = await runNc('127.0.0.1', port, device, streams('')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).errno).toBe(errno.ECONNREFUSED);
    expect((err as OSError).message.split('\n')).toHaveLength(1);
  });
});

describe('copro at', () => {
  it('sends lines, paces them on final results, shows each once (echo marked), escapes and marks the output', async () => {
    const out = new Sink();
    const stdin = new PassThrough();
    stdin.end('ATE0\nAT+CIPMUX=1\nAT+CWJAP="copro-lab","labpass123"\nAT+CIPSTART=0,"TCP","127.0.0.1",1\nAT+NOPE\n');
    await runAt({ ...device, wait: 5000 }, { stdin, stdout: out });
    const lines = out.text.split('\n');
    expect(lines).toContain('ATE0  [echoed]');
    expect(lines.filter((line) => line.startsWith('ATE0'))).toHaveLength(1);
    expect(lines).toContain('AT+CIPMUX=1');
    expect(lines).toContain('OK');
    expect(lines).toContain('[urc] WIFI GOT IP');
    expect(lines).toContain('ERROR');
  });

  it('refuses --protocol nina in one line', async () => {
    const err = await runAt({ ...device, protocol: 'nina', wait: 5000 }, { stdin: new PassThrough(), stdout: new Sink() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^copro at speaks ESP-AT only/);
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });

  it('refuses --config with a device that is not emu:, in one line', async () => {
    const err = await runAt({ device: '/dev/copro-no-such-tty', baud: 115200, config: 'world.json', wait: 5000 }, { stdin: new PassThrough(), stdout: new Sink() }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('--config describes an emulated module: use it with -d emu:');
  });

  it('unescapes payload lines', () => {
    expect(unescapePayload('a\\r\\n\\x00\\\\b')).toEqual(Buffer.from([0x61, 0x0d, 0x0a, 0x00, 0x5c, 0x62]));
  });
});

describe.each(PROTOCOLS)('copro scan / join / ifconfig --protocol %s', (protocol) => {
  const device = { device: 'emu:', baud: 115200, protocol, emulator };

  it('lists, joins and shows addresses', async () => {
    const out = new Sink();
    await runScan(device, out);
    expect(out.text).toMatch(/^SSID/);
    expect(out.text).toMatch(/copro-lab\s+ca:d7:19:d8:a6:44\s+6\s+-45\s+WPA2-PSK/);
    const joined = new Sink();
    await runJoin('copro-lab', 'labpass123', device, joined);
    expect(joined.text).toBe('joined copro-lab: ip 192.168.10.42 netmask 255.255.255.0 gateway 192.168.10.1\n');
    const shown = new Sink();
    await runIfconfig(device, shown);
    expect(shown.text).toMatch(/^connected\nip 192\.168\.10\.42\n/);
  }, 30_000);
});

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as net from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ByteCollector } from '../helpers/byte-collector.js';
import { openHostSerial, type HostSerial } from '../helpers/host-serial.js';
import { startEchoServer, type EchoServer } from './fixtures.js';
import { eventually } from '../helpers/deadline.js';
import { exitOf, firstLine } from '../helpers/cli-process.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');



describe('copro emulate (the CLI daemon)', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  let serial: HostSerial | undefined;
  let echo: EchoServer | undefined;
  let dir: string | undefined;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm test` (its pretest builds) or `npm run build`');
  });
  afterEach(async () => {
    await serial?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await exitOf(child, 3000).catch(() => undefined);
    }
    await echo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    child = serial = echo = dir = undefined;
  });

  it('serves a PTY under --link, reaches a local TCP server, and stops cleanly on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'copro-cli-'));
    const link = join(dir, 'copro0');
    echo = await startEchoServer();
    // The default world's radio 100× faster (--config): the join below takes milliseconds.
    const world = join(dir, 'world.json');
    writeFileSync(world, JSON.stringify({ timing: { scale: 0.01 } }));
    child = spawn(process.execPath, [CLI, 'emulate', '--pty', '--link', link, '--config', world], { stdio: 'pipe' });
    const banner = await firstLine(child, 10_000);
    expect(banner).toContain(link);
    expect(banner).toContain('copro-lab');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    serial = await openHostSerial(link, 115200);
    await serial.write('ATE0\r\n');
    await serial.readUntil('OK\r\n', 2000);
    await serial.write('AT+CWJAP="copro-lab","labpass123"\r\n');
    expect((await serial.readUntil('OK\r\n', 10_000)).toString()).toContain('WIFI GOT IP');
    await serial.write(`AT+CIPSTART="TCP","127.0.0.1",${echo.port}\r\n`);
    expect((await serial.readUntil('OK\r\n', 5000)).toString()).toBe('CONNECT\r\n\r\nOK\r\n');
    await serial.write('AT+CIPSEND=5\r\n');
    await serial.readUntil('>', 2000);
    await serial.write('howdy');
    expect((await serial.readUntil('+IPD,5:howdy', 3000)).toString()).toContain('SEND OK');
    await serial.close();

    child.kill('SIGTERM');
    expect(await exitOf(child, 5000)).toBe(0);
    expect(existsSync(link)).toBe(false);
    // The peer saw the module's link close with the daemon.
    const peer = echo.sockets[0];
    expect(await eventually(() => peer.destroyed || peer.readableEnded, 3000)).toBe(true);
  });

  it('serves raw serial-over-TCP with --listen and names the URL it serves', async () => {
    child = spawn(process.execPath, [CLI, 'emulate', '--listen', '127.0.0.1:0'], { stdio: 'pipe' });
    const banner = await firstLine(child, 10_000);
    const url = /socket:\/\/127\.0\.0\.1:(\d+)/.exec(banner);
    expect(url).not.toBeNull();
    const sock = net.connect(Number(url![1]), '127.0.0.1');
    const got = new ByteCollector();
    sock.on('data', (d: Buffer) => got.push(d));
    sock.on('error', (e) => got.end(e));
    try {
      sock.write('AT\r\n');
      expect((await got.readUntil('OK\r\n', 3000)).toString('latin1')).toMatch(/AT\r\r\n\r\nOK\r\n$/);
    } finally {
      sock.destroy();
    }
    child.kill('SIGINT');
    expect(await exitOf(child, 5000)).toBe(0);
  });

  it('reports a bad option as one line and a non-zero exit', async () => {
    child = spawn(process.execPath, [CLI, 'emulate', '--config', '/nonexistent/world.json'], { stdio: 'pipe' });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await exitOf(child, 10_000);
    expect(code).not.toBe(0);
    const lines = err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^copro: .*world\.json/);
  });
});

import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionStatus, ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { startEchoServer, type EchoServer } from '../e2e/fixtures.js';
import { exitOf, firstLine, requireBuiltCli, spawnCli } from '../helpers/cli-process.js';
import { openHostSerial, type HostSerial } from '../helpers/host-serial.js';
import { NinaHostSession } from '../helpers/nina-host-session.js';
import { availableAtLeast } from './full-session.js';

describe('copro emulate --protocol nina', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  let serial: HostSerial | undefined;
  let echo: EchoServer | undefined;
  let dir: string | undefined;
  beforeAll(requireBuiltCli);
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

  it('serves NINA frames on a PTY: join, TCP echo through a local server, clean stop', async () => {
    dir = mkdtempSync(join(tmpdir(), 'copro-nina-'));
    const link = join(dir, 'nina0');
    const config = join(dir, 'world.json');
    writeFileSync(config, JSON.stringify({ timing: { scale: 0.01 } }));
    echo = await startEchoServer();
    child = spawnCli(['emulate', '--pty', '--link', link, '--protocol', 'nina', '--config', config]);
    const banner = await firstLine(child, 15_000);
    expect(banner).toContain('NINA');
    expect(banner).toContain(link);
    serial = await openHostSerial(link, 115200);
    const port = serial.port;
    const h = new NinaHostSession({ write: (b) => serial!.write(b), onData: (l) => port.on('data', l) });
    expect(Buffer.from((await h.call('GET_FW_VERSION'))[0]).toString('latin1')).toBe('2.0.0\0');
    expect(await h.join('copro-lab', 'labpass123')).toBe(ConnectionStatus.CONNECTED);
    expect(await h.byte('START_CLIENT_TCP', [f.ipv4Bytes('127.0.0.1'), f.u16be(echo.port), f.u8(0), f.u8(0)])).toBe(1);
    expect(f.readU16le((await h.call('SEND_DATA_TCP', [f.u8(0), f.textBytes('over the CLI')]))[0])).toBe(12);
    expect(await availableAtLeast(h, 0, 12)).toBe(12);
    expect(Buffer.from((await h.call('GET_DATABUF_TCP', [f.u8(0), f.u16le(100)]))[0]).toString()).toBe('over the CLI');
    await serial.close();
    child.kill('SIGTERM');
    expect(await exitOf(child, 5000)).toBe(0);
  });

  it('--fault reset@#5 on a NINA module: the fifth command frame is never answered, the chip comes back fresh', async () => {
    dir = mkdtempSync(join(tmpdir(), 'copro-nina-'));
    const link = join(dir, 'nina0');
    const config = join(dir, 'world.json');
    writeFileSync(config, JSON.stringify({ timing: { scale: 0.01 } }));
    child = spawnCli(['emulate', '--pty', '--link', link, '--protocol', 'nina', '--config', config, '--fault', 'reset@#5', '--seed', '7', '--control', 'none']);
    const banner = await firstLine(child, 15_000);
    expect(banner).toContain('NINA');
    serial = await openHostSerial(link, 115200);
    const port = serial.port;
    const h = new NinaHostSession({ write: (b) => serial!.write(b), onData: (l) => port.on('data', l) });
    for (let n = 1; n <= 4; n++) expect(Buffer.from((await h.call('GET_FW_VERSION'))[0]).toString('latin1')).toBe('2.0.0\0');
    await expect(h.request('GET_FW_VERSION', [], { timeoutMs: 500 })).rejects.toThrow('no NINA reply');
    await new Promise((resolve) => setTimeout(resolve, 100)); // past the reboot (5 ms at scale 0.01)
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.IDLE);
    await serial.close();
    child.kill('SIGTERM');
    expect(await exitOf(child, 5000)).toBe(0);
  });

  it('refuses busy-p (an ESP-AT line) from --fault or a world file, before serving anything', async () => {
    dir = mkdtempSync(join(tmpdir(), 'copro-nina-'));
    const config = join(dir, 'world.json');
    writeFileSync(config, JSON.stringify({ faults: { seed: 7, plan: ['reset@2s', 'busy-s@0.1'] } }));
    for (const args of [['--fault', 'busy-p@#5'], ['--config', config]]) {
      child = spawnCli(['emulate', '--protocol', 'nina', ...args, '--link', join(dir, 'nina0')]);
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      expect(await exitOf(child, 10_000)).not.toBe(0);
      const kind = args[0] === '--fault' ? 'busy-p@#5' : 'busy-s@0.1';
      expect(err).toBe(`copro: bad fault "${kind}": ${kind.slice(0, 6)} is an ESP-AT line (\`busy ${kind[5]}...\`); nina-fw has no busy reply (it answers one command frame at a time, later frames wait), so it cannot apply to a NINA module\n`);
      expect(out).toBe('');
      expect(existsSync(join(dir, 'nina0'))).toBe(false);
    }
  });
});

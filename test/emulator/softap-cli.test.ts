import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, firstLines, requireBuiltCli, spawnCli } from '../helpers/cli-process.js';
import { openHostSerial, type HostSerial } from '../helpers/host-serial.js';

describe('copro emulate --modules 2', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  const serials: HostSerial[] = [];
  let dir: string | undefined;
  beforeAll(requireBuiltCli);
  afterEach(async () => {
    for (const serial of serials.splice(0)) await serial.close();
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await exitOf(child, 3000).catch(() => undefined);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    child = dir = undefined;
  });

  it('runs two modules on two PTYs; the second joins the first one softAP and talks TCP to it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'copro-modules-'));
    const link = join(dir, 'esp');
    const config = join(dir, 'world.json');
    writeFileSync(config, JSON.stringify({ timing: { scale: 0.01 } }));
    child = spawnCli(['emulate', '--modules', '2', '--link', link, '--config', config]);
    const banner = await firstLines(child, 3, 15_000);
    expect(banner[0]).toContain(`module 1 of 2`);
    expect(banner[1]).toContain(`module 2 of 2`);
    expect(banner[1]).toContain('24:0a:c4:c0:90:05');
    const [ap, sta] = [await openHostSerial(link, 115200), await openHostSerial(`${link}2`, 115200)];
    serials.push(ap, sta);
    const say = async (serial: HostSerial, line: string, answer: string): Promise<void> => {
      await serial.write(line);
      expect((await serial.readUntil(answer, 5000)).toString('latin1')).toContain(answer);
    };
    await say(ap, 'ATE0\r\n', 'OK\r\n');
    await say(sta, 'ATE0\r\n', 'OK\r\n');
    await say(ap, 'AT+CWMODE=2\r\n', 'OK\r\n');
    await say(ap, 'AT+CWSAP="cli-ap","clikey1234",3,3\r\n', 'OK\r\n');
    await say(ap, 'AT+CIPMUX=1\r\n', 'OK\r\n');
    await say(ap, 'AT+CIPSERVER=1,8080\r\n', 'OK\r\n');
    await say(sta, 'AT+CWJAP="cli-ap","clikey1234"\r\n', 'WIFI GOT IP\r\n\r\nOK\r\n');
    await ap.readUntil('+DIST_STA_IP:"24:0a:c4:c0:90:05","192.168.4.2"\r\n', 5000);
    await say(sta, 'AT+CIPSTART="TCP","192.168.4.1",8080\r\n', 'CONNECT\r\n\r\nOK\r\n');
    await ap.readUntil('0,CONNECT\r\n', 5000);
    await say(sta, 'AT+CIPSEND=2\r\n', '>');
    await say(sta, 'hi', 'SEND OK\r\n');
    await ap.readUntil('+IPD,0,2:hi', 5000);
    child.kill('SIGTERM');
    expect(await exitOf(child, 5000)).toBe(0);
  });

  it('refuses what runs one module only', async () => {
    child = spawnCli(['emulate', '--modules', '2', '--listen', '0']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await exitOf(child, 10_000)).not.toBe(0);
    expect(err).toContain('--listen: one module only');
  });
});

import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { Cleanup, FAST_WORLD, TestHost, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'copro-fat-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function moduleWithFolder(dir: string, profile?: 'esp8266-at-1.7'): Promise<TestHost> {
  const emu = await startEmulator({ world: FAST_WORLD, fileSystemDir: dir, ...(profile ? { profile } : {}) });
  cleanup.add(() => emu.close());
  const host = new TestHost(emu.host!);
  await host.expect('\r\nready\r\n');
  await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  return host;
}

describe('AT+FS: the module FAT partition (Basic_AT_Commands.rst; at_fs.c formats)', () => {
  it("plays the page's example operations: write after a bare >, read, size, list, delete", async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+FS=0,4,"."\r\n', '+FS:\r\nOK\r\n');
    await host.exchange('AT+FS=0,1,"filename",0,10\r\n', '>');
    await host.exchange('0123456789', '\r\nOK\r\n');
    await host.exchange('AT+FS=0,2,"filename",0,100\r\n', '+FS:10,0123456789\r\nOK\r\n');
    await host.exchange('AT+FS=0,2,"filename",4,3\r\n', '+FS:3,456\r\nOK\r\n');
    await host.exchange('AT+FS=0,3,"filename"\r\n', '+FS:10\r\n\r\nOK\r\n');
    // fopen(path, "wb") then fseek: the file is emptied, the gap before the offset zero-filled.
    await host.exchange('AT+FS=0,1,"filename",100,10\r\n', '>');
    await host.exchange('abcdefghij', '\r\nOK\r\n');
    await host.exchange('AT+FS=0,3,"filename"\r\n', '+FS:110\r\n\r\nOK\r\n');
    await host.exchange('AT+FS=0,2,"filename",98,4\r\n', '+FS:4,\x00\x00ab\r\nOK\r\n');
    await host.exchange('AT+FS=0,1,"b.bin",0,4\r\n', '>');
    await host.exchange('\r\n\x00\xff', '\r\nOK\r\n');
    await host.exchange('AT+FS=0,4,"."\r\n', '+FS:b.bin filename \r\nOK\r\n');
    await host.exchange('AT+FS=0,0,"filename"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+FS=0,0,"filename"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+FS=0,2,"filename",0,1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+FS=0,4,"."\r\n', '+FS:b.bin \r\nOK\r\n');
  });

  it('refuses names that leave the root directory, and bad parameters', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    for (const name of ['../escape', '/etc/passwd', 'a/b', '..', '.', 'a\\\\b', '']) {
      await host.exchange(`AT+FS=0,3,"${name}"\r\n`, 'ERR CODE:0x010a0000\r\n\r\nERROR\r\n');
    }
    await host.exchange('AT+FS=0,1,"../x",0,2\r\n', '>');
    await host.exchange('zz', 'ERR CODE:0x010a0000\r\n\r\nERROR\r\n');
    await host.exchange('AT+FS=1,4,"."\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+FS=0,5,"."\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+FS=0,1,"x"\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    await host.exchange('AT+FS=0,4,"sub"\r\n', 'ERR CODE:0x010a0000\r\n\r\nERROR\r\n');
  });

  it('keeps a module folder across restarts, confined: links and foreign names are never used', async () => {
    const dir = tempDir();
    const outside = join(tempDir(), 'secret');
    writeFileSync(outside, 'do not read');
    symlinkSync(outside, join(dir, 'link'));
    const host = await moduleWithFolder(dir);
    await host.exchange('AT+FS=0,1,"log.txt",0,5\r\n', '>');
    await host.exchange('hello', '\r\nOK\r\n');
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe('hello');
    await host.exchange('AT+FS=0,4,"."\r\n', '+FS:log.txt \r\nOK\r\n');
    await host.exchange('AT+FS=0,2,"link",0,20\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+FS=0,1,"link",0,2\r\n', '>');
    await host.exchange('xx', '\r\nERROR\r\n');
    await host.exchange('AT+FS=0,0,"link"\r\n', '\r\nERROR\r\n');
    expect(readFileSync(outside, 'utf8')).toBe('do not read');
    const again = await moduleWithFolder(dir);
    await again.exchange('AT+FS=0,2,"log.txt",0,5\r\n', '+FS:5,hello\r\nOK\r\n');
    await again.exchange('AT+FS=0,0,"log.txt"\r\n', '\r\nOK\r\n');
    expect(existsSync(join(dir, 'log.txt'))).toBe(false);
  });

  it('a full partition refuses the write; NonOS 1.7 has no AT+FS', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange(`AT+FS=0,1,"big",${576 * 1024 - 4},8\r\n`, '>');
    await host.exchange('12345678', '\r\nERROR\r\n');
    const { host: nonos } = await startBench(cleanup, { profile: 'esp8266-at-1.7' });
    await nonos.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await nonos.exchange('AT+FS=0,4,"."\r\n', '\r\nERROR\r\n');
  });
});

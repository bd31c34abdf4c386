import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { FileFlashStore } from '../../emulator/storage/flash-files.js';
import { Cleanup, FAST_WORLD, TestHost } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'copro-flash-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function moduleWith(store: FileFlashStore): Promise<TestHost> {
  const emu = await startEmulator({ world: FAST_WORLD, flash: store });
  cleanup.add(() => emu.close());
  const host = new TestHost(emu.host!);
  await host.expect('\r\nready\r\n');
  await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  return host;
}

describe('AT+SYSFLASH kept in the state directory', () => {
  it("a module with the same name finds its partitions again; another name does not see them", async () => {
    const dir = stateDir();
    const first = await moduleWith(FileFlashStore.forDaemon(dir, 'board-a'));
    await first.exchange('AT+SYSFLASH=1,"client_ca",8,5\r\n', '\r\nOK\r\n\r\n>');
    await first.exchange('hello', '\r\nOK\r\n');
    const file = join(dir, 'flash', 'board-a', 'client_ca.bin');
    expect(statSync(file).size).toBe(8192);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).subarray(6, 15)).toEqual(Buffer.from('\xff\xffhello\xff\xff', 'latin1'));

    const again = await moduleWith(FileFlashStore.forDaemon(dir, 'board-a'));
    await again.exchange('AT+SYSFLASH=2,"client_ca",8,5\r\n', '+SYSFLASH:5,hello\r\nOK\r\n');
    const other = await moduleWith(FileFlashStore.forDaemon(dir, 'board-b'));
    await other.exchange('AT+SYSFLASH=2,"client_ca",8,5\r\n', '+SYSFLASH:5,\xff\xff\xff\xff\xff\r\nOK\r\n');
  });

  it('never turns a name into a path', () => {
    const store = FileFlashStore.forDaemon(stateDir(), 'board-a');
    expect(() => store.save('../escape', new Uint8Array(1))).toThrow(/not a partition name/);
    expect(() => store.load('a/b')).toThrow(/not a partition name/);
  });
});

import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseControlListen } from '../../emulator/control/control-endpoint.js';
import { StateDirError, ensureStateDir, stateDirPath } from '../../emulator/control/state-dir.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { openTcpTransport, parseListenSpec } from '../../emulator/transport/index.js';
import { Cleanup, joinLab, startBench } from '../emulator/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'copro-sec-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('listeners bind 127.0.0.1 unless told otherwise', () => {
  it('serial-over-TCP', async () => {
    const transport = await openTcpTransport({ port: 0 });
    cleanup.add(() => transport.close());
    expect(transport.address).toMatch(/^socket:\/\/127\.0\.0\.1:\d+$/);
    expect(parseListenSpec('7001')).toEqual({ host: '127.0.0.1', port: 7001 });
  });

  it('the control channel', () => {
    expect(parseControlListen('7002', '/state', 'x')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 7002 });
    expect(parseControlListen('unix', '/state', 'x')).toEqual({ kind: 'unix', path: '/state/x.sock' });
    expect(parseControlListen('0.0.0.0:7002', '/state', 'x')).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 7002 });
    expect(parseControlListen('none', '/state', 'x')).toBeNull();
  });

  it('the module\'s own servers (AT+CIPSERVER)', async () => {
    const world = parseWorldConfig({ timing: { scale: 0.01 }, ports: { '8123': 0 } });
    const { emu, host } = await startBench(cleanup, { world });
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPSERVER=1,8123\r\n', '\r\nOK\r\n');
    expect(emu.stack.openServers.map((server) => server.hostEndpoint.ip)).toEqual(['127.0.0.1']);
  });
});

describe('the state directory', () => {
  it('is $COPRO_STATE_DIR, else $XDG_RUNTIME_DIR/copro, else <tmp>/copro-<uid>', () => {
    expect(stateDirPath({ COPRO_STATE_DIR: '/a', XDG_RUNTIME_DIR: '/run/user/1' })).toBe('/a');
    expect(stateDirPath({ XDG_RUNTIME_DIR: '/run/user/1' })).toBe('/run/user/1/copro');
    expect(stateDirPath({})).toBe(join(tmpdir(), `copro-${process.getuid!()}`));
  });

  it('is created private (0700)', async () => {
    const dir = join(tempDir(), 'state');
    await ensureStateDir(dir);
    expect(lstatSync(dir).mode & 0o777).toBe(0o700);
  });

  it('is refused when others can enter it, or when it is a symlink', async () => {
    const open = join(tempDir(), 'open');
    mkdirSync(open, { mode: 0o755 });
    await expect(ensureStateDir(open)).rejects.toThrow(StateDirError);
    await expect(ensureStateDir(open)).rejects.toThrow(/open to other users/);
    const target = join(tempDir(), 'target');
    mkdirSync(target, { mode: 0o700 });
    const link = join(tempDir(), 'link');
    symlinkSync(target, link);
    await expect(ensureStateDir(link)).rejects.toThrow(/not a directory/);
  });
});

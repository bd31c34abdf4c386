/**
 * `copro nc` as a user runs it: the built CLI moves a 200 KB file to a TCP echo server and back,
 * for both protocols — through an in-process emulator (`-d emu:`), and through the PTY of a
 * separately running `copro emulate` (its radio 100× faster, `--config`) joined with `copro join`.
 * The echo server ends the connection once the whole file came back, so nc ends on the peer's
 * close (its `-q 1` stays as the bound); `-q` itself is tested in-process (test/driver/cli-tools).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { firstLine, requireBuiltCli, runCli, spawnCli, stopCli } from '../helpers/cli-process.js';
import { pseudoRandomBytes, sha256, startEchoServer, type EchoServer } from './fixtures.js';

const PROTOCOLS = ['at', 'nina'] as const;

describe.each(PROTOCOLS)('copro nc --protocol %s moves a file both ways intact', (protocol) => {
  const proto = ['--protocol', protocol];
  let echo: EchoServer | undefined;
  let daemon: ChildProcessWithoutNullStreams | undefined;
  let dir: string | undefined;
  beforeAll(requireBuiltCli);
  afterEach(async () => {
    if (daemon) await stopCli(daemon);
    await echo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    echo = daemon = dir = undefined;
  });

  it('through an in-process emulator (-d emu:)', async () => {
    const file = pseudoRandomBytes(200_000, 11);
    echo = await startEchoServer({ endAfter: file.length });
    const done = await runCli(['nc', '-q', '1', '-d', 'emu:', ...proto, '127.0.0.1', String(echo.port)], file, 30_000);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(echo.receivedDigest()).toBe(sha256(file));
    expect(sha256(done.stdout)).toBe(sha256(file));
  }, 40_000);

  it('through the PTY of a separately running copro emulate', async () => {
    const file = pseudoRandomBytes(200_000, 12);
    echo = await startEchoServer({ endAfter: file.length });
    dir = mkdtempSync(join(tmpdir(), 'copro-nc-'));
    const link = join(dir, 'tty');
    const world = join(dir, 'world.json');
    writeFileSync(world, JSON.stringify({ timing: { scale: 0.01 } }));
    daemon = spawnCli(['emulate', ...proto, '--link', link, '--config', world]);
    expect(await firstLine(daemon, 10_000)).toContain(link);
    // --trace labels every line with the protocol spoken.
    const joined = await runCli(['join', '-d', link, ...proto, '--trace', 'copro-lab', 'labpass123'], null, 20_000);
    expect(joined.code).toBe(0);
    expect(joined.stdout.toString()).toMatch(/^joined copro-lab: ip 192\.168\.10\.42 /);
    const traced = joined.stderr.trimEnd().split('\n');
    expect(traced.length).toBeGreaterThan(1);
    expect(traced.every((line) => line.startsWith(`[${protocol}] `))).toBe(true);
    const done = await runCli(['nc', '-q', '1', '-d', link, ...proto, '127.0.0.1', String(echo.port)], file, 30_000);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(echo.receivedDigest()).toBe(sha256(file));
    expect(sha256(done.stdout)).toBe(sha256(file));
  }, 60_000);

  it('says why in one line when the peer refuses', async () => {
    const done = await runCli(['nc', '-d', 'emu:', ...proto, '127.0.0.1', '9'], null, 20_000);
    expect(done.code).not.toBe(0);
    expect(done.stderr.trim().split('\n')).toHaveLength(1);
    expect(done.stderr).toMatch(/^copro: /);
  }, 30_000);
});

describe('copro at', () => {
  beforeAll(requireBuiltCli);

  it('refuses --protocol nina with one clear line', async () => {
    const done = await runCli(['at', '-d', 'emu:', '--protocol', 'nina'], null, 20_000);
    expect(done.code).not.toBe(0);
    expect(done.stderr).toMatch(/^copro: copro at speaks ESP-AT only; .*--protocol nina\n$/);
  }, 30_000);
});

/**
 * `copro nc` as a user runs it: the built CLI moves a 200 KB file to a TCP echo server and back,
 * for both protocols — through an in-process emulator (`-d emu:`), and through the PTY of a
 * separately running `copro emulate` joined with `copro join`; both modules' radio 100× faster (`--config`).
 * The echo server ends the connection once the whole file came back, so nc ends on the peer's
 * close (its `-q 1` stays as the bound); `-q` itself is tested in-process (test/driver/cli-tools).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { firstLine, requireBuiltCli, runCli, spawnCli, stopCli } from '../helpers/cli-process.js';
import { pseudoRandomBytes, sha256, startEchoServer, type EchoServer } from './fixtures.js';

const PROTOCOLS = ['at', 'nina'] as const;

/** A world file for the spawned commands: the default world, its radio 100× faster. */
const worldDir = mkdtempSync(join(tmpdir(), 'copro-nc-world-'));
const FAST_CONFIG = join(worldDir, 'world.json');
writeFileSync(FAST_CONFIG, JSON.stringify({ timing: { scale: 0.01 } }));
afterAll(() => rmSync(worldDir, { recursive: true, force: true }));

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
    const done = await runCli(['nc', '-q', '1', '-d', 'emu:', '--config', FAST_CONFIG, ...proto, '127.0.0.1', String(echo.port)], file, 30_000);
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
    daemon = spawnCli(['emulate', ...proto, '--link', link, '--config', FAST_CONFIG]);
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
    const done = await runCli(['nc', '-d', 'emu:', '--config', FAST_CONFIG, ...proto, '127.0.0.1', '9'], null, 20_000);
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

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pseudoRandomBytes, sha256, startEchoServer, type EchoServer } from './fixtures.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');

interface Finished {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs the CLI to completion with `input` on stdin; bounded by `timeoutMs`. */
function runCli(args: string[], input: Buffer | null, timeoutMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
    const out: Buffer[] = [];
    let err = '';
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`copro ${args.join(' ')} did not finish in ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
    if (input) child.stdin.end(input);
    else child.stdin.end();
  });
}

function waitBanner(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no banner')), timeoutMs);
    child.stdout.once('data', () => {
      clearTimeout(t);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`emulator exited with ${code}`));
    });
  });
}

describe('copro nc moves a file both ways intact', () => {
  let echo: EchoServer | undefined;
  let daemon: ChildProcessWithoutNullStreams | undefined;
  let dir: string | undefined;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm test` (its pretest builds) or `npm run build`');
  });
  afterEach(async () => {
    if (daemon && daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon!.once('exit', r));
    }
    await echo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    echo = daemon = dir = undefined;
  });

  it('through an in-process emulator (-d emu:)', async () => {
    echo = await startEchoServer();
    const file = pseudoRandomBytes(200_000, 11);
    const done = await runCli(['nc', '-q', '1', '-d', 'emu:', '127.0.0.1', String(echo.port)], file, 30_000);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(echo.receivedDigest()).toBe(sha256(file));
    expect(sha256(done.stdout)).toBe(sha256(file));
  }, 40_000);

  it('through the PTY of a separately running copro emulate', async () => {
    echo = await startEchoServer();
    dir = mkdtempSync(join(tmpdir(), 'copro-nc-'));
    const link = join(dir, 'tty');
    daemon = spawn(process.execPath, [CLI, 'emulate', '--link', link], { stdio: 'pipe' });
    await waitBanner(daemon, 10_000);
    const joined = await runCli(['join', '-d', link, 'copro-lab', 'labpass123'], null, 20_000);
    expect(joined.code).toBe(0);
    const file = pseudoRandomBytes(200_000, 12);
    const done = await runCli(['nc', '-q', '1', '-d', link, '127.0.0.1', String(echo.port)], file, 30_000);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(echo.receivedDigest()).toBe(sha256(file));
    expect(sha256(done.stdout)).toBe(sha256(file));
  }, 60_000);

  it('says why in one line when the peer refuses', async () => {
    const done = await runCli(['nc', '-d', 'emu:', '127.0.0.1', '9'], null, 20_000);
    expect(done.code).not.toBe(0);
    expect(done.stderr.trim().split('\n')).toHaveLength(1);
    expect(done.stderr).toMatch(/^copro: /);
  }, 30_000);
});

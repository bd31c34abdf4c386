import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { firstLine } from '../helpers/cli-process.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');

/** Runs `copro …` to completion (bounded) with the test's state directory. */
function copro(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}


/** A raw serial-over-TCP host: keeps every byte, waits (bounded) for text. */
class RawHost {
  private received = '';
  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => (this.received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
  }
  static async open(port: number): Promise<RawHost> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawHost(socket);
  }
  async waitFor(text: string, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.received.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(this.received)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const end = this.received.indexOf(text) + text.length;
    const head = this.received.slice(0, end);
    this.received = this.received.slice(end);
    return head;
  }
}

describe('copro fault ⇄ a running copro emulate', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  let host: RawHost | undefined;
  let dir: string | undefined;
  let worldDir: string | undefined;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm test` (its pretest builds) or `npm run build`');
  });
  afterEach(async () => {
    host?.socket.destroy();
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    for (const made of [dir, worldDir]) if (made) rmSync(made, { recursive: true, force: true });
    child = host = dir = worldDir = undefined;
  });

  it('round trip: arm at start, fire now, list, clear — each visible on the wire', async () => {
    dir = mkdtempSync(join(tmpdir(), 'copro-state-'));
    worldDir = mkdtempSync(join(tmpdir(), 'copro-world-'));
    const env = { ...process.env, COPRO_STATE_DIR: dir };
    // The radio world at 1/100 of real time: boots and the reset's reboot take milliseconds.
    // (Not in the state directory: that holds control sockets only.)
    const world = join(worldDir, 'world.json');
    writeFileSync(world, JSON.stringify({ timing: { scale: 0.01 } }));
    child = spawn(process.execPath, [CLI, 'emulate', '--listen', '0', '--config', world, '--name', 'bench1', '--fault', 'busy-p@#1', '--seed', '11'], { env, stdio: 'pipe' });
    const banner = await firstLine(child, 10_000);
    expect(banner).toContain('copro fault --target bench1');
    const port = Number(/socket:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1]);
    expect(existsSync(join(dir, 'bench1.sock'))).toBe(true);
    host = await RawHost.open(port);
    await host.waitFor('\r\nready\r\n');

    host.socket.write('AT\r\n');
    expect(await host.waitFor('busy p...\r\n')).toBe('AT\r\r\n\r\nbusy p...\r\n');

    const fired = await copro(['fault', '--target', 'bench1', 'reset'], env);
    expect(fired).toMatchObject({ code: 0, stdout: 'reset: module resets, `ready` follows\n' });
    await host.waitFor('\r\nready\r\n');

    // No --target: the only daemon in the state directory.
    const armed = await copro(['fault', 'wifi-drop@#1'], env);
    expect(armed.stdout).toBe('armed wifi-drop@#1\n');
    const listed = await copro(['fault', '--list'], env);
    expect(listed.stdout).toContain('bench1 · socket://127.0.0.1:');
    expect(listed.stdout).toContain('seed 11');
    expect(listed.stdout).toMatch(/busy-p@#1 +fired 1 in 1 commands \(spent\)/);
    expect(listed.stdout).toContain('injected: reset 1, busy-p 1');
    expect((await copro(['fault', '--clear'], env)).stdout).toBe('cleared busy-p@#1 wifi-drop@#1\n');

    const bad = await copro(['fault', '--target', 'bench1', 'reset@sometimes'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/^copro: bad fault "reset@sometimes": trigger/);

    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    // The socket goes with the daemon; nobody answers any more.
    expect(existsSync(join(dir, 'bench1.sock'))).toBe(false);
    const gone = await copro(['fault', '--target', 'bench1', '--list'], env);
    expect(gone.stderr).toContain('no copro emulate is listening there');
  }, 30_000);

  it('a bad --fault stops the daemon before it starts, saying why first', async () => {
    dir = mkdtempSync(join(tmpdir(), 'copro-state-'));
    const result = await copro(['emulate', '--listen', '0', '--fault', 'drop'], { ...process.env, COPRO_STATE_DIR: dir });
    expect(result.code).not.toBe(0);
    // Commander's usual form for a bad option value (the usage follows it).
    expect(result.stderr.split('\n')[0]).toBe(
      `error: option '--fault <spec>' argument 'drop' is invalid. bad fault "drop": give a rate, e.g. drop@0.001 or drop@1/5000`,
    );
  });
});

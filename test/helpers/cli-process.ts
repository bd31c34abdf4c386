/**
 * The built CLI (dist/cli/main.js) as a child process: run a command to completion, or start a
 * daemon and wait for its banner. Every wait is bounded; a command that overruns is killed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist/cli/main.js');

/** Throws the remedy when dist/ has not been built (call it in beforeAll). */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm test` (its pretest builds) or `npx tsc -p tsconfig.json`');
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs `copro ARGS` to completion with `input` on stdin; bounded by `timeoutMs`. */
export function runCli(args: readonly string[], input: Buffer | null, timeoutMs: number): Promise<Finished> {
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
    child.stdin.on('error', () => undefined); // a command that exits before reading all of stdin
    if (input) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Starts `copro ARGS` (a daemon such as `emulate`) with pipes; stop it with stopCli(). */
export function spawnCli(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
}

/** The first `count` lines the child prints on stdout, bounded in time. */
export function firstLines(child: ChildProcessWithoutNullStreams, count: number, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no banner within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      if (lines.length > count) {
        clearTimeout(timer);
        resolve(lines.slice(0, count));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before its banner; stderr: ${err}`));
    });
  });
}

/** The first line the child prints on stdout (a daemon's banner: "open it now"). */
export async function firstLine(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<string> {
  const [line] = await firstLines(child, 1, timeoutMs);
  return line;
}

/** The child's exit code once it exits, bounded by `timeoutMs`. */
export function exitOf(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error('the process did not exit')), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopCli(child: ChildProcessWithoutNullStreams, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  try {
    await exitOf(child, graceMs);
  } catch {
    child.kill('SIGKILL');
    await exitOf(child, graceMs).catch(() => undefined);
  }
}

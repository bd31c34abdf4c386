/**
 * `copro mpy` as a user runs it: MicroPython scripts written to a temporary folder and run by the
 * built CLI, on an in-process emulator (`-d emu:`) or on the PTY of a separately running
 * `copro emulate` (a "real module" as far as `copro mpy` can tell). The radio world is 100× faster
 * and names `peer.lab` (127.0.0.1), the host the test PKI (tls-lab.ts) issues certificates for.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLine, runCli, spawnCli, stopCli } from '../helpers/cli-process.js';
import type { Finished } from '../helpers/cli-process.js';

export type Carrier = 'emu' | 'pty';

/** Python every script can start with: join the lab network ESP32-style, as a board's boot does. */
export const JOIN_PY = `
import network, time
_wlan = network.WLAN(network.STA_IF)
_wlan.active(True)
if not _wlan.isconnected():
    _wlan.connect('copro-lab', 'labpass123')
    while not _wlan.isconnected():
        time.sleep_ms(20)
`;

const pending: (() => Promise<void> | void)[] = [];

/** Something to undo after this test (servers, children), last deferred first; labs are deferred too. */
export function defer(cleanup: () => Promise<void> | void): void {
  pending.push(cleanup);
}

/** For afterEach: runs what the test deferred, its labs included. */
export async function endLabTest(): Promise<void> {
  for (const cleanup of pending.splice(0).reverse()) await cleanup();
}

export interface MpyLab {
  readonly dir: string;
  /** Writes `name` in the lab folder; returns its path. */
  write(name: string, text: string): string;
  /** `copro mpy ARGS` on this lab's module, to completion, with `input` on stdin. */
  run(args: readonly string[], timeoutMs?: number, input?: string): Promise<Finished>;
  /** run() of a script that must succeed silently on stderr: its `key value` report (reportOf). */
  report(args: readonly string[], timeoutMs?: number): Promise<Record<string, string>>;
  /** `copro mpy ARGS` on this lab's module, left running (a script that waits for the test). */
  start(args: readonly string[]): ChildProcessWithoutNullStreams;
  /** The -d/--config options that reach this lab's module. */
  readonly deviceArgs: readonly string[];
}

/**
 * A lab folder and a module (undone after the test, see endLabTest): `emu:` (each run starts its own in-process emulator with the lab's
 * world) or `pty` (one `copro emulate` daemon for the lab). `storeCas`: PEM certificates the
 * module's store holds from the start (CA 0, 1, ...), as provisioned in a real module's flash.
 * `protocol`: what the module speaks, ESP-AT (default) or nina-fw's frames.
 */
export async function startLab(carrier: Carrier, storeCas: readonly string[] = [], protocol: 'at' | 'nina' = 'at'): Promise<MpyLab> {
  const dir = mkdtempSync(join(tmpdir(), 'copro-mpy-'));
  const caFiles = storeCas.map((pem, index) => {
    writeFileSync(join(dir, `store-ca-${index}.pem`), pem);
    return `store-ca-${index}.pem`;
  });
  const config = join(dir, 'world.json');
  const tls = caFiles.length > 0 ? { tls: { caFiles } } : {};
  writeFileSync(config, JSON.stringify({ timing: { scale: 0.01 }, hosts: { 'peer.lab': '127.0.0.1' }, ...tls }));
  let daemon: ChildProcessWithoutNullStreams | null = null;
  let deviceArgs: string[];
  if (carrier === 'pty') {
    const link = join(dir, 'tty');
    daemon = spawnCli(['emulate', '--link', link, '--config', config, '--protocol', protocol]);
    await firstLine(daemon, 15_000);
    deviceArgs = ['-d', link, '--protocol', protocol];
  } else {
    deviceArgs = ['-d', 'emu:', '--config', config, '--protocol', protocol];
  }
  defer(async () => {
    if (daemon) await stopCli(daemon);
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (args: readonly string[], timeoutMs = 60_000, input?: string): Promise<Finished> =>
    runCli(['mpy', ...deviceArgs, ...args], input === undefined ? null : Buffer.from(input), timeoutMs);
  return {
    dir,
    deviceArgs,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    run,
    async report(args, timeoutMs) {
      const done = await run(args, timeoutMs);
      if (done.code !== 0 || done.stderr !== '') throw new Error(`copro mpy exited ${done.code}; stderr: ${done.stderr}`);
      return reportOf(done);
    },
    start(args) {
      const child = spawnCli(['mpy', ...deviceArgs, ...args]);
      defer(() => void child.kill('SIGKILL'));
      return child;
    },
  };
}

/** The lines a finished run printed on stdout. */
export function linesOf(done: Finished): string[] {
  return done.stdout.toString().trimEnd().split('\n');
}

/** The script's output as `key value` lines, for assertions by key. */
export function reportOf(done: Finished): Record<string, string> {
  const report: Record<string, string> = {};
  for (const line of linesOf(done)) {
    const space = line.indexOf(' ');
    if (space > 0) report[line.slice(0, space)] = line.slice(space + 1);
  }
  return report;
}

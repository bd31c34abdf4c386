import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export type PeerMode = 'raw' | 'paced' | 'at' | 'at-paced';

export interface PeerEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

/** A module-side process (bench/peer/module-peer.ts) and its JSON-lines channel. */
export interface ModulePeer {
  /** The PTY the host opens. */
  readonly path: string;
  send(command: Record<string, unknown>): void;
  /** The next event named `name`; rejects after `timeoutMs` or if the peer fails. */
  next(name: string, timeoutMs: number): Promise<PeerEvent>;
  close(): Promise<void>;
}

const PEER_SCRIPT = fileURLToPath(new URL('../peer/module-peer.js', import.meta.url));

/** A bench helper process (bench/peer/<script>.js) and its JSON-lines channel. */
export interface JsonPeer {
  /** The pid of the child (to read its /proc entries). */
  readonly pid: number;
  /** The first event the process printed (`ready`, with whatever it reports). */
  readonly ready: PeerEvent;
  send(command: Record<string, unknown>): void;
  /** The next event named `name`; rejects after `timeoutMs` or if the peer fails. */
  next(name: string, timeoutMs: number): Promise<PeerEvent>;
  close(): Promise<void>;
}

export async function startPeer(mode: PeerMode): Promise<ModulePeer> {
  const peer = await startJsonPeer('module-peer', [mode], `module peer (${mode})`);
  return { path: String(peer.ready.path), send: peer.send, next: peer.next, close: peer.close };
}

/**
 * Spawns bench/peer/<script>.js with `args` and waits for its `ready` event. `nodeArgs` go to
 * node itself (e.g. `--cpu-prof`).
 */
export async function startJsonPeer(
  script: string,
  args: readonly string[],
  label: string,
  nodeArgs: readonly string[] = [],
  readyTimeoutMs = 10_000,
): Promise<JsonPeer> {
  const file = script === 'module-peer' ? PEER_SCRIPT : fileURLToPath(new URL(`../peer/${script}.js`, import.meta.url));
  // COPRO_BENCH_PROF_DIR=dir: every helper process writes a V8 CPU profile there (docs/performance.md).
  const profDir = process.env.COPRO_BENCH_PROF_DIR;
  const profiling = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${script}-${args.join('-') || 'main'}-${Date.now()}.cpuprofile`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profiling, ...nodeArgs, file, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const backlog: PeerEvent[] = [];
  // Every pending next() waits here: several may wait at once (different event names).
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  let exited = false;
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      backlog.push(JSON.parse(line) as PeerEvent);
    } catch {
      return; // not ours
    }
    wake();
  });
  child.on('exit', () => {
    exited = true;
    wake();
  });

  const next = async (name: string, timeoutMs: number): Promise<PeerEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const failed = backlog.findIndex((event) => event.event === 'error');
      if (failed >= 0) throw new Error(`${label} failed: ${String(backlog[failed].message)}`);
      const index = backlog.findIndex((event) => event.event === name);
      if (index >= 0) return backlog.splice(index, 1)[0];
      if (exited) throw new Error(`${label} exited before "${name}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${label}: no "${name}" within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        waiters.add(done);
      });
    }
  };

  const ready = await next('ready', readyTimeoutMs);
  return {
    pid: child.pid ?? 0,
    ready,
    send: (command) => child.stdin!.write(`${JSON.stringify(command)}\n`),
    next,
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

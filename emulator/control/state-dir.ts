import { lstat, mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The emulator's own state directory: where `copro emulate` puts its control socket and nothing
 * else. It is `$COPRO_STATE_DIR` if set, else `$XDG_RUNTIME_DIR/copro`, else `<tmp>/copro-<uid>`.
 * It must be a real directory owned by this user and closed to everyone else (0700): a directory
 * another user prepared in /tmp could otherwise hand them our control sockets.
 */
export function stateDirPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.COPRO_STATE_DIR) return env.COPRO_STATE_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'copro');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `copro-${uid}`);
}

export class StateDirError extends Error {
  constructor(path: string, detail: string) {
    super(`state directory ${path}: ${detail}`);
    this.name = 'StateDirError';
  }
}

/** Creates the directory (0700) if missing and checks it is safe to use; returns its path. */
export async function ensureStateDir(path: string = stateDirPath()): Promise<string> {
  await mkdir(path, { recursive: true, mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    throw new StateDirError(path, `cannot create it (${error.code ?? error.message})`);
  });
  await checkStateDir(path);
  return path;
}

/** Throws unless `path` is a directory (not a symlink) of ours that nobody else can enter. */
export async function checkStateDir(path: string): Promise<void> {
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    throw new StateDirError(path, `cannot read it (${error.code ?? error.message})`);
  });
  if (info.isSymbolicLink() || !info.isDirectory()) throw new StateDirError(path, 'is not a directory');
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new StateDirError(path, 'belongs to another user; refusing to use it');
  }
  if ((info.mode & 0o077) !== 0) {
    throw new StateDirError(path, `is open to other users (mode ${(info.mode & 0o777).toString(8)}); chmod 700 it`);
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A daemon name: letters, digits, `_ . -`, at most 64; never a path. */
export function isDaemonName(name: string): boolean {
  return NAME.test(name);
}

export function controlSocketPath(dir: string, name: string): string {
  if (!isDaemonName(name)) throw new Error(`invalid daemon name ${JSON.stringify(name)} (letters, digits, _ . -)`);
  return join(dir, `${name}.sock`);
}

/** Names of the control sockets in the directory (live or stale: the caller tries them). */
export async function listControlSockets(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isSocket() && entry.name.endsWith('.sock'))
    .map((entry) => entry.name.slice(0, -'.sock'.length))
    .filter(isDaemonName)
    .sort();
}

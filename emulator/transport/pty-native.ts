import { createRequire } from 'node:module';

/**
 * node-pty's raw addon. `native.open(cols, rows)` is openpty(3) without spawning anything;
 * the package exports it at runtime (marked "not public API") but its typings do not declare
 * it, hence this small local interface. Both fds come back O_NONBLOCK and NOT close-on-exec.
 */
export interface PtyPair {
  readonly master: number;
  readonly slave: number;
  /** The slave's device path, e.g. /dev/pts/3. */
  readonly pty: string;
}

interface PtyNative {
  open(cols: number, rows: number): PtyPair;
}

let cached: PtyNative | null = null;

function ptyNative(): PtyNative {
  if (cached) return cached;
  const loaded = createRequire(import.meta.url)('node-pty') as { native?: Partial<PtyNative> };
  if (!loaded.native || typeof loaded.native.open !== 'function') {
    throw new Error('node-pty does not expose native.open (expected node-pty 1.2.0-beta with prebuilds)');
  }
  cached = loaded.native as PtyNative;
  return cached;
}

/** Opens a master/slave PTY pair (no process). The caller owns both fds. */
export function openPtyPair(): PtyPair {
  return ptyNative().open(80, 24);
}

import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * A stable name for a PTY slave (`--link /tmp/copro/ttyESP0`): /dev/pts/N numbers are reused,
 * so hosts are told to open the symlink instead. serialport opens through it and keeps the
 * link name as its path.
 */

/**
 * Creates `linkPath` → `target`. A symlink already there (left by an earlier run) is
 * replaced; anything else (a regular file, a directory, a device) is refused rather than
 * overwritten. Missing parent directories are created.
 */
export async function publishDeviceLink(linkPath: string, target: string): Promise<void> {
  const existing = await fs.lstat(linkPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (existing && !existing.isSymbolicLink()) {
    throw new Error(`refusing to replace ${linkPath}: it exists and is not a symlink`);
  }
  await fs.mkdir(path.dirname(linkPath), { recursive: true });
  // Build the new link beside the old one and rename over it: atomic, so a host never sees
  // the name missing or pointing nowhere.
  const temporary = `${linkPath}.${process.pid}.${Date.now()}.tmp`;
  await fs.symlink(target, temporary);
  try {
    await fs.rename(temporary, linkPath);
  } catch (err) {
    await fs.unlink(temporary).catch(() => undefined);
    throw err;
  }
}

/** Removes `linkPath` if it is still our symlink to `target` (never someone else's file). */
export async function removeDeviceLink(linkPath: string, target: string): Promise<void> {
  const current = await fs.readlink(linkPath).catch(() => null);
  if (current === target) await fs.unlink(linkPath).catch(() => undefined);
}

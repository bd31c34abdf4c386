import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The module's FAT partition (what AT+FS reads and writes): flat, root directory only, names
 * confined to it. In memory for the module's life, or a folder of its own (`DirectoryFat`, under the
 * daemon's state directory) so files outlive the process as they outlive a reset on a module.
 * This is the one emulator module that touches files on behalf of AT commands
 * (test/security/file-access.test.ts); nothing here follows a link or leaves its folder.
 */
export interface ModuleFat {
  /** File names in the root directory, sorted. */
  list(): string[];
  /** The file's size, or null when there is none. */
  size(name: string): number | null;
  /** Up to `length` bytes from `offset` (fewer at the end of the file), or null when there is no file. */
  read(name: string, offset: number, length: number): Buffer | null;
  /** As the firmware's `fopen(path, "wb")`, `fseek(offset)`, `fwrite`: the file is emptied first, the gap zero-filled. */
  write(name: string, offset: number, data: Uint8Array): boolean;
  /** False when there was no such file. */
  remove(name: string): boolean;
}

/** FAT's longest name (long file names). */
const NAME_MAX = 255;

/** A name AT+FS may use: one component of the root directory, nothing that walks or escapes. */
export function isFatName(name: string): boolean {
  if (name.length === 0 || name.length > NAME_MAX || name === '.' || name === '..') return false;
  // FAT forbids these; `/` and `\` would leave the root directory, control bytes are not names.
  return !/[/\\:*?"<>|\x00-\x1f\x7f]/.test(name);
}

/** Files in memory: the default, for a module without a state directory. */
export class MemoryFat implements ModuleFat {
  private readonly files = new Map<string, Buffer>();

  constructor(private readonly capacity: number) {}

  private used(except?: string): number {
    let total = 0;
    for (const [name, data] of this.files) if (name !== except) total += data.length;
    return total;
  }

  list(): string[] {
    return [...this.files.keys()].sort();
  }
  size(name: string): number | null {
    return this.files.get(name)?.length ?? null;
  }
  read(name: string, offset: number, length: number): Buffer | null {
    const data = this.files.get(name);
    return data === undefined ? null : Buffer.from(data.subarray(Math.min(offset, data.length), Math.min(offset + length, data.length)));
  }
  write(name: string, offset: number, data: Uint8Array): boolean {
    if (!isFatName(name) || this.used(name) + offset + data.length > this.capacity) return false;
    const file = Buffer.alloc(offset + data.length);
    file.set(data, offset);
    this.files.set(name, file);
    return true;
  }
  remove(name: string): boolean {
    return this.files.delete(name);
  }
}

/** Files in `dir` (created 0700 if missing). Symbolic links and other non-files are never opened. */
export class DirectoryFat implements ModuleFat {
  constructor(
    private readonly dir: string,
    private readonly capacity: number,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private path(name: string): string | null {
    return isFatName(name) ? join(this.dir, name) : null;
  }

  /** A regular file's stats (lstat: a link is not followed), or null. */
  private regular(name: string): { size: number } | null {
    const path = this.path(name);
    if (path === null) return null;
    try {
      const stats = lstatSync(path);
      return stats.isFile() ? { size: stats.size } : null;
    } catch {
      return null;
    }
  }

  list(): string[] {
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && isFatName(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  size(name: string): number | null {
    return this.regular(name)?.size ?? null;
  }

  read(name: string, offset: number, length: number): Buffer | null {
    const path = this.path(name);
    if (path === null || this.regular(name) === null) return null;
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const size = fstatSync(fd).size;
      const start = Math.min(offset, size);
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - start)));
      let got = 0;
      while (got < buffer.length) {
        const n = readSync(fd, buffer, got, buffer.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      return buffer.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }

  write(name: string, offset: number, data: Uint8Array): boolean {
    const path = this.path(name);
    if (path === null) return false;
    const used = this.list().reduce((total, other) => total + (other === name ? 0 : (this.size(other) ?? 0)), 0);
    if (used + offset + data.length > this.capacity) return false;
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
    } catch {
      return false;
    }
    try {
      if (!fstatSync(fd).isFile()) return false;
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done, offset + done);
      return true;
    } finally {
      closeSync(fd);
    }
  }

  remove(name: string): boolean {
    const path = this.path(name);
    if (path === null || this.regular(name) === null) return false;
    unlinkSync(path);
    return true;
  }
}

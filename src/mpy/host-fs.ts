/**
 * Host folders inside MicroPython's file system, read-only: the port's Emscripten build has only
 * an in-memory file system, so the script's folder and the -I folders are mounted with this small
 * Emscripten file-system type, each at its own host path. MicroPython then imports modules and
 * opens data files from them exactly as a board does from its flash. Writing is refused (EROFS):
 * a script never changes the host's files behind the user's back.
 */
import { closeSync, fstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { EmscriptenFs, EmscriptenFsNode, EmscriptenFsStream } from '@micropython/micropython-webassembly-pyscript';

/** Emscripten's errno numbers (WASI's), which its FS.ErrnoError takes. */
const WASI_ERRNO: Readonly<Record<string, number>> = { EACCES: 2, EBADF: 8, EINVAL: 28, EIO: 29, EISDIR: 31, ENOENT: 44, ENOTDIR: 54, EROFS: 69 };
const O_ACCMODE = 3;
const SEEK_CUR = 1;
const SEEK_END = 2;

export function mountHostDirs(fs: EmscriptenFs, dirs: readonly string[]): void {
  const fail = (code: string): Error => new fs.ErrnoError(WASI_ERRNO[code] ?? WASI_ERRNO.EIO);
  const hostCall = <T>(run: () => T): T => {
    try {
      return run();
    } catch (err) {
      throw fail((err as NodeJS.ErrnoException).code ?? 'EIO');
    }
  };
  const pathOf = (node: EmscriptenFsNode): string => {
    const names: string[] = [];
    let at = node;
    while (at.parent !== at) {
      names.push(at.name);
      at = at.parent;
    }
    return join(at.mount.opts.root, ...names.reverse());
  };
  const readOnly = (): never => {
    throw fail('EROFS');
  };

  const streamOps = {
    open(stream: EmscriptenFsStream): void {
      if ((stream.flags & O_ACCMODE) !== 0) readOnly();
      if (fs.isFile(stream.node.mode)) stream.hostFd = hostCall(() => openSync(pathOf(stream.node), 'r'));
    },
    close(stream: EmscriptenFsStream): void {
      if (stream.hostFd !== undefined) closeSync(stream.hostFd);
    },
    read(stream: EmscriptenFsStream, buffer: Int8Array, offset: number, length: number, position: number): number {
      if (stream.hostFd === undefined) throw fail('EISDIR');
      const fd = stream.hostFd;
      return hostCall(() => readSync(fd, buffer, offset, length, position));
    },
    write: readOnly,
    llseek(stream: EmscriptenFsStream, offset: number, whence: number): number {
      let position = offset;
      if (whence === SEEK_CUR) position += stream.position;
      else if (whence === SEEK_END && stream.hostFd !== undefined) {
        const fd = stream.hostFd;
        position += hostCall(() => fstatSync(fd)).size;
      }
      if (position < 0) throw fail('EINVAL');
      return position;
    },
  };

  const nodeOps = {
    getattr(node: EmscriptenFsNode): object {
      return statShape(hostCall(() => statSync(pathOf(node))));
    },
    setattr: readOnly,
    lookup(parent: EmscriptenFsNode, name: string): EmscriptenFsNode {
      const stats = hostCall(() => statSync(join(pathOf(parent), name)));
      return createNode(parent, name, stats.mode);
    },
    readdir(node: EmscriptenFsNode): string[] {
      return ['.', '..', ...hostCall(() => readdirSync(pathOf(node)))];
    },
    mknod: readOnly,
    rename: readOnly,
    unlink: readOnly,
    rmdir: readOnly,
    symlink: readOnly,
    readlink(): never {
      throw fail('EINVAL');
    },
  };

  const createNode = (parent: EmscriptenFsNode | null, name: string, mode: number): EmscriptenFsNode => {
    const node = fs.createNode(parent, name, mode);
    node.node_ops = nodeOps;
    node.stream_ops = streamOps;
    return node;
  };

  const hostFs = {
    mount(mount: { opts: { root: string } }): EmscriptenFsNode {
      return createNode(null, '/', hostCall(() => statSync(mount.opts.root)).mode);
    },
  };

  for (const dir of outermost(dirs)) {
    fs.mkdirTree(dir);
    fs.mount(hostFs, { root: dir }, dir);
  }
}

/**
 * The folders to mount: one inside another is already visible through the outer one, and `/`
 * stays MicroPython's own in-memory root.
 */
function outermost(dirs: readonly string[]): string[] {
  const unique = [...new Set(dirs)].filter((dir) => dir !== '/');
  return unique.filter((dir) => !unique.some((other) => other !== dir && dir.startsWith(other + '/')));
}

function statShape(stats: Stats): object {
  return {
    dev: 1,
    ino: stats.ino,
    mode: stats.mode,
    nlink: 1,
    uid: 0,
    gid: 0,
    rdev: 0,
    size: stats.size,
    atime: stats.atime,
    mtime: stats.mtime,
    ctime: stats.ctime,
    blksize: 4096,
    blocks: Math.ceil(stats.size / 4096),
  };
}

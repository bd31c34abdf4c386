/**
 * The parts of @micropython/micropython-webassembly-pyscript (MicroPython 1.27's WebAssembly port,
 * which ships no types) that copro uses, as its micropython.mjs defines them.
 */
declare module '@micropython/micropython-webassembly-pyscript' {
  export interface EmscriptenFsNode {
    name: string;
    mode: number;
    parent: EmscriptenFsNode;
    mount: { opts: { root: string } };
    node_ops: object;
    stream_ops: object;
  }

  export interface EmscriptenFsStream {
    node: EmscriptenFsNode;
    flags: number;
    position: number;
    /** Set by a file system's open() for its own use (the host file descriptor here). */
    hostFd?: number;
  }

  /** Emscripten's FS object (MEMFS root), as micropython.mjs exports it. */
  export interface EmscriptenFs {
    createNode(parent: EmscriptenFsNode | null, name: string, mode: number, dev?: number): EmscriptenFsNode;
    mkdirTree(path: string): void;
    mount(type: object, opts: { root: string }, mountpoint: string): EmscriptenFsNode;
    isDir(mode: number): boolean;
    isFile(mode: number): boolean;
    writeFile(path: string, data: string | Uint8Array): void;
    ErrnoError: new (errno: number) => Error;
  }

  export interface MicroPython {
    readonly FS: EmscriptenFs;
    readonly _module: { _mp_sched_keyboard_interrupt(): void };
    /** `__main__`'s globals. */
    readonly globals: { get(name: string): unknown };
    registerJsModule(name: string, module: object): void;
    /** Runs code; a Python exception is thrown as a JS Error named PythonError. */
    runPython(code: string): unknown;
    replInit(): void;
    /** Feeds one byte to the REPL; non-zero when the REPL asks to exit (Ctrl-D). */
    replProcessChar(chr: number): number;
  }

  export interface LoadOptions {
    /** MicroPython's garbage-collected heap, in bytes. */
    heapsize?: number;
    pystack?: number;
    stdout?: (data: Uint8Array | string) => void;
    stderr?: (data: Uint8Array | string) => void;
    /** false: stdout/stderr get every byte as a one-byte Uint8Array. */
    linebuffer?: boolean;
  }

  export function loadMicroPython(options?: LoadOptions): Promise<MicroPython>;
}

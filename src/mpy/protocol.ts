/**
 * What the MicroPython worker and the host (main) thread say to each other. The worker runs the
 * script; every module call that needs the coprocessor becomes a request the host answers with
 * the driver, while the worker sleeps on a SharedArrayBuffer word (`Atomics.wait`) until the
 * reply is there — a blocking call costs one hand-off, never a busy loop.
 */
import type { MessagePort } from 'node:worker_threads';

/** Int32 slots of the shared control buffer. */
export const CONTROL = {
  /** Bumped (and notified) by the host after each reply and each interrupt: the worker waits on it. */
  wake: 0,
  /** 1 while a Ctrl-C waits to be raised as KeyboardInterrupt in the script. */
  interrupt: 1,
} as const;
export const CONTROL_BYTES = 2 * Int32Array.BYTES_PER_ELEMENT;

/** A call the script made that the host carries out. */
export interface HostRequest {
  readonly kind: 'request';
  readonly id: number;
  readonly op: string;
  readonly args: readonly unknown[];
  /** Bytes the call sends (send, write, sendto), copied out of MicroPython's heap. */
  readonly data?: Uint8Array;
}

/**
 * A failure as the script sees it: OSError(errno[, detail]) for everything the driver reports;
 * TypeError / ValueError for arguments it refuses as such (RuntimeError: a fault of copro's own).
 */
export type Failure =
  | { readonly errno: number; readonly detail?: string }
  | { readonly exception: 'TypeError' | 'ValueError' | 'RuntimeError'; readonly detail: string };

export type HostReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown; readonly data?: Uint8Array }
  | { readonly id: number; readonly ok: false; readonly failure: Failure };

/** Things the worker tells the host without waiting for an answer. */
export type WorkerEvent =
  | { readonly kind: 'output'; readonly stream: 'stdout' | 'stderr'; readonly data: Uint8Array }
  /** The REPL consumed the keyboard input sent so far (it is waiting at a prompt again). */
  | { readonly kind: 'input-done' }
  | { readonly kind: 'exit'; readonly code: number };

export type WorkerMessage = HostRequest | WorkerEvent;

/** How the worker starts (worker_threads workerData). */
export interface WorkerSetup {
  readonly control: SharedArrayBuffer;
  /** Requests and events go out here; replies come back here (read with receiveMessageOnPort). */
  readonly port: MessagePort;
  /** null: the REPL. `path` is absolute; `shownAs` is the path as given (sys.argv[0], tracebacks). */
  readonly script: { readonly path: string; readonly shownAs: string; readonly args: readonly string[] } | null;
  /** Host folders imported from (the script's own first), visible at their own paths. */
  readonly importDirs: readonly string[];
  /** The script's working folder (the script's folder, or the current one for the REPL). */
  readonly cwd: string;
  readonly heapBytes: number;
  /** The usocket constants (src/usocket/constants.ts), so Python gets the driver's own numbers. */
  readonly constants: Readonly<Record<string, number>>;
}

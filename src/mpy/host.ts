/**
 * `runMpy()`: a MicroPython program (or the REPL) on an open coprocessor. MicroPython runs in a
 * worker thread (worker.ts); its socket, ssl, network, select and time calls come here as
 * requests and are carried out with the driver on this thread (ops/), while the script waits.
 * Resolves with the exit status: 0, 1 after an uncaught exception, SystemExit's code, 130 when a
 * second Ctrl-C had to stop a script that could not take KeyboardInterrupt.
 */
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Coprocessor } from '../open.js';
import { constants } from '../usocket/constants.js';
import type { StoreProvisioning } from './cert-provisioning.js';
import { feedRepl, interruptOnSignal } from './keyboard.js';
import { inputOps } from './ops/input-ops.js';
import { SocketTable } from './ops/socket-table.js';
import { socketOps } from './ops/socket-ops.js';
import { tlsOps } from './ops/tls-ops.js';
import type { OpTable } from './ops/types.js';
import { wlanOps } from './ops/wlan-ops.js';
import { apOps } from './ops/ap-ops.js';
import { ScriptThread } from './script-thread.js';

/** MicroPython's garbage-collected heap: room for a few MiB of data in a script. */
const HEAP_BYTES = 32 * 1024 * 1024;
/** The exit status when a second Ctrl-C had to stop a script that could not be interrupted. */
const FORCED_STOP = 130;

export interface MpyRun {
  readonly copro: Coprocessor;
  /** null: the REPL, on `stdin`. */
  readonly script: { readonly path: string; readonly args: readonly string[] } | null;
  /** Extra folders modules are imported from (like a board's /lib). */
  readonly includeDirs?: readonly string[];
  /** Where certificates given to ssl go: the in-process emulator's store, or FLASH_STORE. */
  readonly certificates: StoreProvisioning;
  /** The network the module is on already (what config('essid') says before any connect()). */
  readonly joined?: string | null;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export async function runMpy(run: MpyRun): Promise<number> {
  const table = new SocketTable();
  const { usocket, wlan, ap } = run.copro;
  const ops: OpTable = {
    ...socketOps(usocket, table),
    ...tlsOps(usocket, table, run.certificates),
    ...wlanOps(wlan, run.joined ?? null),
    ...apOps(ap),
    ...inputOps(run.script ? run.stdin : null, run.stdout),
  };
  const includeDirs = (run.includeDirs ?? []).map((dir) => resolve(dir));
  const script = run.script && { path: resolve(run.script.path), shownAs: run.script.path, args: run.script.args };
  const cwd = script ? dirname(script.path) : process.cwd();

  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  let onConsumed = (): void => undefined;
  const thread = new ScriptThread(
    {
      script,
      importDirs: [cwd, ...includeDirs],
      cwd,
      heapBytes: HEAP_BYTES,
      constants,
    },
    {
      request: async ({ op, args, data }) => {
        const carryOut = ops[op];
        if (!carryOut) throw new Error(`copro mpy has no operation ${op}`);
        return carryOut(args, data);
      },
      event: (event) => {
        if (event.kind === 'output') (event.stream === 'stdout' ? run.stdout : run.stderr).write(event.data);
        else if (event.kind === 'input-done') onConsumed();
        else finish(event.code);
      },
      failed: (error) => {
        run.stderr.write(`copro mpy: ${error.message}\n`);
        finish(1);
      },
    },
  );
  let stopKeyboard: () => void;
  if (script) {
    stopKeyboard = interruptOnSignal(thread, () => {
      run.stderr.write('copro mpy: stopped: the script was computing and could not take KeyboardInterrupt\n');
      finish(FORCED_STOP);
    });
  } else {
    const keyboard = feedRepl(thread, run.stdin);
    onConsumed = keyboard.consumed;
    stopKeyboard = keyboard.stop;
  }
  const code = await finished;
  stopKeyboard();
  await thread.stop();
  await table.closeAll();
  return code;
}

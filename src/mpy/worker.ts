/**
 * The MicroPython thread of `copro mpy` (started by host.ts with a WorkerSetup): loads the port,
 * mounts the host folders, installs copro's modules, then runs the script — or the REPL, fed with
 * the keyboard bytes the host posts — and reports the exit status.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HostCall } from './host-call.js';
import { mountHostDirs } from './host-fs.js';
import { bootCode, installModules } from './install.js';
import { loadMicroPythonWithMemory } from './load-micropython.js';
import { OutputRelay } from './output-relay.js';
import type { WorkerSetup } from './protocol.js';
import { createPythonBridge } from './python-bridge.js';

const setup = workerData as WorkerSetup;
const host = new HostCall(setup.control, setup.port);
let raiseInterrupt = (): void => undefined;
const output = new OutputRelay(host, () => raiseInterrupt());

function finish(code: number): void {
  output.flushAll();
  host.notify({ kind: 'exit', code });
  parentPort?.removeAllListeners('message');
}

function runRepl(mp: Awaited<ReturnType<typeof loadMicroPythonWithMemory>>['mp']): void {
  mp.replInit();
  output.flushAll();
  // null: the keyboard input ended (stdin closed).
  parentPort?.on('message', (keys: Uint8Array | null) => {
    if (keys === null) return finish(0);
    for (const key of keys) {
      // Non-zero: Ctrl-D on an empty line, the REPL is done.
      if (mp.replProcessChar(key) !== 0) return finish(0);
    }
    output.flushAll();
    host.notify({ kind: 'input-done' });
  });
}

try {
  const { mp, memory } = await loadMicroPythonWithMemory({
    heapsize: setup.heapBytes,
    linebuffer: false,
    stdout: output.hook('stdout'),
    stderr: output.hook('stderr'),
  });
  raiseInterrupt = () => mp._module._mp_sched_keyboard_interrupt();
  mp.registerJsModule('_copro', createPythonBridge(host, memory, () => output.flushAll()));
  mountHostDirs(mp.FS, [...setup.importDirs, setup.cwd]);
  installModules(mp.FS, setup.constants);
  mp.runPython(bootCode(setup.importDirs, setup.cwd));
  if (setup.script) {
    const { path, shownAs, args } = setup.script;
    mp.runPython(`import _copro_main\n_copro_exit = _copro_main.run(${JSON.stringify(path)}, ${JSON.stringify(shownAs)}, ${JSON.stringify([shownAs, ...args])})`);
    const code = mp.globals.get('_copro_exit');
    finish(typeof code === 'number' ? code : 1);
  } else {
    runRepl(mp);
  }
} catch (err) {
  // Only copro's own start-up can fail here: the script's exceptions are caught by the runner.
  output.hook('stderr')(`copro mpy: ${err instanceof Error ? err.message : String(err)}\n`);
  finish(1);
}

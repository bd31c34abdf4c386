/**
 * Loads the MicroPython WebAssembly port together with its linear memory. The port does not
 * export its heap, but the bridge copies socket data straight in and out of Python buffers (whose
 * addresses uctypes.addressof gives), so the memory is taken from the instance as the port
 * creates it. Only this worker's global is touched, and only while the port loads.
 */
import { loadMicroPython } from '@micropython/micropython-webassembly-pyscript';
import type { LoadOptions, MicroPython } from '@micropython/micropython-webassembly-pyscript';

/** A WebAssembly.Memory: `buffer` is replaced when the memory grows, so read it at each use. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
type Instantiate = (...args: unknown[]) => Promise<{ instance: WasmInstance } | WasmInstance>;

function isMemory(value: unknown): value is WasmMemory {
  return typeof value === 'object' && value !== null && (value as WasmMemory).buffer instanceof ArrayBuffer;
}

export async function loadMicroPythonWithMemory(options: LoadOptions): Promise<{ mp: MicroPython; memory: WasmMemory }> {
  // Node has WebAssembly; the project's type libraries (ES2023, no DOM) just do not declare it.
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate: Instantiate } }).WebAssembly;
  const original = wasm.instantiate;
  let memory: WasmMemory | undefined;
  wasm.instantiate = async (...args) => {
    const created = await original.apply(wasm, args);
    const instance = 'instance' in created ? created.instance : created;
    if (isMemory(instance.exports.memory)) memory = instance.exports.memory;
    return created;
  };
  let mp: MicroPython;
  try {
    mp = await loadMicroPython(options);
  } finally {
    wasm.instantiate = original;
  }
  if (!memory) throw new Error('the MicroPython port exported no memory');
  return { mp, memory };
}

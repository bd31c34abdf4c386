/**
 * `_copro`, the JavaScript module the Python modules (python/*.ts) call. Each function is
 * synchronous from Python's view: it hands the call to the host thread (host-call.ts) and returns
 * when the driver has answered. Bytes never travel as Python objects: Python passes the address
 * of its own buffer (uctypes.addressof) and the bridge copies straight from or into MicroPython's
 * WebAssembly memory — one copy each way, and at most one chunk held outside the heap.
 *
 * Results are small: numbers for data calls (count, NONE, FAILED) and JSON text for the rest;
 * `error()` then tells what failed. A JavaScript exception must never reach the interpreter (the
 * port aborts on one), so every failure becomes a value here.
 */
import type { HostCall } from './host-call.js';
import { INTERRUPTED } from './host-call.js';
import type { WasmMemory } from './load-micropython.js';
import type { Failure, HostReply } from './protocol.js';

/** A data call found nothing to do in non-blocking mode (MicroPython returns None). */
export const NONE = -1;
/** The call failed: `error()` says how. */
export const FAILED = -2;

/** `error()` for a Ctrl-C: Python raises KeyboardInterrupt. */
const KEYBOARD_INTERRUPT = 'KeyboardInterrupt';

export interface PythonBridge {
  /** A call with JSON arguments; JSON `[0, value]`, or the failure as error() gives it. */
  call(op: string, argsJson: string): string;
  /** Sends `size` bytes at `addr` (send, sendall, sendto, write): the count, NONE or FAILED. */
  put(op: string, handle: number, addr: number, size: number, extraJson: string | null): number;
  /**
   * Receives (recv, recvfrom, read, readinto, readline): the count, NONE or FAILED. With `addr`
   * the bytes (at most `cap`) are written there; without, they wait for take().
   */
  get(op: string, handle: number, arg: number, addr: number, cap: number): number;
  /** Copies the bytes the last get() kept into the buffer at `addr`; their count. */
  take(addr: number): number;
  /** JSON: the extra value of the last call (recvfrom's address). */
  value(): string;
  /** JSON: why the last call failed: `[errno, detail?]`, `["ValueError", detail]`, `["KeyboardInterrupt"]`. */
  error(): string;
  /** time.sleep: 0, or FAILED when a Ctrl-C ended it. */
  sleep(ms: number): number;
  /** time.ticks_us: microseconds, wrapping as MicroPython's small-int ticks do. */
  ticks_us(): number;
}

/** MicroPython's ticks period on a 32-bit port: small ints hold 30 bits. */
const TICKS_MASK = 2 ** 30 - 1;

export function createPythonBridge(host: HostCall, memory: WasmMemory, beforeCall: () => void): PythonBridge {
  let failure: Failure | typeof KEYBOARD_INTERRUPT | null = null;
  let kept: Uint8Array | null = null;
  let extra: unknown = null;

  type Answer = Extract<HostReply, { ok: true }>;
  const request = (op: string, args: readonly unknown[], data?: Uint8Array): Answer | null => {
    beforeCall();
    const reply = host.call(op, args, data);
    if (reply === INTERRUPTED) {
      failure = KEYBOARD_INTERRUPT;
      return null;
    }
    if (!reply.ok) {
      failure = reply.failure;
      return null;
    }
    return reply;
  };
  const failureJson = (): string => {
    if (failure === KEYBOARD_INTERRUPT || failure === null) return JSON.stringify([KEYBOARD_INTERRUPT]);
    if ('exception' in failure) return JSON.stringify([failure.exception, failure.detail]);
    return JSON.stringify(failure.detail ? [failure.errno, failure.detail] : [failure.errno]);
  };

  return {
    call(op, argsJson) {
      const reply = request(op, JSON.parse(argsJson) as unknown[]);
      return reply ? JSON.stringify([0, reply.value ?? null]) : failureJson();
    },
    put(op, handle, addr, size, extraJson) {
      // A copy the host thread owns (transferred, not cloned): the script may reuse its buffer at once.
      const data = new Uint8Array(size);
      data.set(new Uint8Array(memory.buffer, addr, size));
      const args = extraJson === null ? [handle] : [handle, JSON.parse(extraJson) as unknown];
      const reply = request(op, args, data);
      if (!reply) return FAILED;
      return typeof reply.value === 'number' ? reply.value : NONE;
    },
    get(op, handle, arg, addr, cap) {
      const reply = request(op, [handle, arg]);
      if (!reply) return FAILED;
      extra = reply.value ?? null;
      const data = reply.data;
      if (!data) return NONE;
      if (addr === 0) {
        kept = data;
        return data.length;
      }
      const n = Math.min(data.length, cap);
      new Uint8Array(memory.buffer, addr, n).set(data.subarray(0, n));
      return n;
    },
    take(addr) {
      const data = kept ?? new Uint8Array(0);
      kept = null;
      new Uint8Array(memory.buffer, addr, data.length).set(data);
      return data.length;
    },
    value: () => JSON.stringify(extra),
    error: failureJson,
    sleep(ms) {
      beforeCall();
      if (host.sleep(ms)) return 0;
      failure = KEYBOARD_INTERRUPT;
      return FAILED;
    },
    // ToInt32 wraps modulo 2^32, a multiple of the period, so masking keeps the count exact.
    ticks_us: () => Math.floor(performance.now() * 1000) & TICKS_MASK,
  };
}

import type { ModuleTransport } from '../transport/types.js';

/**
 * The optional views other layers find on a transport by duck typing (output-queue.ts OutputFlow,
 * line-control.ts ModuleRateControl / InputFlow / LineBackpressure). A wrapper that hid them would
 * silently switch features off — AT+UART_CUR would no longer reach the line model — so the fault
 * layer offers exactly the views its inner transport has, counting its own held bytes as pending.
 */
export interface HeldOutput {
  /** Bytes the fault layer holds back (delay, stall, split). */
  heldBytes(): number;
  /** Resolves once it holds nothing. */
  heldDrained(): Promise<void>;
  /** Bytes it dropped (its hold overflowed). */
  heldDropped(): number;
}

type Method = (...args: never[]) => unknown;

function method(target: ModuleTransport, name: string): Method | null {
  const value = (target as unknown as Record<string, unknown>)[name];
  return typeof value === 'function' ? (value as Method).bind(target) : null;
}

export function forwardTransportViews(outer: ModuleTransport, inner: ModuleTransport, held: HeldOutput): void {
  const define = (name: string, value: unknown): void => {
    Object.defineProperty(outer, name, { value, configurable: true, enumerable: false, writable: false });
  };
  for (const name of ['setModuleBaudRate', 'pauseInput', 'resumeInput']) {
    const forward = method(inner, name);
    if (forward) define(name, forward);
  }
  const queued = method(inner, 'lineQueuedBytes') as (() => number) | null;
  const lineDrained = method(inner, 'lineDrained') as (() => Promise<void>) | null;
  if (queued && lineDrained) {
    define('lineQueuedBytes', () => queued() + held.heldBytes());
    define('lineDrained', async () => {
      await held.heldDrained();
      await lineDrained();
    });
  }
  const pending = method(inner, 'pendingBytes') as (() => number) | null;
  const dropped = method(inner, 'droppedBytes') as (() => number) | null;
  const drained = method(inner, 'drained') as (() => Promise<void>) | null;
  if (pending && dropped && drained) {
    define('pendingBytes', () => pending() + held.heldBytes());
    define('droppedBytes', () => dropped() + held.heldDropped());
    define('drained', async () => {
      await held.heldDrained();
      await drained();
    });
  }
}

import type { Tracer } from './trace.js';

/** What a running emulator owns, in the order it is taken down. */
export interface RunningParts {
  readonly faults: { detach(): void } | null;
  readonly module: { close(): Promise<void> };
  readonly stack: { dispose(): Promise<void> };
  /** The in-process pair's module end, when the emulator made one. */
  readonly pair?: { readonly module: { close(): Promise<void> } } | null;
  readonly tracer: Tracer;
}

/**
 * The emulator's close(), for either front end: fault timers stop, the module closes, then the network
 * stack and the in-process carrier; every later call gets the same promise.
 */
export function closeOnce(parts: RunningParts): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => {
    closing ??= (async () => {
      parts.faults?.detach();
      await parts.module.close();
      await parts.stack.dispose();
      if (parts.pair) await parts.pair.module.close();
      parts.tracer.note('emulator closed');
    })();
    return closing;
  };
}

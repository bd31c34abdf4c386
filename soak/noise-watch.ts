/**
 * Knows when a module's serial line lost, changed or doubled bytes — the faults after which a
 * wrong payload byte cannot be told from a right one (ESP-AT has no checksum on the line). Counts
 * the injector's byte faults (drop, corrupt, dup) and the bytes the stall and held-output bounds
 * threw away (those are trace notes, not injections).
 */
import type { FaultInjector } from '../emulator/faults/injector.js';
import type { Tracer } from '../emulator/trace.js';

export class NoiseWatch implements Tracer {
  /** Line-noise events so far; compare before and after an operation. */
  count = 0;

  watch(faults: FaultInjector): () => void {
    return faults.onInjected((kind, _detail, n) => {
      if (kind === 'drop' || kind === 'corrupt' || kind === 'dup') this.count += n;
    });
  }

  fromHost(): void {}
  toHost(): void {}
  note(text: string): void {
    // `FAULT stalled UART RX FIFO full: …` and `FAULT held output over … dropped`.
    if (text.startsWith('FAULT') && /RX FIFO full|held output over/.test(text)) this.count += 1;
  }
}

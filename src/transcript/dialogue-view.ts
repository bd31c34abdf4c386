/**
 * A dialogue shown once: each host command on one line, marked `[echoed]` when the module
 * repeated it, instead of the line typed and then the module's echo of it. The command is held
 * until the next thing happens (its echo, any other event, or flush() after a quiet moment), so
 * the mark can be added before it is shown. Used by `copro tap --trace` and `copro at`.
 */
import { describeEvent, escapeBytes } from '../at/trace.js';
import type { DialogueEvent } from './dialogue.js';

export interface ShownEvent {
  /** Milliseconds on the caller's clock when the event was decoded. */
  readonly t: number;
  readonly side: 'host' | 'module';
  readonly text: string;
  /** A host command the module echoed (its echo is not shown separately). */
  readonly echoed: boolean;
}

/** How long a command waits for its echo before it is shown without one (ms). */
export const ECHO_WAIT_MS = 100;

export class DialogueView {
  private held: { readonly t: number; readonly line: string; readonly text: string } | null = null;

  constructor(private readonly show: (event: ShownEvent) => void) {}

  push(event: DialogueEvent, t: number): void {
    if (event.side === 'module' && event.kind === 'reply' && event.echo) {
      const held = this.held;
      if (held && event.event.type === 'line' && event.event.text === held.line) {
        this.held = null;
        this.show({ t: held.t, side: 'host', text: held.text, echoed: true });
        return;
      }
    }
    this.flush();
    if (event.side === 'host' && event.kind === 'command') {
      const text = event.rejected ? `${escapeBytes(event.line)}  (refused: ${event.rejected})` : escapeBytes(event.line);
      this.held = { t, line: event.line, text };
      return;
    }
    this.show({ t, side: event.side, text: describeDialogueEvent(event), echoed: false });
  }

  /** Shows a held command without an echo mark (no echo came). */
  flush(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    this.show({ t: held.t, side: 'host', text: held.text, echoed: false });
  }

  get holding(): boolean {
    return this.held !== null;
  }
}

export function describeDialogueEvent(event: DialogueEvent): string {
  switch (event.kind) {
    case 'command':
      return escapeBytes(event.line);
    case 'data':
      return `[data] ${event.bytes.length} bytes: ${escapeBytes(event.bytes, 48)}`;
    case 'passthrough':
      return `[passthrough] ${event.bytes.length} bytes: ${escapeBytes(event.bytes, 48)}`;
    case 'reply':
      return event.echo ? `[echo] ${describeEvent(event.event)}` : describeEvent(event.event);
    case 'frame':
      return event.text;
  }
}

/** `copro at`'s line for a shown event: the module's words as they are, the host's commands marked. */
export function formatForTerminal(event: ShownEvent): string {
  return event.side === 'host' ? `${event.text}${event.echoed ? '  [echoed]' : ''}` : event.text;
}

/** `copro tap --trace`'s line: seconds since start, the gap since the previous event, the direction. */
export function formatForTrace(event: ShownEvent, previousT: number | null): string {
  const at = (event.t / 1000).toFixed(3).padStart(9, ' ');
  const gap = previousT === null ? '' : `+${((event.t - previousT) / 1000).toFixed(3)}`;
  const arrow = event.side === 'host' ? 'host   >' : 'module <';
  return `${at} ${gap.padStart(8, ' ')} ${arrow} ${formatForTerminal(event)}`;
}

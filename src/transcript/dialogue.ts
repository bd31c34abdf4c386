/**
 * The two directions of a serial dialogue decoded together, as a person reading a line
 * analyser would: what the host said (commands, payloads) and what the module answered
 * (results, information lines, URCs, payloads), the module's echo recognised as such.
 * Decoding only ever reads copies of the bytes: whatever it makes of them, the bytes themselves
 * are the tap's, the recorder's and the replayer's to pass on unchanged.
 */
import type { HostEvent, LineRejection, ParsedCommand } from '../../firmware-protocol/at/types.js';
import type { LineEventKind } from './format.js';

export type DialogueEvent =
  /** A command line the host sent; `rejected` when the firmware's line parser refuses it. */
  | {
      readonly side: 'host';
      readonly kind: 'command';
      readonly line: string;
      readonly command: ParsedCommand | null;
      readonly rejected?: LineRejection;
    }
  /** A CIPSEND/CIPSENDEX payload, complete. */
  | { readonly side: 'host'; readonly kind: 'data'; readonly bytes: Uint8Array }
  /** Bytes either way while the link is transparent (CIPMODE=1). */
  | { readonly side: 'host' | 'module'; readonly kind: 'passthrough'; readonly bytes: Uint8Array }
  /** What the module said, as the driver's parser reads it; `echo` when it repeats the host's line. */
  | { readonly side: 'module'; readonly kind: 'reply'; readonly event: HostEvent; readonly echo: boolean }
  /** A NINA frame either way, already described (command name and parameters). */
  | { readonly side: 'host' | 'module'; readonly kind: 'frame'; readonly text: string };

/** Decodes one dialogue: host bytes and module bytes in the order they crossed. */
export interface DialogueDecoder {
  host(bytes: Uint8Array): DialogueEvent[];
  module(bytes: Uint8Array): DialogueEvent[];
  /** A reset or a new host: partial lines and modes are gone. */
  lineEvent(kind: LineEventKind): void;
}

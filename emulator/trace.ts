import type { Writable } from 'node:stream';

/**
 * A readable, timestamped log of the dialogue between host and module: every byte in (`<`)
 * and out (`>`), with the link ids a chunk concerns, plus notes for network events
 * (`link 0 → 127.0.0.1:5000`). It is what `--trace` prints; the emulator never reads it back.
 */
export interface Tracer {
  /** Bytes the host sent to the module. */
  fromHost(bytes: Uint8Array): void;
  /** Bytes the module sent to the host; `links` names the link ids the output is about. */
  toHost(bytes: Uint8Array, links?: readonly number[]): void;
  /** A network or state event worth a line of its own. */
  note(text: string, link?: number): void;
}

/** Traces nothing: the default when no trace output is wanted. */
export const NULL_TRACER: Tracer = {
  fromHost() {},
  toHost() {},
  note() {},
};

/** `\r`, `\n`, `\t` and `\\` by name, other bytes outside printable ASCII as `\xNN`. */
export function escapeBytes(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0x0d) text += '\\r';
    else if (byte === 0x0a) text += '\\n';
    else if (byte === 0x09) text += '\\t';
    else if (byte === 0x5c) text += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return text;
}

export interface TracerOptions {
  /** Milliseconds clock; the default is the process's monotonic clock. */
  readonly now?: () => number;
  /** Prefix for every line, e.g. the module's name when one daemon runs several. */
  readonly label?: string;
}

/** A tracer that writes one line per event to `out`, timestamps relative to its creation. */
export function createTracer(out: Writable, options: TracerOptions = {}): Tracer {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const prefix = options.label ? `${options.label} ` : '';
  const stamp = (): string => ((now() - start) / 1000).toFixed(3).padStart(9, ' ');
  const line = (text: string): void => {
    // A trace sink that has gone away must never take the module down with it.
    if (!out.writable) return;
    try {
      out.write(`${stamp()} ${prefix}${text}\n`);
    } catch {
      /* ignored: tracing is best effort */
    }
  };
  const linkTag = (links?: readonly number[]): string =>
    links && links.length > 0 ? `[${links.join(',')}] ` : '';
  return {
    fromHost(bytes) {
      line(`< ${escapeBytes(bytes)}`);
    },
    toHost(bytes, links) {
      line(`> ${linkTag(links)}${escapeBytes(bytes)}`);
    },
    note(text, link) {
      line(`* ${link === undefined ? '' : `[${link}] `}${text}`);
    },
  };
}

/** True when `value` is already a Tracer (startEmulator accepts a Writable or a Tracer). */
export function isTracer(value: unknown): value is Tracer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Tracer).fromHost === 'function' &&
    typeof (value as Tracer).toHost === 'function' &&
    typeof (value as Tracer).note === 'function'
  );
}

/**
 * The transcript format, version 1 (docs/transcripts.md is its specification): one JSON object
 * per line; the first is the header, every other one is a record stamped with `t`, milliseconds
 * since the recording began. Pure: values to lines and back, no I/O.
 */

export const TRANSCRIPT_VERSION = 1;

/** Which end of the serial line bytes came from. */
export type Side = 'host' | 'module';

/** Who wrote the transcript. */
export type RecorderKind = 'tap' | 'emulator' | 'driver' | 'hand';

export interface TranscriptHeader {
  readonly version: number;
  /** `copro 0.1.0`, or whatever wrote it. */
  readonly tool: string;
  readonly recorder: RecorderKind;
  /** ISO 8601 time the recording began. */
  readonly created: string;
  readonly protocol: 'at' | 'nina';
  /** The line rate at the start (null: unknown, e.g. serial over raw TCP). */
  readonly baud: number | null;
  /** What was recorded: the device path, `emu:`, or for hand-written transcripts the document section. */
  readonly device?: string;
  /** Where the exchanges come from, when not a live recording (hand-written transcripts must say). */
  readonly source?: string;
  /** The firmware's AT+GMR lines, when known when recording began (else see the `firmware` record). */
  readonly banner?: readonly string[];
  /** The firmware profile the banner looks like (detectProfile in firmware-protocol/at/profiles/). */
  readonly profile?: string | null;
  /** `measured`: `t` is real time; `none`: times only order the records (hand-written). */
  readonly clock: 'measured' | 'none';
}

/** Things that happen on the line besides bytes. */
export type LineEventKind =
  | 'baud'
  | 'reset'
  | 'host-attached'
  | 'host-detached'
  | 'device-attached'
  | 'device-detached';

export type TranscriptRecord =
  /** Bytes as they crossed, in the chunks they were read in. */
  | { readonly t: number; readonly kind: 'data'; readonly from: Side; readonly bytes: Uint8Array }
  | { readonly t: number; readonly kind: 'line'; readonly event: LineEventKind; readonly rate?: number }
  /** The firmware answered AT+GMR: its lines and the profile they look like. */
  | { readonly t: number; readonly kind: 'firmware'; readonly banner: readonly string[]; readonly profile: string | null }
  /** Free text for readers (a hand-written transcript names the example each part comes from). */
  | { readonly t: number; readonly kind: 'note'; readonly text: string };

const LINE_EVENTS: readonly LineEventKind[] = ['baud', 'reset', 'host-attached', 'host-detached', 'device-attached', 'device-detached'];

export function isLineEventKind(value: unknown): value is LineEventKind {
  return typeof value === 'string' && (LINE_EVENTS as readonly string[]).includes(value);
}

export function formatHeader(header: TranscriptHeader): string {
  const { version, ...rest } = header;
  return JSON.stringify({ copro: 'transcript', version, ...rest });
}

/** Milliseconds to three decimals: microseconds are the finest a serial line needs. */
function stamp(t: number): number {
  return Math.round(t * 1000) / 1000;
}

export function formatRecord(record: TranscriptRecord): string {
  const t = stamp(record.t);
  switch (record.kind) {
    case 'data':
      return JSON.stringify({ t, from: record.from, ...encodeBytes(record.bytes) });
    case 'line':
      return JSON.stringify(record.rate === undefined ? { t, event: record.event } : { t, event: record.event, rate: record.rate });
    case 'firmware':
      return JSON.stringify({ t, event: 'firmware', banner: record.banner, profile: record.profile });
    case 'note':
      return JSON.stringify({ t, note: record.text });
  }
}

/** Bytes are `text` (one character per byte) when all of them are printable ASCII, CR, LF or TAB; otherwise `hex`. */
export function encodeBytes(bytes: Uint8Array): { text: string } | { hex: string } {
  for (const byte of bytes) {
    const plain = (byte >= 0x20 && byte < 0x7f) || byte === 0x0d || byte === 0x0a || byte === 0x09;
    if (!plain) return { hex: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') };
  }
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') };
}

/**
 * What `copro replay` plays: the module's side of a transcript, each chunk released once the
 * host has sent everything the transcript shows it sending before that chunk, and a check of
 * every host byte against the transcript. Pure: the caller feeds host bytes and sends what
 * takeDue() returns, on its own clock.
 *
 * Matching:
 *   - `bytes` (default): the host's byte stream must equal the transcript's, byte for byte;
 *     how either side split it into writes does not matter.
 *   - `lines`: both streams are compared with line endings normalised (CR, LF and CR LF all end
 *     a line, empty lines are skipped), so a host that ends lines differently still matches.
 *     The module's bytes, echo included, are replayed as recorded.
 */
import { escapeBytes } from '../at/trace.js';
import type { Transcript } from './reader.js';

export type MatchMode = 'bytes' | 'lines';

export interface DueChunk {
  readonly bytes: Uint8Array;
  /** Recorded time of this chunk (ms). */
  readonly t: number;
  /** Recorded time of the host bytes it waited for (ms); 0 when it waited for none. */
  readonly afterHostT: number;
}

export interface Deviation {
  /** Offset in the host's stream (after normalising, in `lines` mode) where it differs. */
  readonly offset: number;
  /** What the transcript has from there (escaped; `<end of transcript>` when it has nothing more). */
  readonly expected: string;
  /** What the host sent from there (escaped). */
  readonly got: string;
  /** Line of the transcript file holding the expected byte, when known. */
  readonly transcriptLine: number | null;
}

interface ModuleChunk extends DueChunk {
  /** Host stream length (normalised in `lines` mode) that must have arrived first. */
  readonly needs: number;
}

const CR = 0x0d;
const LF = 0x0a;
/** How much of each side a deviation report shows. */
const CONTEXT = 32;

/** CR, LF and CR LF become one LF; empty lines vanish. Incremental: the result never depends on chunking. */
export class LineNormaliser {
  private atLineStart = true;

  push(bytes: Uint8Array): Uint8Array {
    const out: number[] = [];
    for (const byte of bytes) {
      if (byte === CR || byte === LF) {
        if (!this.atLineStart) out.push(LF);
        this.atLineStart = true;
      } else {
        out.push(byte);
        this.atLineStart = false;
      }
    }
    return Uint8Array.from(out);
  }
}

export class ReplayScript {
  private readonly expected: Buffer;
  /** End offset (exclusive) of each host record in `expected`, with its file line. */
  private readonly hostRecords: Array<{ end: number; line: number }> = [];
  private readonly chunks: ModuleChunk[] = [];
  private next = 0;
  private received = 0;
  private readonly normaliser: LineNormaliser | null;
  private deviated: Deviation | null = null;

  constructor(transcript: Transcript, match: MatchMode = 'bytes') {
    const recordLines = transcript.recordLines ?? [];
    this.normaliser = match === 'lines' ? new LineNormaliser() : null;
    const expectedNormaliser = match === 'lines' ? new LineNormaliser() : null;
    const parts: Uint8Array[] = [];
    let length = 0;
    let lastHostT = 0;
    transcript.records.forEach((record, index) => {
      if (record.kind !== 'data') return;
      if (record.from === 'host') {
        const part = expectedNormaliser ? expectedNormaliser.push(record.bytes) : record.bytes;
        parts.push(part);
        length += part.length;
        lastHostT = record.t;
        this.hostRecords.push({ end: length, line: recordLines[index] ?? 0 });
      } else {
        this.chunks.push({ bytes: record.bytes, t: record.t, afterHostT: length > 0 ? lastHostT : 0, needs: length });
      }
    });
    this.expected = Buffer.concat(parts);
  }

  /** Host bytes the transcript expects in all. */
  get expectedLength(): number {
    return this.expected.length;
  }

  get receivedLength(): number {
    return this.received;
  }

  /** Every module chunk was released and every expected host byte arrived. */
  get finished(): boolean {
    return this.next === this.chunks.length && this.received === this.expected.length;
  }

  get deviation(): Deviation | null {
    return this.deviated;
  }

  /** Checks bytes from the host; the first difference ends the replay (returned, and kept in `deviation`). */
  hostBytes(raw: Uint8Array): Deviation | null {
    if (this.deviated) return this.deviated;
    const bytes = this.normaliser ? this.normaliser.push(raw) : raw;
    for (let i = 0; i < bytes.length; i++) {
      const at = this.received + i;
      if (at >= this.expected.length || this.expected[at] !== bytes[i]) {
        this.deviated = {
          offset: at,
          expected: at >= this.expected.length ? '<end of transcript>' : escapeBytes(this.expected.subarray(at, at + CONTEXT), CONTEXT),
          got: escapeBytes(bytes.subarray(i, i + CONTEXT), CONTEXT),
          transcriptLine: this.lineOf(at),
        };
        this.received = at;
        return this.deviated;
      }
    }
    this.received += bytes.length;
    return null;
  }

  /** Module chunks whose host bytes have all arrived, in order (each returned once). */
  takeDue(): DueChunk[] {
    const due: DueChunk[] = [];
    while (!this.deviated && this.next < this.chunks.length && this.chunks[this.next].needs <= this.received) {
      const { bytes, t, afterHostT } = this.chunks[this.next++];
      due.push({ bytes, t, afterHostT });
    }
    return due;
  }

  private lineOf(offset: number): number | null {
    const record = this.hostRecords.find((r) => offset < r.end);
    return record && record.line > 0 ? record.line : null;
  }
}

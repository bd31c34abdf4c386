/**
 * Writes a transcript file as the dialogue happens (append only: a crash loses at most what the
 * stream had not flushed). Every recorder in copro — the tap, `copro emulate --record`, the
 * driver's `record` option — writes through this one class, so the files are alike.
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import { TRANSCRIPT_VERSION, formatHeader, formatRecord } from './format.js';
import type { LineEventKind, RecorderKind, Side, TranscriptHeader, TranscriptRecord } from './format.js';
import { FirmwareSniffer } from './firmware-sniffer.js';

/** copro's own version, as the header's `tool` says. */
export const TOOL_NAME = 'copro 0.1.0';

export interface TranscriptSink {
  data(from: Side, bytes: Uint8Array): void;
  lineEvent(event: LineEventKind, rate?: number): void;
  note(text: string): void;
}

export interface RecorderOptions {
  readonly recorder: RecorderKind;
  readonly protocol?: 'at' | 'nina';
  readonly baud?: number | null;
  readonly device?: string;
  /** Known firmware (the emulator knows its own); otherwise the AT+GMR answer is watched for. */
  readonly banner?: readonly string[];
  readonly profile?: string | null;
  readonly clock?: Clock;
}

export class TranscriptRecorder implements TranscriptSink {
  private readonly start: number;
  private readonly sniffer: FirmwareSniffer | null;
  private closed: Promise<void> | null = null;

  private constructor(
    private readonly out: WriteStream,
    private readonly clock: Clock,
    header: TranscriptHeader,
  ) {
    this.start = clock.now();
    this.sniffer = header.protocol === 'at' && header.banner === undefined ? new FirmwareSniffer() : null;
    out.write(`${formatHeader(header)}\n`);
  }

  /** Creates (or truncates) `file` and writes the header. */
  static async open(file: string, options: RecorderOptions): Promise<TranscriptRecorder> {
    const out = createWriteStream(file, { flags: 'w' });
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', (err) => reject(new Error(`cannot write transcript ${file}: ${err.message}`)));
    });
    out.on('error', () => undefined); // a full disk must not take the tap down; close() reports nothing more
    const header: TranscriptHeader = {
      version: TRANSCRIPT_VERSION,
      tool: TOOL_NAME,
      recorder: options.recorder,
      created: new Date().toISOString(),
      protocol: options.protocol ?? 'at',
      baud: options.baud ?? null,
      clock: 'measured',
      ...(options.device !== undefined ? { device: options.device } : {}),
      ...(options.banner !== undefined ? { banner: options.banner, profile: options.profile ?? null } : {}),
    };
    return new TranscriptRecorder(out, options.clock ?? systemClock, header);
  }

  data(from: Side, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const t = this.elapsed();
    // A copy: the caller's buffer may be reused once this returns.
    this.write({ t, kind: 'data', from, bytes: Uint8Array.from(bytes) });
    const seen = from === 'module' ? this.sniffer?.push(bytes) : null;
    if (seen) this.write({ t, kind: 'firmware', banner: seen.banner, profile: seen.profile });
  }

  lineEvent(event: LineEventKind, rate?: number): void {
    this.write({ t: this.elapsed(), kind: 'line', event, ...(rate !== undefined ? { rate } : {}) });
  }

  note(text: string): void {
    this.write({ t: this.elapsed(), kind: 'note', text });
  }

  /** Flushes and closes the file; later calls record nothing. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => this.out.end(() => resolve()));
    return this.closed;
  }

  private elapsed(): number {
    return this.clock.now() - this.start;
  }

  private write(record: TranscriptRecord): void {
    if (this.closed || this.out.destroyed) return;
    this.out.write(`${formatRecord(record)}\n`);
  }
}

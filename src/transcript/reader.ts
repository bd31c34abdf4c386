/**
 * Reads a transcript (format.ts, docs/transcripts.md) back into values, checking every line:
 * a mistake is reported with its line number, never skipped. Fields a later revision of
 * version 1 may add are ignored; a newer major version is refused.
 */
import { TRANSCRIPT_VERSION, isLineEventKind } from './format.js';
import type { RecorderKind, Side, TranscriptHeader, TranscriptRecord } from './format.js';

export interface Transcript {
  readonly header: TranscriptHeader;
  readonly records: readonly TranscriptRecord[];
  /** The file line of each record (same index), for messages; absent for transcripts built in code. */
  readonly recordLines?: readonly number[];
}

export class TranscriptError extends Error {
  constructor(
    readonly source: string,
    readonly lineNumber: number,
    reason: string,
  ) {
    super(`${source}:${lineNumber}: ${reason}`);
    this.name = 'TranscriptError';
  }
}

type Json = Record<string, unknown>;

const RECORDERS: readonly RecorderKind[] = ['tap', 'emulator', 'driver', 'hand'];

export function parseTranscript(text: string, source = 'transcript'): Transcript {
  const lines = text.split('\n');
  let header: TranscriptHeader | null = null;
  const records: TranscriptRecord[] = [];
  const recordLines: number[] = [];
  let lastT = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const fail = (reason: string): never => {
      throw new TranscriptError(source, i + 1, reason);
    };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      fail(`not JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('each line must be one JSON object');
    const object = value as Json;
    if (header === null) {
      header = readHeader(object, fail);
      continue;
    }
    const record = readRecord(object, fail);
    if (record.t < lastT) fail(`time goes backwards (${record.t} after ${lastT})`);
    lastT = record.t;
    records.push(record);
    recordLines.push(i + 1);
  }
  if (header === null) throw new TranscriptError(source, 1, 'empty: the first line must be the transcript header');
  return { header, records, recordLines };
}

function readHeader(object: Json, fail: (reason: string) => never): TranscriptHeader {
  if (object.copro !== 'transcript') fail('the first line must be the header ({"copro":"transcript","version":1,…})');
  const version = object.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) fail('header: version must be a positive integer');
  if ((version as number) > TRANSCRIPT_VERSION) fail(`header: version ${String(version)} is newer than this copro reads (${TRANSCRIPT_VERSION})`);
  const recorder = object.recorder;
  if (typeof recorder !== 'string' || !(RECORDERS as readonly string[]).includes(recorder)) fail(`header: recorder must be one of ${RECORDERS.join(', ')}`);
  const protocol = object.protocol ?? 'at';
  if (protocol !== 'at' && protocol !== 'nina') fail('header: protocol must be "at" or "nina"');
  const baud = object.baud ?? null;
  if (baud !== null && (typeof baud !== 'number' || !(baud > 0))) fail('header: baud must be a positive number or null');
  const clock = object.clock ?? 'measured';
  if (clock !== 'measured' && clock !== 'none') fail('header: clock must be "measured" or "none"');
  const banner = object.banner;
  if (banner !== undefined && !isStringArray(banner)) fail('header: banner must be an array of strings');
  const profile = object.profile;
  if (profile !== undefined && profile !== null && typeof profile !== 'string') fail('header: profile must be a string or null');
  for (const key of ['tool', 'created', 'device', 'source'] as const) {
    if (object[key] !== undefined && typeof object[key] !== 'string') fail(`header: ${key} must be a string`);
  }
  if (recorder === 'hand' && typeof object.source !== 'string') fail('header: a hand-written transcript must name its source');
  return {
    version: version as number,
    tool: typeof object.tool === 'string' ? object.tool : 'unknown',
    recorder: recorder as RecorderKind,
    created: typeof object.created === 'string' ? object.created : '',
    protocol,
    baud: baud as number | null,
    clock,
    ...(typeof object.device === 'string' ? { device: object.device } : {}),
    ...(typeof object.source === 'string' ? { source: object.source } : {}),
    ...(banner !== undefined ? { banner: banner as string[] } : {}),
    ...(profile !== undefined ? { profile: profile as string | null } : {}),
  };
}

function readRecord(object: Json, fail: (reason: string) => never): TranscriptRecord {
  const t = object.t;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) fail('t must be a non-negative number of milliseconds');
  const at = t as number;
  if (object.from !== undefined) {
    if (object.from !== 'host' && object.from !== 'module') fail('from must be "host" or "module"');
    return { t: at, kind: 'data', from: object.from as Side, bytes: readBytes(object, fail) };
  }
  if (object.event === 'firmware') {
    if (!isStringArray(object.banner)) fail('firmware: banner must be an array of strings');
    const profile = object.profile ?? null;
    if (profile !== null && typeof profile !== 'string') fail('firmware: profile must be a string or null');
    return { t: at, kind: 'firmware', banner: object.banner as string[], profile: profile as string | null };
  }
  if (object.event !== undefined) {
    const event = object.event;
    if (!isLineEventKind(event)) return fail(`unknown event ${JSON.stringify(event)}`);
    if (event !== 'baud') return { t: at, kind: 'line', event };
    if (typeof object.rate !== 'number' || !(object.rate > 0)) fail('baud: rate must be a positive number');
    return { t: at, kind: 'line', event, rate: object.rate as number };
  }
  if (typeof object.note === 'string') return { t: at, kind: 'note', text: object.note };
  return fail('a record needs one of: from (bytes), event, note');
}

function readBytes(object: Json, fail: (reason: string) => never): Uint8Array {
  if (typeof object.hex === 'string') {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(object.hex)) fail('hex must be pairs of hex digits');
    return Buffer.from(object.hex, 'hex');
  }
  if (typeof object.text === 'string') {
    // One character per byte: anything above U+00FF cannot be a byte.
    if (/[^\u0000-\u00ff]/.test(object.text)) fail('text may only hold characters U+0000..U+00FF (one per byte); use hex');
    return Buffer.from(object.text, 'latin1');
  }
  return fail('a data record needs text or hex');
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The firmware the transcript shows: the header's banner, else the first `firmware` record. */
export function firmwareOf(transcript: Transcript): { banner: readonly string[]; profile: string | null } | null {
  if (transcript.header.banner) return { banner: transcript.header.banner, profile: transcript.header.profile ?? null };
  for (const record of transcript.records) {
    if (record.kind === 'firmware') return { banner: record.banner, profile: record.profile };
  }
  return null;
}

/** The bytes one side sent, in order, as one buffer. */
export function bytesFrom(transcript: Transcript, side: Side): Buffer {
  const parts: Uint8Array[] = [];
  for (const record of transcript.records) if (record.kind === 'data' && record.from === side) parts.push(record.bytes);
  return Buffer.concat(parts);
}

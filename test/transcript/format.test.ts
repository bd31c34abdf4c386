import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHeader, formatRecord, TRANSCRIPT_VERSION } from '../../src/transcript/format.js';
import type { TranscriptHeader, TranscriptRecord } from '../../src/transcript/format.js';
import { bytesFrom, parseTranscript, TranscriptError } from '../../src/transcript/reader.js';

const HEADER: TranscriptHeader = {
  version: TRANSCRIPT_VERSION,
  tool: 'copro 0.1.0',
  recorder: 'tap',
  created: '2026-01-01T00:00:00.000Z',
  protocol: 'at',
  baud: 115200,
  clock: 'measured',
  device: '/dev/ttyUSB0',
};

describe('transcript format v1', () => {
  it('writes each record as one JSON object with exact field names', () => {
    expect(formatHeader(HEADER)).toBe(
      '{"copro":"transcript","version":1,"tool":"copro 0.1.0","recorder":"tap","created":"2026-01-01T00:00:00.000Z","protocol":"at","baud":115200,"clock":"measured","device":"/dev/ttyUSB0"}',
    );
    expect(formatRecord({ t: 1.23456, kind: 'data', from: 'host', bytes: Buffer.from('AT\r\n') })).toBe('{"t":1.235,"from":"host","text":"AT\\r\\n"}');
    expect(formatRecord({ t: 2, kind: 'data', from: 'module', bytes: Buffer.from([0x2b, 0x00, 0xff]) })).toBe('{"t":2,"from":"module","hex":"2b00ff"}');
    expect(formatRecord({ t: 3, kind: 'line', event: 'baud', rate: 921600 })).toBe('{"t":3,"event":"baud","rate":921600}');
    expect(formatRecord({ t: 4, kind: 'line', event: 'reset' })).toBe('{"t":4,"event":"reset"}');
    expect(formatRecord({ t: 5, kind: 'firmware', banner: ['AT version:2.4.0.0'], profile: 'esp32-at-2.x' })).toBe(
      '{"t":5,"event":"firmware","banner":["AT version:2.4.0.0"],"profile":"esp32-at-2.x"}',
    );
    expect(formatRecord({ t: 6, kind: 'note', text: 'hi' })).toBe('{"t":6,"note":"hi"}');
  });

  it('reads back whatever it writes, any bytes (property)', () => {
    const record = fc.oneof(
      fc.record({ kind: fc.constant('data' as const), from: fc.constantFrom('host' as const, 'module' as const), bytes: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) }),
      fc.record({ kind: fc.constant('line' as const), event: fc.constantFrom('reset' as const, 'host-attached' as const, 'device-detached' as const) }),
      fc.record({ kind: fc.constant('note' as const), text: fc.string() }),
    );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }), (drafts) => {
        const records = drafts.map((draft, i) => ({ ...draft, t: i * 1.5 }) as TranscriptRecord);
        const text = [formatHeader(HEADER), ...records.map(formatRecord)].join('\n');
        const read = parseTranscript(text);
        expect(read.header).toEqual(HEADER);
        expect(read.records.map((r) => (r.kind === 'data' ? { ...r, bytes: Buffer.from(r.bytes) } : r))).toEqual(records);
      }),
    );
  });

  it('joins one side\'s bytes in order', () => {
    const text = [formatHeader(HEADER), '{"t":0,"from":"host","text":"AT"}', '{"t":1,"from":"module","text":"x"}', '{"t":2,"from":"host","hex":"0d0a"}'].join('\n');
    expect(bytesFrom(parseTranscript(text), 'host').toString('latin1')).toBe('AT\r\n');
  });

  it('names the line of every mistake', () => {
    const bad = (lines: string[]): string => {
      try {
        parseTranscript(lines.join('\n'), 'x.jsonl');
      } catch (err) {
        expect(err).toBeInstanceOf(TranscriptError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad(['{"t":0}'])).toMatch(/^x\.jsonl:1: the first line must be the header/);
    expect(bad([formatHeader({ ...HEADER, version: 2 })])).toMatch(/^x\.jsonl:1: header: version 2 is newer/);
    expect(bad([formatHeader(HEADER), '{"t":5,"note":"a"}', '{"t":4,"note":"b"}'])).toMatch(/^x\.jsonl:3: time goes backwards/);
    expect(bad([formatHeader(HEADER), 'nope'])).toMatch(/^x\.jsonl:2: not JSON/);
    expect(bad([formatHeader(HEADER), '{"t":1,"from":"host","text":"\u0100"}'])).toMatch(/U\+0000\.\.U\+00FF/);
    expect(bad([formatHeader(HEADER), '{"t":1,"from":"host","hex":"abc"}'])).toMatch(/pairs of hex digits/);
    expect(bad([formatHeader({ ...HEADER, recorder: 'hand' })])).toMatch(/must name its source/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatHeader, formatRecord, TRANSCRIPT_VERSION } from '../../src/transcript/format.js';
import type { TranscriptRecord } from '../../src/transcript/format.js';
import { parseTranscript } from '../../src/transcript/reader.js';
import { LineNormaliser, ReplayScript } from '../../src/transcript/replay-script.js';

function transcript(records: Array<[number, 'host' | 'module', string]>): string {
  const header = formatHeader({ version: TRANSCRIPT_VERSION, tool: 't', recorder: 'tap', created: '', protocol: 'at', baud: 115200, clock: 'measured' });
  const lines = records.map(([t, from, text]): TranscriptRecord => ({ t, kind: 'data', from, bytes: Buffer.from(text, 'latin1') }));
  return [header, ...lines.map(formatRecord)].join('\n');
}

const SESSION = transcript([
  [0, 'module', '\r\nready\r\n'],
  [10, 'host', 'AT\r\n'],
  [12, 'module', 'AT\r\r\n\r\nOK\r\n'],
  [20, 'host', 'AT+CIPSEND=5\r\n'],
  [22, 'module', '\r\nOK\r\n\r\n>'],
  [30, 'host', 'hello'],
  [31, 'module', '\r\nRecv 5 bytes\r\n'],
  [32, 'module', '\r\nSEND OK\r\n'],
]);

const text = (chunks: { bytes: Uint8Array }[]): string[] => chunks.map((c) => Buffer.from(c.bytes).toString('latin1'));

describe('the replay script', () => {
  it('releases each module chunk once the host has sent what came before it, however the host splits its writes', () => {
    const script = new ReplayScript(parseTranscript(SESSION));
    expect(text(script.takeDue())).toEqual(['\r\nready\r\n']);
    expect(script.hostBytes(Buffer.from('A'))).toBeNull();
    expect(script.takeDue()).toEqual([]);
    expect(script.hostBytes(Buffer.from('T\r\nAT+CIP'))).toBeNull();
    const due = script.takeDue();
    expect(text(due)).toEqual(['AT\r\r\n\r\nOK\r\n']);
    expect(due[0]).toMatchObject({ t: 12, afterHostT: 10 });
    expect(script.hostBytes(Buffer.from('SEND=5\r\nhello'))).toBeNull();
    expect(text(script.takeDue())).toEqual(['\r\nOK\r\n\r\n>', '\r\nRecv 5 bytes\r\n', '\r\nSEND OK\r\n']);
    expect(script.finished).toBe(true);
  });

  it('stops at the first differing byte and says where, with the transcript line', () => {
    const script = new ReplayScript(parseTranscript(SESSION, 's.jsonl'));
    script.hostBytes(Buffer.from('AT\r\nAT+CIPSEND=6\r\n'));
    expect(script.deviation).toEqual({ offset: 15, expected: '5\\r\\nhello', got: '6\\r\\n', transcriptLine: 5 });
    expect(script.takeDue()).toEqual([]);
    expect(script.finished).toBe(false);
  });

  it('reports bytes beyond the end of the transcript', () => {
    const script = new ReplayScript(parseTranscript(SESSION));
    expect(script.hostBytes(Buffer.from('AT\r\nAT+CIPSEND=5\r\nhello!'))).toMatchObject({ offset: 23, expected: '<end of transcript>', got: '!' });
  });

  it('in lines mode takes CR, LF and CR LF as one line end and skips empty lines', () => {
    const script = new ReplayScript(parseTranscript(SESSION), 'lines');
    script.takeDue();
    expect(script.hostBytes(Buffer.from('AT\n\r\nAT+CIPSEND=5\rhello'))).toBeNull();
    expect(script.finished).toBe(false);
    expect(text(script.takeDue())).toHaveLength(4);
    expect(script.finished).toBe(true);
  });

  it('normalises line ends the same whatever the chunking', () => {
    const input = Buffer.from('A\r\n\r\nB\rC\n\nD\r');
    const whole = Buffer.from(new LineNormaliser().push(input)).toString('latin1');
    for (let size = 1; size <= input.length; size++) {
      const n = new LineNormaliser();
      let out = '';
      for (let at = 0; at < input.length; at += size) out += Buffer.from(n.push(input.subarray(at, at + size))).toString('latin1');
      expect(out).toBe(whole);
    }
    expect(whole).toBe('A\nB\nC\nD\n');
  });
});

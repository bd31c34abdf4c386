import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectProfile, isGmrVersionLine } from '../../firmware-protocol/at/profiles/index.js';
import { ESP32_AT_2X, ESP8266_AT_17 } from '../../firmware-protocol/at/profiles.js';
import { NinaCode } from '../../firmware-protocol/nina/command-table.js';
import { formatReply, formatRequest } from '../../firmware-protocol/nina/formatters.js';
import { AtDialogueDecoder } from '../../src/transcript/at-dialogue.js';
import { NinaDialogueDecoder } from '../../src/transcript/nina-dialogue.js';
import type { DialogueEvent } from '../../src/transcript/dialogue.js';
import { DialogueView, formatForTerminal } from '../../src/transcript/dialogue-view.js';
import type { ShownEvent } from '../../src/transcript/dialogue-view.js';

/** A dialogue as it crosses: echo on, a CIPSEND with a payload that looks like commands, transparent mode, a reboot. */
const DIALOGUE: ReadonlyArray<readonly ['host' | 'module', string]> = [
  ['host', 'AT+CIPMUX=1\r\n'],
  ['module', 'AT+CIPMUX=1\r\r\n\r\nOK\r\n'],
  ['host', 'AT+CIPSEND=0,6\r\n'],
  ['module', 'AT+CIPSEND=0,6\r\r\n\r\nOK\r\n\r\n>'],
  ['host', 'AT\r\nOK'],
  ['module', '\r\nRecv 6 bytes\r\n\r\nSEND OK\r\n\r\n+IPD,0,3:a\r\n0,CLOSED\r\n'],
  ['host', 'AT+CIPMUX=0\r\n'],
  ['module', 'AT+CIPMUX=0\r\r\n\r\nOK\r\n'],
  ['host', 'AT+CIPMODE=1\r\n'],
  ['module', 'AT+CIPMODE=1\r\r\n\r\nOK\r\n'],
  ['host', 'AT+CIPSEND\r\n'],
  ['module', 'AT+CIPSEND\r\r\n\r\nOK\r\n\r\n>'],
  ['host', 'raw\r\nAT\r\n'],
  ['module', 'OK\r\nbytes'],
  ['host', '+++'],
  ['host', 'AT+RST\r\n'],
  ['module', 'AT+RST\r\r\n\r\nOK\r\n\r\nready\r\n'],
  ['host', 'AT\r\n'],
  ['module', 'AT\r\r\n\r\nOK\r\n'],
];

function decode(chunks: ReadonlyArray<readonly ['host' | 'module', Uint8Array]>): DialogueEvent[] {
  const decoder = new AtDialogueDecoder(ESP32_AT_2X);
  return chunks.flatMap(([side, bytes]) => (side === 'host' ? decoder.host(bytes) : decoder.module(bytes)));
}

/** Events with payload bytes as text, for readable comparisons. */
function summary(events: readonly DialogueEvent[]): string[] {
  return events.map((e) => {
    if (e.kind === 'command') return `host command ${e.line}`;
    if (e.kind === 'data' || e.kind === 'passthrough') return `${e.side} ${e.kind} ${Buffer.from(e.bytes).toString('latin1')}`;
    if (e.kind === 'reply') return `module ${e.echo ? 'echo ' : ''}${JSON.stringify(e.event, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v))}`;
    return `${e.side} frame ${e.text}`;
  });
}

describe('the AT dialogue decoder', () => {
  const whole = summary(decode(DIALOGUE.map(([side, text]) => [side, Buffer.from(text, 'latin1')])));

  it('marks echo, takes CIPSEND payloads as data, follows transparent mode and reboots', () => {
    expect(whole).toContain('module echo {"type":"line","text":"AT+CIPMUX=1"}');
    expect(whole).toContain('host data AT\r\nOK');
    expect(whole).toContain('module {"type":"ipd","link":0,"data":"a\\r\\n","remote":null}');
    expect(whole).toContain('host passthrough raw\r\nAT\r\n');
    expect(whole).toContain('module passthrough OK\r\nbytes');
    expect(whole).toContain('host command AT+RST');
    expect(whole).toContain('module {"type":"urc","urc":{"kind":"ready"}}');
    expect(whole.at(-2)).toBe('module echo {"type":"line","text":"AT"}');
    expect(whole.filter((line) => line.startsWith('host command'))).toEqual([
      'host command AT+CIPMUX=1',
      'host command AT+CIPSEND=0,6',
      'host command AT+CIPMUX=0',
      'host command AT+CIPMODE=1',
      'host command AT+CIPSEND',
      'host command AT+RST',
      'host command AT',
    ]);
  });

  it('decodes the same whatever the chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        let k = 0;
        const chunks: Array<readonly ['host' | 'module', Uint8Array]> = [];
        for (const [side, text] of DIALOGUE) {
          const bytes = Buffer.from(text, 'latin1');
          // The `+++` escape is recognised as a chunk of its own, as it arrives after a guard time.
          if (text === '+++') {
            chunks.push([side, bytes]);
            continue;
          }
          for (let at = 0; at < bytes.length; ) {
            const size = sizes[k++ % sizes.length];
            chunks.push([side, bytes.subarray(at, at + size)]);
            at += size;
          }
        }
        const events = summary(decode(chunks));
        const merge = (lines: string[]): string[] =>
          lines.reduce<string[]>((out, line) => {
            const m = /^(host|module) (data|passthrough) /.exec(line);
            const prev = out.at(-1);
            if (m && prev?.startsWith(m[0])) out[out.length - 1] = prev + line.slice(m[0].length);
            else out.push(line);
            return out;
          }, []);
        expect(merge(events)).toEqual(merge(whole));
      }),
    );
  });
});

describe('the dialogue view', () => {
  it('shows a command once, marked when the module echoed it, and unmarked when it did not', () => {
    const shown: ShownEvent[] = [];
    const view = new DialogueView((e) => shown.push(e));
    const decoder = new AtDialogueDecoder();
    for (const e of decoder.host(Buffer.from('AT+GMR\r\n'))) view.push(e, 1);
    for (const e of decoder.module(Buffer.from('AT+GMR\r\r\nAT version:2.4.0.0\r\n\r\nOK\r\n'))) view.push(e, 2);
    for (const e of decoder.host(Buffer.from('ATE0\r\n'))) view.push(e, 3);
    view.flush();
    expect(shown.map(formatForTerminal)).toEqual(['AT+GMR  [echoed]', 'AT version:2.4.0.0', 'OK', 'ATE0']);
    expect(shown.map((e) => e.t)).toEqual([1, 2, 2, 3]);
  });
});

describe('the NINA dialogue decoder', () => {
  it('names each frame and shows its parameters, short ones in hex and long ones by size', () => {
    const decoder = new NinaDialogueDecoder();
    const request = formatRequest(NinaCode.SET_PASSPHRASE, [Buffer.from('lab'), Buffer.from('key')]);
    const reply = formatReply(NinaCode.SET_PASSPHRASE, [Buffer.from([1])]);
    const long = formatReply(NinaCode.GET_FW_VERSION, [Buffer.alloc(20, 0x41)]);
    expect(decoder.host(request.subarray(0, 3))).toEqual([]);
    expect(decoder.host(request.subarray(3))).toEqual([{ side: 'host', kind: 'frame', text: 'SET_PASSPHRASE 6c6162 6b6579' }]);
    expect(decoder.module(Buffer.concat([reply, long]))).toEqual([
      { side: 'module', kind: 'frame', text: 'SET_PASSPHRASE 01' },
      { side: 'module', kind: 'frame', text: 'GET_FW_VERSION <20 bytes>' },
    ]);
  });
});

describe('guessing the profile from AT+GMR', () => {
  it('picks the known firmware whose version range holds the AT version line', () => {
    const guess = (lines: readonly string[]): string => detectProfile(lines).profile.id;
    expect(guess(ESP32_AT_2X.gmrLines)).toBe(ESP32_AT_2X.id);
    expect(guess(ESP8266_AT_17.gmrLines)).toBe(ESP8266_AT_17.id);
    expect(guess(['AT version:2.2.0.0-dev(ca41ec4 - ESP32 - Sep 16 2020 11:28:17)'])).toBe(ESP32_AT_2X.id);
    expect(guess(['AT version:4.1.1.0(...)'])).toBe(ESP32_AT_2X.id);
    expect(guess(['AT version:1.6.2.0(Apr 13 2018 11:10:59)'])).toBe(ESP8266_AT_17.id);
  });

  it('recognises only the AT version line as the start of a banner', () => {
    expect(isGmrVersionLine('AT version:2.4.0.0(4c6eb5e - ESP32 - May 20 2022 03:12:58)')).toBe(true);
    expect(isGmrVersionLine('SDK version:3.0.4')).toBe(false);
  });
});

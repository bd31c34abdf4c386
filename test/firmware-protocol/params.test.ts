import { describe, expect, it } from 'vitest';
import { parseParams, quoteParam, type AtParam } from '../../firmware-protocol/index.js';

const s = (value: string): AtParam => ({ kind: 'string', value });
const n = (value: number): AtParam => ({ kind: 'int', value });
const empty: AtParam = { kind: 'empty' };

function params(text: string): AtParam[] {
  const result = parseParams(text);
  if (!result.ok) throw new Error(`parse failed at ${result.at}: ${text}`);
  return result.params;
}

describe('parseParams', () => {
  it.each<[string, AtParam[]]>([
    ['1', [n(1)]],
    ['-100', [n(-100)]],
    ['0,"TCP","10.0.0.1",80', [n(0), s('TCP'), s('10.0.0.1'), n(80)]],
    ['"ssid","pw",,1', [s('ssid'), s('pw'), empty, n(1)]],
    ['"a",', [s('a'), empty]],
    ['', [empty]],
    [',', [empty, empty]],
    ['""', [s('')]],
    ['007', [n(7)]],
    // Hexadecimal, marked: only parameters declared `hex` bind it (ESP-AT 4.x AT+CIPSSLCCIPHER).
    ['2,0xC023,0Xc0ad', [n(2), { kind: 'int', value: 0xc023, hex: true }, { kind: 'int', value: 0xc0ad, hex: true }]],
  ])('parses %j', (input, expected) => {
    expect(params(input)).toEqual(expected);
  });

  it('applies backslash escapes inside strings', () => {
    expect(params(String.raw`"comma\,backslash\\ssid","1234567890"`)).toEqual([
      s('comma,backslash\\ssid'),
      s('1234567890'),
    ]);
    // esp-at.md §3: SSID `ab\,c`, password `0123456789"\`
    expect(params(String.raw`"ab\\\,c","0123456789\"\\"`)).toEqual([s('ab\\,c'), s('0123456789"\\')]);
    expect(params(String.raw`"\x\y"`)).toEqual([s('xy')]);
  });

  it('keeps quotes and commas that are escaped, and commas inside quotes', () => {
    expect(params('"a,b","c"')).toEqual([s('a,b'), s('c')]);
    expect(params(String.raw`"say \"hi\""`)).toEqual([s('say "hi"')]);
  });

  it.each([
    ['TCP', 0],
    ['"abc"def', 5],
    ['"abc', 4],
    [String.raw`"abc\"`, 6],
    ['"abc\\', 4],
    ['1 ', 1],
    [' 1', 0],
    ['1,x', 2],
    ['-', 0],
    ['+1', 0],
    ['1.5', 1],
    ['0x', 1],
    ['0xg', 1],
    ['0x10g', 4],
    ['"a""b"', 3],
    ['99999999999999999999', 0],
  ])('rejects %j at offset %i', (input, at) => {
    expect(parseParams(input)).toEqual({ ok: false, at });
  });
});

describe('quoteParam', () => {
  it('escapes quote, comma and backslash', () => {
    expect(quoteParam('plain')).toBe('"plain"');
    expect(quoteParam('a"b,c\\d')).toBe(String.raw`"a\"b\,c\\d"`);
    expect(quoteParam('')).toBe('""');
  });

  it('round-trips through parseParams', () => {
    for (const value of ['', 'x', '\\', '\\\\', '","', 'end\\', '"', 'a b', 'é∑']) {
      expect(params(quoteParam(value))).toEqual([s(value)]);
    }
  });
});

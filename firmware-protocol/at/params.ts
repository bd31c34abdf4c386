import type { AtParam } from './types.js';

/**
 * ESP-AT set-command parameters (esp-at.md §1): the text after `=` is a comma-separated list of
 *   - double-quoted strings, with `\<x>` -> `<x>` inside (so `\\`, `\,`, `\"` give `\`, `,`, `"`),
 *   - bare decimal integers with an optional leading `-`,
 *   - bare hexadecimal integers `0x...` / `0X...` (kept marked: only parameters declared `hex`
 *     take them, see bind-params.ts),
 *   - nothing at all (an omitted parameter: `a,,b`, and a trailing `a,`).
 * Anything else (an unquoted word, a space, bytes after a closing quote, an unterminated
 * string) is a parse failure: the firmware answers ERROR (subcategory 0x08).
 *
 * Strings are byte strings: one JS character per received byte (the module parser decodes the
 * line as latin1), so `.length` is the length in bytes the firmware checks.
 */

export type ParamParseResult =
  | { readonly ok: true; readonly params: AtParam[] }
  /** `at` is the offset in `text` where parsing failed. */
  | { readonly ok: false; readonly at: number };

const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Parses one parameter starting at `i`; returns the parameter and the offset just after it. */
function parseOne(text: string, i: number): { param: AtParam; end: number } | { fail: number } {
  const first = text.charCodeAt(i);
  if (i >= text.length || first === COMMA) return { param: { kind: 'empty' }, end: i };
  if (first === QUOTE) {
    let value = '';
    let j = i + 1;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === QUOTE) return { param: { kind: 'string', value }, end: j + 1 };
      if (c === BACKSLASH) {
        if (j + 1 >= text.length) return { fail: j };
        value += text[j + 1];
        j += 2;
      } else {
        value += text[j];
        j += 1;
      }
    }
    return { fail: j };
  }
  const hex = /^0[xX][0-9A-Fa-f]+/.exec(text.slice(i, i + 20));
  if (hex) {
    const value = Number.parseInt(hex[0].slice(2), 16);
    if (!Number.isSafeInteger(value)) return { fail: i };
    return { param: { kind: 'int', value, hex: true }, end: i + hex[0].length };
  }
  let j = i;
  if (first === MINUS) j += 1;
  const digitsStart = j;
  while (j < text.length && isDigit(text.charCodeAt(j))) j += 1;
  if (j === digitsStart) return { fail: i };
  const value = Number(text.slice(i, j));
  // Beyond 2^53 the value would silently change: no firmware parameter is that large.
  if (!Number.isSafeInteger(value)) return { fail: i };
  return { param: { kind: 'int', value }, end: j };
}

/** Parses the text after `AT+NAME=`. The empty text is one omitted parameter. */
export function parseParams(text: string): ParamParseResult {
  const params: AtParam[] = [];
  let i = 0;
  for (;;) {
    const one = parseOne(text, i);
    if ('fail' in one) return { ok: false, at: one.fail };
    params.push(one.param);
    i = one.end;
    if (i === text.length) return { ok: true, params };
    if (text.charCodeAt(i) !== COMMA) return { ok: false, at: i };
    i += 1;
  }
}

/** Host side: `value` as a quoted ESP-AT string parameter, escaping `\`, `"` and `,`. */
export function quoteParam(value: string): string {
  return `"${value.replace(/[\\",]/g, (c) => `\\${c}`)}"`;
}

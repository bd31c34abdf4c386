import type { FieldSpec, LineValue, TextField } from './fields.js';
import type { LineSpec } from './line-spec.js';

/**
 * Reading lines back with the declarations that print them: each line spec compiles once to an
 * anchored regular expression. Strings are printed raw by the firmware, so a quoted field
 * matches greedily *around* the fields after it (`+CWLAP:(3,"a","b",-45,...)` is the SSID
 * `a","b`); typed patterns (MAC, address) keep the match unambiguous. Text fields whose quoting a
 * profile decides accept both forms, so a driver reads a firmware it did not expect.
 */

type Capture =
  | { readonly name: string; readonly kind: 'int' | 'bool' | 'text'; readonly slots: 1 }
  | { readonly name: string; readonly kind: 'either'; readonly slots: 2 }
  | { readonly name: string; readonly kind: 'list'; readonly item: 'int' | 'text'; readonly slots: 1 };

/** Reads one text as a line, or null. */
export type LineMatcher = (text: string) => Record<string, LineValue> | null;

const DEFAULT_DIGITS = 10;

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function textPattern(field: TextField, last: boolean, captures: Capture[]): string {
  if (field.choices !== undefined) {
    captures.push({ name: field.name, kind: 'text', slots: 1 });
    return `(${field.choices.map(escapeRegex).join('|')})`;
  }
  const inQuotes = field.pattern ?? '.*';
  const bare = field.barePattern ?? field.pattern ?? (last ? '.*' : '[^,]*');
  const either = field.quoting !== 'quoted' && field.quoting !== 'bare';
  if (!either && !(field.quoting === 'quoted' && field.barePattern !== undefined)) {
    captures.push({ name: field.name, kind: 'text', slots: 1 });
    return field.quoting === 'quoted' ? `"(${inQuotes})"` : `(${bare})`;
  }
  captures.push({ name: field.name, kind: 'either', slots: 2 });
  return `(?:"(${inQuotes})"|(${bare}))`;
}

function fieldPattern(field: FieldSpec, last: boolean, captures: Capture[]): string {
  switch (field.kind) {
    case 'literal':
      return escapeRegex(field.text);
    case 'int':
      captures.push({ name: field.name, kind: 'int', slots: 1 });
      return `(${field.signed ? '-?' : ''}\\d{1,${field.maxDigits ?? DEFAULT_DIGITS}})`;
    case 'bool':
      captures.push({ name: field.name, kind: 'bool', slots: 1 });
      return '(true|false)';
    case 'list':
      captures.push({ name: field.name, kind: 'list', item: field.item, slots: 1 });
      return '(.*)';
    case 'text':
      return textPattern(field, last, captures);
    case 'group':
      return sequence(field.fields, last, captures);
  }
}

/**
 * Fields joined by commas. Optional fields before the first required one carry their comma
 * after them (`+IPD,[<id>,]<len>`), the others before them (`<len>[,<ip>,<port>]`).
 */
function sequence(fields: readonly FieldSpec[], lastInLine: boolean, captures: Capture[]): string {
  const firstRequired = fields.findIndex((field) => !field.optional);
  return fields
    .map((field, index) => {
      const pattern = fieldPattern(field, lastInLine && index === fields.length - 1, captures);
      if (index < firstRequired) return `(?:${pattern},)?`;
      const separator = index === firstRequired || (firstRequired < 0 && index === 0) ? '' : ',';
      return field.optional ? `(?:${separator}${pattern})?` : `${separator}${pattern}`;
    })
    .join('');
}

/** `line` compiled, with `leadPattern` (the escaped fixed lead, or `\+(?:NAME|NAME_CUR):` from the caller). */
export function lineMatcher(line: LineSpec, leadPattern: string): LineMatcher {
  const captures: Capture[] = [];
  const last = !line.parens && line.tail === undefined && !line.extensible;
  let fields = sequence(line.fields, last, captures);
  if (line.extensible) fields += '(?:,.*)?';
  if (line.parens) fields = `\\(${fields}\\)`;
  const regex = new RegExp(`^${leadPattern}${escapeRegex(line.tag ?? '')}${fields}${escapeRegex(line.tail ?? '')}$`, 's');
  return (text) => {
    const match = regex.exec(text);
    return match === null ? null : valuesOf(match, captures);
  };
}

const MATCHERS = new WeakMap<LineSpec, Map<string, LineMatcher>>();

function listValue(text: string, item: 'int' | 'text'): (string | number | undefined)[] {
  if (text === '') return [];
  return text.split(',').map((part) => {
    const unquoted = part.length >= 2 && part.startsWith('"') && part.endsWith('"') ? part.slice(1, -1) : part;
    if (item === 'text') return unquoted;
    return /^-?\d+$/.test(unquoted) ? Number(unquoted) : undefined;
  });
}

function valuesOf(match: RegExpExecArray, captures: readonly Capture[]): Record<string, LineValue> {
  const values: Record<string, LineValue> = {};
  let slot = 1;
  for (const capture of captures) {
    const raw = match[slot];
    if (capture.kind === 'either') {
      const either = match[slot] ?? match[slot + 1];
      if (either !== undefined) values[capture.name] = either;
    } else if (raw !== undefined) {
      if (capture.kind === 'int') values[capture.name] = Number(raw);
      else if (capture.kind === 'bool') values[capture.name] = raw === 'true';
      else if (capture.kind === 'list') values[capture.name] = listValue(raw, capture.item);
      else values[capture.name] = raw;
    }
    slot += capture.slots;
  }
  return values;
}

/** The values of `text` read as `line`, or null when it is not such a line (matchers cached per line and lead). */
export function parseLine(line: LineSpec, leadPattern: string, text: string): Record<string, LineValue> | null {
  let byLead = MATCHERS.get(line);
  if (byLead === undefined) {
    byLead = new Map();
    MATCHERS.set(line, byLead);
  }
  let matcher = byLead.get(leadPattern);
  if (matcher === undefined) {
    matcher = lineMatcher(line, leadPattern);
    byLead.set(leadPattern, matcher);
  }
  return matcher(text);
}

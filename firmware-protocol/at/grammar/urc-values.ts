import type { Urc } from '../types.js';
import type { AnyValues, FieldSpec, LineValue } from './fields.js';
import { formatLine } from './line-format.js';
import { escapeRegex, lineMatcher } from './line-parse.js';
import type { LineSpec } from './line-spec.js';
import { URC_SHAPES, type UrcShape } from '../messages.js';

/** Between `Urc` objects (absent values are null) and line values (absent values are undefined). */

function valuedNames(fields: readonly FieldSpec[]): string[] {
  return fields.flatMap((field) => {
    if (field.kind === 'group') return valuedNames(field.fields);
    return field.kind === 'literal' ? [] : [field.name];
  });
}

function valuesOf(urc: Urc): AnyValues {
  const values: Record<string, LineValue> = {};
  for (const [key, value] of Object.entries(urc)) {
    if (key !== 'kind' && value !== null) values[key] = value as LineValue;
  }
  return values;
}

function fits(shape: UrcShape, values: AnyValues): boolean {
  return Object.entries(shape.constants ?? {}).every(([key, value]) => values[key] === value);
}

/** A URC's exact text (leading and trailing CR LF included). */
export function urcText(urc: Urc): string {
  const values = valuesOf(urc);
  const shape = URC_SHAPES[urc.kind].find((candidate) => fits(candidate, values));
  if (shape === undefined) throw new Error(`no wire shape for URC ${urc.kind}`);
  return formatLine(shape.line, values, {});
}

export function fixedLead(line: LineSpec): string {
  return escapeRegex(line.lead ?? '');
}

/**
 * A URC shape compiled into a reader. Before its regular expression it checks what the line must
 * start and end with (the lead, a final literal such as `CONNECT`), which rules most lines out at once.
 */
export function urcReader(kind: Urc['kind'], shape: UrcShape): (text: string) => Urc | null {
  const { line } = shape;
  const match = lineMatcher(line, fixedLead(line));
  const names = valuedNames(line.fields);
  const lastField = line.fields[line.fields.length - 1];
  const start = line.lead ?? '';
  const end = `${lastField?.kind === 'literal' ? lastField.text : ''}${line.tail ?? ''}`;
  return (text) => {
    if (!text.startsWith(start) || !text.endsWith(end)) return null;
    const values = match(text);
    if (values === null) return null;
    const urc: Record<string, unknown> = { kind, ...shape.constants };
    for (const name of names) urc[name] = values[name] ?? null;
    return urc as Urc;
  };
}

import type { Urc } from '../types.js';
import type { AnyValues, FieldSpec, LineValue } from './fields.js';
import { formatLine } from './line-format.js';
import { escapeRegex, parseLine } from './line-parse.js';
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

/** `text` read as one shape of `kind`, or null. */
export function parseUrcShape(kind: Urc['kind'], shape: UrcShape, text: string): Urc | null {
  const values = parseLine(shape.line, fixedLead(shape.line), text);
  if (values === null) return null;
  const urc: Record<string, unknown> = { kind, ...shape.constants };
  for (const name of valuedNames(shape.line.fields)) urc[name] = values[name] ?? null;
  return urc as Urc;
}

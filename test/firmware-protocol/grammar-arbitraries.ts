import fc from 'fast-check';
import { HEX_PATTERN, MAC_PATTERN, QUOTED_IP_PATTERN, type FieldSpec, type TextField } from '../../firmware-protocol/at/grammar/fields.js';
import type { LineDecl, LineSpec } from '../../firmware-protocol/at/grammar/line-spec.js';

/**
 * Values for reply lines, drawn from their declarations. Free text includes commas and spaces
 * (SSIDs do); quotes only where the grammar matches around them (see the dedicated tests).
 */

const FREE = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '.', '-', '_', ':', '/'), maxLength: 12 });
const WORDLIKE = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', '-', '_', '/'), minLength: 1, maxLength: 12 });
const MAC = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 })
  .map((bytes) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(':'));
const HEX = fc.nat().map((value) => `0x${value.toString(16)}`);
const IPV4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map((parts) => parts.join('.'));
const ADDRESS = fc.oneof(IPV4, fc.constantFrom('::1', 'fe80::1', '2001:db8::42'));

function textValue(field: TextField, last: boolean): fc.Arbitrary<string> {
  if (field.choices !== undefined) return fc.constantFrom(...field.choices);
  if (field.pattern === MAC_PATTERN) return MAC;
  if (field.pattern === HEX_PATTERN) return HEX;
  if (field.barePattern !== undefined) return IPV4;
  if (field.pattern === QUOTED_IP_PATTERN) return ADDRESS;
  // Any other declared pattern: strings it matches.
  if (field.pattern !== undefined) return fc.stringMatching(new RegExp(`^(?:${field.pattern})$`));
  // Bare text ends at a comma unless it is the last field.
  return field.quoting === 'bare' && !last ? WORDLIKE : FREE;
}

function fieldValue(field: Exclude<FieldSpec, { kind: 'literal' | 'group' }>, last: boolean): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'int':
      return field.signed ? fc.integer({ min: -100_000, max: 100_000 }) : fc.integer({ min: 0, max: 99_999 });
    case 'bool':
      return fc.boolean();
    case 'list':
      return field.item === 'int'
        ? fc.tuple(fc.integer({ min: -1, max: 9999 }), fc.array(fc.option(fc.integer({ min: -1, max: 9999 }), { nil: undefined }), { maxLength: 5 })).map(([first, rest]) => [first, ...rest])
        : fc.array(WORDLIKE, { minLength: 1, maxLength: 4 });
    case 'text':
      return textValue(field, last);
  }
}

/** Values for one line: optional fields kept up to a random cut (the firmware stops, it never skips one). */
export function lineValues(line: LineSpec): fc.Arbitrary<Record<string, unknown>> {
  const valued = line.fields.filter((field): field is Exclude<FieldSpec, { kind: 'literal' | 'group' }> => field.kind !== 'literal' && field.kind !== 'group');
  const parts = valued.map((field, index) => fieldValue(field, index === valued.length - 1 && line.tail === undefined && !line.parens));
  return fc.tuple(fc.tuple(...parts), fc.nat(valued.length)).map(([values, cut]) => {
    const out: Record<string, unknown> = {};
    valued.forEach((field, index) => {
      if (!field.optional || index < cut) out[field.name] = values[index];
    });
    return out;
  });
}

/** A value for any kind of reply line declaration. */
export function declValue(decl: LineDecl): fc.Arbitrary<unknown> {
  switch (decl.kind) {
    case 'one':
    case 'many':
      return lineValues(decl.line);
    case 'tagged':
      return fc.record(
        Object.fromEntries(Object.entries(decl.tags).map(([tag, field]) => [tag, textValue(field, true)])),
        { requiredKeys: [] },
      );
    case 'word':
      return fc.constantFrom(...decl.words);
    case 'text':
      return FREE.filter((text) => text.trim() === text && text !== '' && !/^(OK|ERROR|FAIL|SEND OK|SEND FAIL)$/.test(text));
  }
}

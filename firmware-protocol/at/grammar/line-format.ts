import type { ReplyLayout } from '../profile.js';
import type { AnyValues, FieldSpec, LineValue, Quoting } from './fields.js';
import type { LineSpec } from './line-spec.js';

/** What a line's text depends on besides its values. */
export interface LineContext {
  /** Needed by lines whose quoting a profile decides. */
  readonly layout?: ReplyLayout;
  /** The command's name as sent (`CWMODE_CUR`), for lines whose lead is `+<name>:`. */
  readonly name?: string;
  /** AT+CWLAPOPT's print mask for `masked` lines: bit n keeps field n. */
  readonly mask?: number;
}

export function isQuoted(quoting: Quoting, layout: ReplyLayout | undefined): boolean {
  if (quoting === 'quoted') return true;
  if (quoting === 'bare') return false;
  if (layout === undefined) throw new Error(`quoting ${quoting} needs the profile's reply layout`);
  return layout[quoting];
}

/** `+NAME:` for lines led by the command's name, else the fixed lead. */
function leadOf(line: LineSpec, name: string | undefined): string {
  if (line.lead !== null) return line.lead;
  if (name === undefined) throw new Error('a `+<name>:` line needs the command name');
  return `+${name}:`;
}

function itemText(item: string | number | undefined, quoted: boolean): string {
  if (item === undefined) return '';
  return quoted && typeof item === 'string' ? `"${item}"` : String(item);
}

function valueText(field: Exclude<FieldSpec, { kind: 'literal' | 'group' }>, value: LineValue, layout: ReplyLayout | undefined): string {
  switch (field.kind) {
    case 'int':
      return String(value);
    case 'bool':
      return value ? 'true' : 'false';
    case 'list': {
      const quoted = isQuoted(field.quoting, layout);
      return (value as readonly (string | number | undefined)[]).map((item) => itemText(item, quoted)).join(',');
    }
    case 'text':
      return isQuoted(field.quoting, layout) ? `"${String(value)}"` : String(value);
  }
}

/** The texts of the fields present, in order (a group counts when any of its values is given). */
function fieldTexts(fields: readonly FieldSpec[], values: AnyValues, layout: ReplyLayout | undefined, mask: number | null): string[] {
  const texts: string[] = [];
  fields.forEach((field, index) => {
    if (mask !== null && (mask & (1 << index)) === 0) return;
    if (field.kind === 'literal') {
      texts.push(field.text);
      return;
    }
    if (field.kind === 'group') {
      if (field.fields.some((inner) => inner.kind !== 'literal' && inner.kind !== 'group' && values[inner.name] !== undefined)) {
        texts.push(...fieldTexts(field.fields, values, layout, null));
      }
      return;
    }
    const value = values[field.name];
    if (value === undefined) {
      if (field.optional) return;
      throw new Error(`line field ${field.name} has no value`);
    }
    texts.push(valueText(field, value, layout));
  });
  return texts;
}

/** One line as the firmware prints it: leading CR LF where it has one, CR LF after (not after a header). */
export function formatLine(line: LineSpec, values: AnyValues, context: LineContext): string {
  const mask = line.masked && context.mask !== undefined ? context.mask : null;
  const body = fieldTexts(line.fields, values, context.layout, mask).join(',');
  const fields = line.parens ? `(${body})` : body;
  const text = `${leadOf(line, context.name)}${line.tag ?? ''}${fields}${line.tail ?? ''}`;
  return `${line.crlfBefore ? '\r\n' : ''}${text}${line.header || line.unterminated ? '' : '\r\n'}`;
}

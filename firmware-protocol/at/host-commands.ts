import { bindSetParams } from './bind-params.js';
import type { CommandSpec, ParamMismatch, ParamValue } from './command-spec.js';
import { findCommand } from './command-table.js';
import { quoteParam } from './params.js';
import type { ProfileId } from './profile.js';
import type { AtParam, CommandForm } from './types.js';

export type CommandFormatErrorCode =
  /** The profile's firmware has no such command. */
  | 'unknown-command'
  /** The command exists but not in this form. */
  | 'unsupported-form'
  /** The values fit none of the set signatures (see `mismatch`). */
  | 'bad-values'
  /** A string contains CR LF, which would end the command line early. */
  | 'unencodable';

export class CommandFormatError extends Error {
  override readonly name = 'CommandFormatError';
  constructor(
    readonly code: CommandFormatErrorCode,
    message: string,
    readonly mismatch?: ParamMismatch,
  ) {
    super(message);
  }
}

/** Strings are bound as the bytes the module will see (UTF-8), so maxLength counts bytes. */
function toParam(value: ParamValue): AtParam {
  if (value === undefined) return { kind: 'empty' };
  if (typeof value === 'number') return { kind: 'int', value };
  return { kind: 'string', value: Buffer.from(value, 'utf8').toString('latin1') };
}

/** The value text as the firmware expects it: strings quoted and escaped, ints bare, omitted empty. */
function valueText(value: ParamValue): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? String(value) : quoteParam(value);
}

/**
 * Validates `values` against the table (either link mode: the caller knows which one it is in
 * and chose the values accordingly) and returns the set parameter text, trailing omitted values
 * dropped, middle ones left empty (`"a","b",,1`).
 */
function setText(spec: CommandSpec, values: readonly ParamValue[]): string {
  for (const value of values) {
    if (typeof value === 'string' && value.includes('\r\n')) {
      throw new CommandFormatError('unencodable', `AT+${spec.name}: a string parameter contains CR LF`);
    }
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new CommandFormatError('bad-values', `AT+${spec.name}: ${value} is not an integer`, 'param-type');
    }
  }
  let end = values.length;
  while (end > 0 && values[end - 1] === undefined) end -= 1;
  const kept = values.slice(0, end);
  const params = kept.map(toParam);
  const single = bindSetParams(spec, params, 'single');
  if (!single.ok) {
    const multi = bindSetParams(spec, params, 'multi');
    if (!multi.ok) {
      const mismatch = multi.index > single.index ? multi.mismatch : single.mismatch;
      throw new CommandFormatError('bad-values', `AT+${spec.name}: values match no signature (${mismatch})`, mismatch);
    }
  }
  return kept.map(valueText).join(',');
}

/**
 * Host side: the bytes of one command line, CR LF included. Basic commands (`AT`, `ATE0`,
 * `ATE1`) take form `exec`. Strings are sent as UTF-8 (the module parser sees them as bytes).
 */
export function formatCommand(
  name: string,
  form: CommandForm,
  values: readonly ParamValue[] = [],
  profileId: ProfileId = 'esp32-at-2.x',
): Uint8Array {
  const spec = findCommand(name, profileId);
  if (spec === undefined) throw new CommandFormatError('unknown-command', `${profileId} has no AT+${name}`);
  if (!spec.forms.includes(form)) {
    throw new CommandFormatError('unsupported-form', `${profileId}: AT+${name} has no ${form} form`);
  }
  if (form !== 'set' && values.length > 0) {
    throw new CommandFormatError('bad-values', `AT+${name}: only the set form takes values`);
  }
  const body = basicName(name) ? name : `AT+${name}`;
  let text: string;
  switch (form) {
    case 'exec':
      text = body;
      break;
    case 'query':
      text = `${body}?`;
      break;
    case 'test':
      text = `${body}=?`;
      break;
    case 'set':
      text = `${body}=${setText(spec, values)}`;
      break;
  }
  return Buffer.from(`${text}\r\n`, 'utf8');
}

/** `AT`, `ATE0`, `ATE1`: table names that are whole command lines, not `AT+` names. */
function basicName(name: string): boolean {
  return name === 'AT' || /^AT[A-Z]/.test(name);
}

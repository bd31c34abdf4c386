import { bindSetParams, bindSignature } from './bind-params.js';
import type { CommandSpec, ParamMismatch, ParamSpec, ParamValue } from './command-spec.js';
import { commandName, findCommand } from './command-table.js';
import type { FormOf, SetParams } from './commands/command-types.js';
import type { CommandName } from './commands/index.js';
import { quoteParam } from './params.js';
import type { FirmwareProfile, Persistence, ProfileId } from './profile.js';
import { DEFAULT_PROFILE } from './profiles/index.js';
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

function checkEncodable(spec: CommandSpec, values: readonly ParamValue[]): void {
  for (const value of values) {
    if (typeof value === 'string' && value.includes('\r\n')) {
      throw new CommandFormatError('unencodable', `AT+${spec.name}: a string parameter contains CR LF`);
    }
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new CommandFormatError('bad-values', `AT+${spec.name}: ${value} is not an integer`, 'param-type');
    }
  }
}

/**
 * Trailing omitted values dropped, middle ones left empty (`"a","b",,1`); a parameter whose place
 * is required stays, empty (`"ssid",`).
 */
function trimmed(values: readonly ParamValue[], params: readonly ParamSpec[] = []): ParamValue[] {
  let end = values.length;
  while (end > 0 && values[end - 1] === undefined && !params[end - 1]?.placeRequired) end -= 1;
  return values.slice(0, end);
}

function badValues(spec: CommandSpec, mismatch: ParamMismatch): CommandFormatError {
  return new CommandFormatError('bad-values', `AT+${spec.name}: values match no signature (${mismatch})`, mismatch);
}

/**
 * Validates positional `values` against the table (either link mode: the caller knows which one
 * it is in and chose the values accordingly) and returns the set parameter text.
 */
function setText(spec: CommandSpec, values: readonly ParamValue[]): string {
  checkEncodable(spec, values);
  const kept = trimmed(values);
  const params = kept.map(toParam);
  const single = bindSetParams(spec, params, 'single');
  if (!single.ok) {
    const multi = bindSetParams(spec, params, 'multi');
    if (!multi.ok) throw badValues(spec, multi.index > single.index ? multi.mismatch : single.mismatch);
  }
  return kept.map(valueText).join(',');
}

/**
 * Named values in the order of the first signature that has every given name and accepts them
 * (CIPSTART with `link_id` is the multi-link form, without it the single-link one).
 */
function setTextOf(spec: CommandSpec, named: Readonly<Record<string, ParamValue>>): string {
  const given = Object.keys(named).filter((name) => named[name] !== undefined);
  let mismatch: ParamMismatch = 'param-number';
  for (const signature of spec.set ?? []) {
    if (!given.every((name) => signature.params.some((param) => param.name === name))) continue;
    const values = signature.params.map((param) => named[param.name]);
    checkEncodable(spec, values);
    const kept = trimmed(values, signature.params);
    const bound = bindSignature(signature, kept.map(toParam));
    if (bound.ok) return kept.map(valueText).join(',');
    mismatch = bound.mismatch;
  }
  throw badValues(spec, mismatch);
}

/** `AT`, `ATE0`, `ATE1`: table names that are whole command lines, not `AT+` names. */
function basicName(name: string): boolean {
  return name === 'AT' || /^AT[A-Z]/.test(name);
}

/** A table name as a command line starts: `AT`, `ATE0`, `AT+CWMODE`. */
export function commandBody(name: string): string {
  return basicName(name) ? name : `AT+${name}`;
}

function lineText(spec: CommandSpec, form: CommandForm, params: () => string): string {
  const body = commandBody(spec.name);
  switch (form) {
    case 'exec':
      return body;
    case 'query':
      return `${body}?`;
    case 'test':
      return `${body}=?`;
    case 'set':
      return `${body}=${params()}`;
  }
}

function lineBytes(spec: CommandSpec, form: CommandForm, params: () => string): Uint8Array {
  return Buffer.from(`${lineText(spec, form, params)}\r\n`, 'utf8');
}

function specFor(name: string, form: CommandForm, profile: FirmwareProfile | ProfileId): CommandSpec {
  const spec = findCommand(name, profile);
  const id = typeof profile === 'string' ? profile : profile.id;
  if (spec === undefined) throw new CommandFormatError('unknown-command', `${id} has no AT+${name}`);
  if (!spec.forms.includes(form)) throw new CommandFormatError('unsupported-form', `${id}: AT+${name} has no ${form} form`);
  return spec;
}

/**
 * Host side: the bytes of one command line by its wire name, positional values, CR LF included.
 * Basic commands (`AT`, `ATE0`, `ATE1`) take form `exec`. Strings are sent as UTF-8 (the module
 * parser sees them as bytes).
 */
export function formatCommand(
  name: string,
  form: CommandForm,
  values: readonly ParamValue[] = [],
  profile: FirmwareProfile | ProfileId = DEFAULT_PROFILE,
): Uint8Array {
  const spec = specFor(name, form, profile);
  if (form !== 'set' && values.length > 0) {
    throw new CommandFormatError('bad-values', `AT+${name}: only the set form takes values`);
  }
  return lineBytes(spec, form, () => setText(spec, values));
}

export interface FormatOptions {
  /** Send the name that saves this way (NonOS `_CUR` for 'ram'); default: the command's first name. */
  readonly save?: Persistence;
}

type FormatArgs<C extends CommandName, F> = F extends 'set'
  ? [params: SetParams<C>, options?: FormatOptions]
  : [options?: FormatOptions];

/**
 * The driver's formatter: a command by its declaration name, with named, typed parameters.
 *   formatRequest(profile, 'CIPSTART', 'set', { link_id: 0, type: 'TCP', remote_host, remote_port })
 *   formatRequest(profile, 'CWMODE', 'query', { save: 'ram' })   // NonOS: AT+CWMODE_CUR?
 */
export function formatRequest<C extends CommandName, F extends FormOf<C>>(
  profile: FirmwareProfile,
  command: C,
  form: F,
  ...args: FormatArgs<C, F>
): Uint8Array {
  const named = (form === 'set' ? args[0] : undefined) as Readonly<Record<string, ParamValue>> | undefined;
  const options = (form === 'set' ? args[1] : args[0]) as FormatOptions | undefined;
  const name = commandName(profile, command, options?.save);
  if (name === undefined) throw new CommandFormatError('unknown-command', `${profile.id} has no AT+${command}`);
  const spec = specFor(name, form, profile);
  return lineBytes(spec, form, () => setTextOf(spec, named ?? {}));
}

import type { FieldSpec, FieldValues, TextField } from './fields.js';

/**
 * One kind of line the module prints: a lead (`+CWMODE:`, `STATUS:`, `+IPD,`), fields, an end.
 * For a command's own information lines the lead is `+<the name the command was sent under>:`
 * (`+CWMODE_CUR:` answers `AT+CWMODE_CUR?`), written `lead: null`.
 */
export interface LineSpec {
  readonly lead: string | null;
  /** Text right after the lead (`ip:` in `+CIPSTA:ip:"..."`). */
  readonly tag?: string;
  readonly fields: readonly FieldSpec[];
  /** Text after the fields (`:` ending a `+IPD` header, ` bytes` of `Recv N bytes`). */
  readonly tail?: string;
  /** The fields sit in parentheses (`+CWLAP:(...)`). */
  readonly parens?: boolean;
  /** A print mask (AT+CWLAPOPT) may leave any field out. */
  readonly masked?: boolean;
  /** Later firmware adds fields after these: a parser ignores them. */
  readonly extensible?: boolean;
  /** Printed after an empty line (`\r\n` first): `ready`, `busy p...`, `+IPD`. */
  readonly crlfBefore?: boolean;
  /** A payload header: raw bytes follow the tail, no CR LF ends it. */
  readonly header?: boolean;
  /**
   * The firmware prints no CR LF after it: the final result's own leading CR LF ends the line
   * (`+CWAUTOCONN:1\r\nOK\r\n`, from the firmware's `"%s:%d"`).
   */
  readonly unterminated?: boolean;
}

/** One reply line kind of a command, with how often it comes. */
export type LineDecl =
  /** A line with fields: at most one (`one`) or any number (`many`, e.g. one per link). */
  | { readonly kind: 'one' | 'many'; readonly line: LineSpec }
  /**
   * Lines `+<lead><tag><separator><value>`, one per tag present, read back into one object
   * (`+CIPSTA:ip:"..."`, `+CIFSR:STAIP,"..."`).
   */
  | { readonly kind: 'tagged'; readonly separator: ':' | ','; readonly tags: Readonly<Record<string, TextField>> }
  /**
   * A whole line that is one of a few fixed texts (`No AP`, `NO CA FOUND`). `console`: the
   * firmware `puts` it to its console, which reaches the host only where the profile's
   * `layout.consoleOnAtPort` says so.
   */
  | { readonly kind: 'word'; readonly words: readonly string[]; readonly console?: boolean }
  /** Plain text lines, as they come (AT+GMR). */
  | { readonly kind: 'text' };

export type LineDecls = Readonly<Record<string, LineDecl>>;

type FieldsOf<D> = D extends { readonly line: { readonly fields: infer Fs extends readonly FieldSpec[] } } ? Fs : never;

/** The value a handler gives to print one line of `decl`, and the driver reads back. */
export type LineDeclValue<D> = D extends { readonly kind: 'one' | 'many' }
  ? FieldValues<FieldsOf<D>>
  : D extends { readonly kind: 'tagged'; readonly tags: infer T }
    ? { readonly [K in keyof T]?: string }
    : D extends { readonly kind: 'word'; readonly words: readonly (infer W)[] }
      ? W
      : string;

/** What the driver gets for `decl` from a whole reply. */
export type LineDeclReading<D> = D extends { readonly kind: 'many' }
  ? LineDeclValue<D>[]
  : D extends { readonly kind: 'text' }
    ? string[]
    : LineDeclValue<D> | undefined;

// ---- builders ---------------------------------------------------------------------------------

type LineOptions = Omit<LineSpec, 'lead' | 'fields'>;
type Declared<K extends 'one' | 'many', Fs extends readonly FieldSpec[]> = {
  readonly kind: K;
  readonly line: LineSpec & { readonly fields: Fs };
};

/** `+<name>:<fields>`: at most one such line in a reply. */
export function info<const Fs extends readonly FieldSpec[]>(...fields: Fs): Declared<'one', Fs> {
  return { kind: 'one', line: { lead: null, fields } };
}

/** `+<name>:<fields>`, once per item (link, access point, server). */
export function infoEach<const Fs extends readonly FieldSpec[]>(...fields: Fs): Declared<'many', Fs> {
  return { kind: 'many', line: { lead: null, fields } };
}

/** The same with options (parentheses, print mask, a tag). */
export function infoWith<const K extends 'one' | 'many', const Fs extends readonly FieldSpec[]>(
  kind: K,
  options: LineOptions,
  ...fields: Fs
): Declared<K, Fs> {
  return { kind, line: { lead: null, ...options, fields } };
}

/** A line with a fixed lead that is not `+<name>:` (`STATUS:<n>`). */
export function fixedLine<const Fs extends readonly FieldSpec[]>(lead: string, ...fields: Fs): Declared<'one', Fs> {
  return { kind: 'one', line: { lead, fields } };
}

export function tagged<const T extends Readonly<Record<string, TextField>>>(separator: ':' | ',', tags: T): {
  readonly kind: 'tagged';
  readonly separator: ':' | ',';
  readonly tags: T;
} {
  return { kind: 'tagged', separator, tags };
}

export function words<const W extends string>(...texts: W[]): { readonly kind: 'word'; readonly words: readonly W[] } {
  return { kind: 'word', words: texts };
}

/** Fixed texts the firmware writes to its console (see `LineDecl` 'word'). */
export function consoleWords<const W extends string>(
  ...texts: W[]
): { readonly kind: 'word'; readonly words: readonly W[]; readonly console: true } {
  return { kind: 'word', words: texts, console: true };
}

export function textLines(): { readonly kind: 'text' } {
  return { kind: 'text' };
}

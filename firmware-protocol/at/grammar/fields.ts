import type { ReplyLayout } from '../profile.js';

/**
 * The fields of the lines the module prints (`+CWJAP:"ssid","aa:bb:..",6,-45`, `+IPD,0,5:`), as
 * the firmware's printf formats write them: comma-separated, strings quoted or bare as the
 * format (or the profile's reply layout) says, never escaped. One declaration serves the
 * emulator's formatter and the driver's parser (`line-format.ts`, `line-parse.ts`).
 */

/** Whether a text field is quoted: always, never, or as a profile's reply layout says. */
export type Quoting = 'quoted' | 'bare' | LayoutQuoting;
export type LayoutQuoting = { [K in keyof ReplyLayout]: ReplyLayout[K] extends boolean ? K : never }[keyof ReplyLayout];

interface BaseField {
  /** May be left out (and its separator with it); trailing ones are simply not printed. */
  readonly optional?: boolean;
}

interface NamedField<N extends string> extends BaseField {
  readonly name: N;
}

export interface IntField<N extends string = string> extends NamedField<N> {
  readonly kind: 'int';
  /** May be negative (RSSI, `-1` for "none"). */
  readonly signed?: boolean;
  /** Longest number the parser believes (bounds what a garbled line can make it read). */
  readonly maxDigits?: number;
}

export interface TextField<N extends string = string, V extends string = string> extends NamedField<N> {
  readonly kind: 'text';
  readonly quoting: Quoting;
  /** What the text may hold, as a regular expression source (default: anything; bare: no comma). */
  readonly pattern?: string;
  /**
   * What it may hold when printed bare (an IPv4 address where the quoted form may be IPv6). Given
   * for a quoted field, the parser takes the bare form too.
   */
  readonly barePattern?: string;
  /** The words it can be (a closed set, typed). */
  readonly choices?: readonly V[];
}

/** `true` / `false` (AT+CIPDINFO?). */
export interface BoolField<N extends string = string> extends NamedField<N> {
  readonly kind: 'bool';
}

/** The rest of the line as comma-separated items; an empty item is an absent value. */
export interface ListField<N extends string = string, I extends 'int' | 'text' = 'int' | 'text'> extends NamedField<N> {
  readonly kind: 'list';
  readonly item: I;
  readonly quoting: Quoting;
}

/** Fixed text in the field sequence (`CONNECT` in `0,CONNECT`); carries no value. */
export interface LiteralField extends BaseField {
  readonly kind: 'literal';
  readonly text: string;
}

/** Fields present or absent together (the `"<ip>",<port>` of `+IPD` with CIPDINFO=1). */
export interface GroupField extends BaseField {
  readonly kind: 'group';
  readonly fields: readonly FieldSpec[];
}

export type FieldSpec = IntField | TextField | BoolField | ListField | LiteralField | GroupField;

/** The value of one field. */
export type FieldValue<F> = F extends IntField
  ? number
  : F extends BoolField
    ? boolean
    : F extends ListField<string, 'int'>
      ? (number | undefined)[]
      : F extends ListField
        ? string[]
        : F extends { readonly choices: readonly (infer V)[] }
          ? V
          : string;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Valued<Fs extends readonly FieldSpec[]> = Exclude<Fs[number], LiteralField | GroupField>;

/** A line's values as an object: optional fields are optional properties. */
export type FieldValues<Fs extends readonly FieldSpec[]> = Simplify<
  { [F in Valued<Fs> as F extends { readonly optional: true } ? never : F['name']]: FieldValue<F> } & {
    [F in Valued<Fs> as F extends { readonly optional: true } ? F['name'] : never]?: FieldValue<F>;
  }
>;

/** Values of any line, as the formatter and parser handle them. */
export type LineValue = string | number | boolean | readonly (string | number | undefined)[] | undefined;
export type AnyValues = Readonly<Record<string, LineValue>>;

// ---- builders ---------------------------------------------------------------------------------

export function integer<const N extends string>(name: N, maxDigits?: number): IntField<N> {
  return maxDigits === undefined ? { name, kind: 'int' } : { name, kind: 'int', maxDigits };
}

/** An integer that may be negative. */
export function signedInteger<const N extends string>(name: N): IntField<N> {
  return { name, kind: 'int', signed: true };
}

/** A quoted string (`"..."`), printed raw: it may itself hold quotes and commas. */
export function quoted<const N extends string>(name: N, pattern?: string): TextField<N> {
  return pattern === undefined ? { name, kind: 'text', quoting: 'quoted' } : { name, kind: 'text', quoting: 'quoted', pattern };
}

/** Unquoted text up to the next comma (or, as the last field, to the end of the line). */
export function bare<const N extends string>(name: N, pattern?: string): TextField<N> {
  return pattern === undefined ? { name, kind: 'text', quoting: 'bare' } : { name, kind: 'text', quoting: 'bare', pattern };
}

/** An address quoted where the profile's reply layout says so (`quoteDomainAnswer`, `quoteIpdRemote`). */
export function layoutIp<const N extends string>(name: N, quoting: LayoutQuoting): TextField<N> {
  return { name, kind: 'text', quoting, pattern: QUOTED_IP_PATTERN, barePattern: BARE_IP_PATTERN };
}

/** One of a few words, bare. */
export function word<const N extends string, const V extends string>(name: N, choices: readonly V[]): TextField<N, V> & {
  readonly choices: readonly V[];
} {
  return { name, kind: 'text', quoting: 'bare', choices };
}

export function bool<const N extends string>(name: N): BoolField<N> {
  return { name, kind: 'bool' };
}

export function list<const N extends string, const I extends 'int' | 'text'>(name: N, item: I, quoting: Quoting = 'bare'): ListField<N, I> {
  return { name, kind: 'list', item, quoting };
}

export function literal(text: string): LiteralField {
  return { kind: 'literal', text };
}

export function group(...fields: FieldSpec[]): GroupField {
  return { kind: 'group', fields };
}

export function optional<const F extends FieldSpec>(field: F): F & { readonly optional: true } {
  return { ...field, optional: true };
}

/** A MAC address as the firmware prints it: `%02x:...`. */
export const MAC_PATTERN = '[0-9A-Fa-f:]{17}';
/** An IPv4 or IPv6 address inside quotes. */
export const QUOTED_IP_PATTERN = '[^"]*';
/** A bare address (NonOS prints IPv4 only). */
export const BARE_IP_PATTERN = '[0-9.]+';

/** A number as `0x%x` prints it (AT+SYSREG, AT+SYSFLASH's addresses). */
export const HEX_PATTERN = '0x[0-9a-f]+';

export function hexNumber<const N extends string>(name: N): TextField<N> {
  return bare(name, HEX_PATTERN);
}

export function mac<const N extends string>(name: N): TextField<N> {
  return quoted(name, MAC_PATTERN);
}

export function ip<const N extends string>(name: N): TextField<N> {
  return quoted(name, QUOTED_IP_PATTERN);
}

/** An IPv4 address printed without quotes (`%d.%d.%d.%d`: AT+CWLIF, AT+CWDHCPS?). */
export function bareIp<const N extends string>(name: N): TextField<N> {
  return { name, kind: 'text', quoting: 'bare', pattern: BARE_IP_PATTERN, barePattern: BARE_IP_PATTERN };
}

/** A MAC address printed without quotes (AT+CWLIF). */
export function bareMac<const N extends string>(name: N): TextField<N> {
  return bare(name, MAC_PATTERN);
}

/** A quoted address that a parser also takes bare (the driver reads every firmware's form). */
export function lenientIp<const N extends string>(name: N): TextField<N> {
  return { name, kind: 'text', quoting: 'quoted', pattern: QUOTED_IP_PATTERN, barePattern: BARE_IP_PATTERN };
}

import type { ParamSpec } from '../command-spec.js';
import type { CommandDecls, CommandName } from './index.js';

/**
 * Types computed from the declarations: the forms a command has, the names of its variants, and
 * the parameter object of its set form. The object is the union of every set signature of every
 * variant, a field missing from some alternative being optional: `CIPSTART`'s is
 * `{ type: 'TCP' | ... | 'UDPv6'; remote_host: string; remote_port: number; link_id?: number;
 * keep_alive?: number; local_port?: number; mode?: number; local_ip?: string }`.
 */

type Decl<C extends CommandName> = CommandDecls[C];

/** The default variant (the declaration itself) and the named ones. */
type VariantDeclOf<C extends CommandName> =
  | Decl<C>
  | (Decl<C> extends { readonly variants: infer V } ? V[keyof V] : never);

export type VariantName<C extends CommandName> = C extends CommandName
  ? 'default' | (Decl<C> extends { readonly variants: infer V } ? keyof V & string : never)
  : never;

export type FormOf<C extends CommandName> = VariantDeclOf<C> extends infer V
  ? V extends { readonly forms: readonly (infer F)[] }
    ? F
    : never
  : never;

export type ParamValueOf<P> = P extends { readonly type: 'int' }
  ? number
  : P extends { readonly oneOf: readonly (infer V)[] }
    ? V
    : string;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** One signature's parameters as an object: optional parameters are optional fields. */
type SignatureObject<Ps extends readonly ParamSpec[]> = Simplify<
  { [P in Ps[number] as P extends { readonly optional: true } ? never : P['name']]: ParamValueOf<P> } & {
    [P in Ps[number] as P extends { readonly optional: true } ? P['name'] : never]?: ParamValueOf<P>;
  }
>;

type KeysOfUnion<U> = U extends unknown ? keyof U : never;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type RequiredEverywhere<U, K extends PropertyKey> = [U extends unknown ? (K extends RequiredKeys<U> ? true : false) : never] extends [true]
  ? true
  : false;
type ValueIn<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? Exclude<U[K], undefined> : never) : never;

/** The alternatives merged: required where every alternative requires it, optional elsewhere. */
export type MergeAlternatives<U> = Simplify<
  { [K in KeysOfUnion<U> as RequiredEverywhere<U, K> extends true ? K : never]: ValueIn<U, K> } & {
    [K in KeysOfUnion<U> as RequiredEverywhere<U, K> extends true ? never : K]?: ValueIn<U, K>;
  }
>;

type SignaturesOf<C extends CommandName> = VariantDeclOf<C> extends infer V
  ? V extends { readonly set: readonly (infer S)[] }
    ? S
    : never
  : never;

type SignatureObjects<S> = S extends { readonly params: infer Ps extends readonly ParamSpec[] } ? SignatureObject<Ps> : never;

/** The parameter object of `C`'s set form, over every variant and signature. */
export type SetParams<C extends CommandName> = MergeAlternatives<SignatureObjects<SignaturesOf<C>>>;

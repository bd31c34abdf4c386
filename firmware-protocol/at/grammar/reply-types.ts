import type { MergeAlternatives } from '../commands/command-types.js';
import type { CommandDecls, CommandName } from '../commands/index.js';
import type { LineDeclReading, LineDeclValue } from './line-spec.js';

/**
 * Types of a command's reply lines, computed from its declaration and variants: the value a
 * handler gives to print line `K` of command `C`, and what the driver reads from a reply.
 */

type Decl<C extends CommandName> = CommandDecls[C];

/** The `lines` objects of the command and of each of its variants (of each command of a union). */
type LineSets<C extends CommandName> = C extends CommandName
  ?
      | (Decl<C> extends { readonly lines: infer L } ? L : never)
      | (Decl<C> extends { readonly variants: infer V }
          ? V[keyof V] extends infer X
            ? X extends { readonly lines: infer L }
              ? L
              : never
            : never
          : never)
  : never;

type KeysOfUnion<U> = U extends unknown ? keyof U : never;

/** The names of `C`'s reply lines. */
export type LineName<C extends CommandName> = KeysOfUnion<LineSets<C>> & string;

/** Every declaration of line `K` (the command's and its variants'). */
type DeclsOf<C extends CommandName, K extends PropertyKey> = LineSets<C> extends infer L
  ? L extends { readonly [P in K]: infer D }
    ? D
    : never
  : never;

type MergeObjects<U> = [U] extends [object] ? MergeAlternatives<U> : U;

/** What a handler passes to print one line `K` of `C` (fields a variant lacks are optional). */
export type LineValueOf<C extends CommandName, K extends LineName<C>> = MergeObjects<LineDeclValue<DeclsOf<C, K>>>;

/** What the driver reads from a reply of `C`: every line name, as its declaration says. */
export type ReplyReading<C extends CommandName> = { readonly [K in LineName<C>]: LineDeclReading<DeclsOf<C, K>> };

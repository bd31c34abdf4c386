import type { Persistence } from '../profile.js';
import type { VariantName } from './command-types.js';
import type { CommandName } from './index.js';

/**
 * How a profile lists its commands: which variant of each declaration, under which names.
 * Zephyr's esp.h keeps NonOS's `_CUR` names in one block; here each profile says them.
 */

/** One name a command answers to: where its set form saves, and what its query shows. */
export interface NameRule {
  readonly save: Persistence;
  /** 'stored': the query reads flash (NonOS `_DEF` queries); 'current': RAM. */
  readonly shows?: 'current' | 'stored';
  /** For docs: `not saved`, `deprecated = _DEF`. */
  readonly note?: string;
}

export interface ProfileCommand<C extends CommandName = CommandName> {
  /** The declaration's variant this firmware has (absent: the default one). */
  readonly variant?: VariantName<C>;
  /** The wire names, in docs order (absent: the command's own name, saved as the profile's `saving` says). */
  readonly names?: Readonly<Record<string, NameRule>>;
}

/** A profile's commands; `Removed` is `null` in a derived profile's changes (the command is gone). */
export type ProfileCommands<Removed = never> = { readonly [C in CommandName]?: ProfileCommand<C> | Removed };

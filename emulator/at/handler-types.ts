import type { CommandSpec } from '../../firmware-protocol/at/command-spec.js';
import type { FormOf, SetParams, VariantName } from '../../firmware-protocol/at/commands/command-types.js';
import type { CommandName } from '../../firmware-protocol/at/commands/index.js';
import type { CommandForm, ParsedCommand } from '../../firmware-protocol/at/types.js';
import type { ModuleCore } from './module-core.js';

/**
 * One dispatched command: the line, the name's entry in the profile's table (wire name, where its
 * set form saves, what its query shows), the variant the profile has, and for `set` the bound
 * parameters as an object typed from the declaration.
 */
export interface CommandCall<C extends CommandName = CommandName, P = unknown> {
  readonly command: ParsedCommand;
  readonly spec: CommandSpec;
  readonly variant: VariantName<C>;
  readonly params: P;
}

type ParamsOf<C extends CommandName, F> = F extends 'set' ? SetParams<C> : Readonly<Record<string, never>>;

/**
 * Answers one form of one command. It writes its answer through the core; a returned promise
 * keeps the module busy (`busy p...`) until it settles. Throwing is allowed: the loop answers ERROR.
 */
export type Handler<C extends CommandName, F extends FormOf<C> = FormOf<C>> = (
  core: ModuleCore,
  call: CommandCall<C, ParamsOf<C, F>>,
) => void | Promise<void>;

/** Handlers of some commands, by declaration name and form: `satisfies Handlers` checks both names. */
export type Handlers = { readonly [C in CommandName]?: { readonly [F in FormOf<C>]?: Handler<C, F> } };

/** A handler with its types erased: what the dispatcher (and a wrapper such as the fault layer) calls. */
export type CommandHandler = (core: ModuleCore, call: CommandCall) => void | Promise<void>;

/** Handlers by command name and form, types erased. */
export type HandlerTable = Readonly<Record<string, Partial<Record<CommandForm, CommandHandler>>>>;

/**
 * The typed handlers as the dispatcher holds them. The dispatcher binds every call's parameters
 * with the very declaration a handler was typed from, so erasing the types here is sound.
 */
export function eraseHandlerTypes(handlers: Handlers): HandlerTable {
  return handlers as unknown as HandlerTable;
}

/** The link a set command names: its `link_id` in multi-link mode, 0 in single-link mode. */
export function linkIdOf(params: { readonly link_id?: number }): number {
  return params.link_id ?? 0;
}

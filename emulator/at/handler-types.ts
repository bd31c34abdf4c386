import type { CommandSpec, ParamValue, SetSignature } from '../../firmware-protocol/at/command-spec.js';
import type { CommandForm, ParsedCommand } from '../../firmware-protocol/at/types.js';
import type { ModuleCore } from './module-core.js';

/** One dispatched command: the line, its table entry, and (for `set`) the validated parameters. */
export interface CommandCall {
  readonly command: ParsedCommand;
  readonly spec: CommandSpec;
  /** Bound set parameters in signature order; empty for other forms. */
  readonly values: readonly ParamValue[];
  /** The set signature that matched (`mux: 'multi'` means the first value is the link id). */
  readonly signature: SetSignature | null;
}

/**
 * Answers one command form. It writes its answer through the core; a returned promise keeps the
 * module busy (`busy p...`) until it settles. Throwing is allowed: the loop answers ERROR.
 */
export type CommandHandler = (core: ModuleCore, call: CommandCall) => void | Promise<void>;

/** Handlers of one area, by command name (as in the table) and form. */
export type HandlerTable = Readonly<Record<string, Partial<Record<CommandForm, CommandHandler>>>>;

/** Reads a bound parameter by its spec name (robust to signature alternatives). */
export function param(call: CommandCall, name: string): ParamValue {
  const index = call.signature?.params.findIndex((spec) => spec.name === name) ?? -1;
  return index < 0 ? undefined : call.values[index];
}

export function intParam(call: CommandCall, name: string, fallback: number): number {
  const value = param(call, name);
  return typeof value === 'number' ? value : fallback;
}

export function strParam(call: CommandCall, name: string): string | undefined {
  const value = param(call, name);
  return typeof value === 'string' ? value : undefined;
}

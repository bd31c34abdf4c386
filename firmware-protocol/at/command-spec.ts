import type { CommandName } from './commands/index.js';
import type { LineDecls } from './grammar/line-spec.js';
import type { Persistence } from './profile.js';
import type { CommandForm } from './types.js';

/**
 * Shape of the ESP-AT command declarations (`commands/*.ts`). One declaration per command says
 * its forms, its set-parameter signatures and its reply lines; a command whose forms or
 * parameters differ between firmware versions declares named `variants`, and each firmware
 * profile picks one (and the names it answers to: NonOS's `_CUR`/`_DEF`). The emulator dispatches
 * and answers from them; the driver formats and reads with them.
 *
 * Names and string choices keep their literal types (the builders in `commands/spec-builders.ts`
 * are generic), so `command-types.ts` can turn a declaration into the parameter object its
 * handler receives and the driver passes.
 */
export interface ParamSpec<N extends string = string, T extends 'int' | 'string' = 'int' | 'string', V extends string = string> {
  readonly name: N;
  readonly type: T;
  /** May be left empty (`,,`) or omitted at the end. */
  readonly optional?: boolean;
  /**
   * With `optional`: may be empty but not left out (the docs' `=[<ssid>],[<pwd>]`: the comma is
   * required, so `AT+CWJAP="ssid"` has too few parameters).
   */
  readonly placeRequired?: boolean;
  /** Inclusive integer range. */
  readonly min?: number;
  readonly max?: number;
  /** Longest accepted string, in bytes. */
  readonly maxLength?: number;
  /** Allowed string values (compared exactly, as the firmware does: `"TCP"` not `"tcp"`). */
  readonly oneOf?: readonly V[];
  /**
   * An integer that may also be written in hexadecimal, bare `0xC023` / `0XC023` (ESP-AT 4.x's
   * esp_at_get_para_as_digit reads a leading `0x`; AT+CIPSSLCCIPHER's docs write suites so).
   * Elsewhere a hexadecimal number is a wrong parameter type.
   */
  readonly hex?: boolean;
}

/** Which link-mode a set signature applies to: CIPSTART takes a link id only when CIPMUX=1. */
export type MuxCondition = 'single' | 'multi' | 'any';

export interface SetSignature {
  readonly mux: MuxCondition;
  readonly params: readonly ParamSpec[];
}

/** One form of a command: what a profile picks. */
export interface VariantDecl {
  /** Replaces the command's summary in docs where this variant is in use. */
  readonly summary?: string;
  readonly forms: readonly CommandForm[];
  /** Alternatives for the set form, tried in order; required when `forms` has `set`. */
  readonly set?: readonly SetSignature[];
  /** The lines its replies carry, by name; a variant's replace the command's of the same name. */
  readonly lines?: LineDecls;
}

export type CommandArea = 'basic' | 'wifi' | 'tcpip' | 'ssl' | 'mqtt' | 'http';

/**
 * The error codes a command family prints (`ERR CODE:0x%08x` with AT+SYSLOG=1) instead of the
 * core's subcategory codes when its parameters do not bind (MQTT: the docs' 0x60xx table).
 */
export interface ParamErrorCodes {
  /** Wrong type (a string where a number goes, or the reverse). */
  readonly read: number;
  /** Left empty or missing. */
  readonly empty: number;
  /** Out of range, too long, not one of the choices. */
  readonly wrong: number;
}

export interface CommandErrorCodes {
  /** More parameters than the command takes. */
  readonly count: number;
  /** By parameter name (absent: the core's code). */
  readonly params: Readonly<Record<string, ParamErrorCodes>>;
}

/** A command: its default variant at the top level, other variants by name. */
export interface CommandDecl extends VariantDecl {
  readonly area: CommandArea;
  /** One line for docs and the CLI's help. */
  readonly summary: string;
  readonly variants?: Readonly<Record<string, VariantDecl>>;
  /** Its own error codes for parameters that do not bind (absent: the core's subcategories). */
  readonly codes?: CommandErrorCodes;
}

/** A validated set parameter: absent/empty optional parameters are `undefined`. */
export type ParamValue = string | number | undefined;

/** Why set parameters did not match (the firmware's ERR CODE subcategories 0x04-0x07). */
export type ParamMismatch = 'param-number' | 'param-type' | 'param-invalid' | 'param-length';

/**
 * One command as a profile has it, under one of its names: what the emulator dispatches on and
 * the driver formats from.
 */
export interface CommandSpec {
  /** The name on the wire, without `AT+` (`CWMODE_CUR`), or the whole basic command (`AT`, `ATE0`). */
  readonly name: string;
  /** The declaration it belongs to (`CWMODE`). */
  readonly command: CommandName;
  /** The declaration's variant this profile has (`default` or a declared name). */
  readonly variant: string;
  readonly area: CommandArea;
  readonly summary: string;
  readonly forms: readonly CommandForm[];
  readonly set?: readonly SetSignature[];
  /** Where this name's set form saves. */
  readonly save: Persistence;
  /** What this name's query shows: RAM ('current') or flash ('stored'). */
  readonly shows: 'current' | 'stored';
  /** The declaration's own error codes, if it has them. */
  readonly codes?: CommandErrorCodes;
}

import type { CommandForm } from './types.js';
import type { ProfileId } from './profile.js';

/**
 * Shape of one entry of the ESP-AT command table (`command-table.ts`). The same table drives
 * the emulator's dispatch (which forms exist, how `set` parameters are validated) and the
 * driver's formatting (which parameters are quoted, in which order).
 */
export interface ParamSpec {
  readonly name: string;
  readonly type: 'int' | 'string';
  /** May be left empty (`,,`) or omitted at the end. */
  readonly optional?: boolean;
  /** Inclusive integer range. */
  readonly min?: number;
  readonly max?: number;
  /** Longest accepted string, in bytes. */
  readonly maxLength?: number;
  /** Allowed string values (compared exactly, as the firmware does: `"TCP"` not `"tcp"`). */
  readonly oneOf?: readonly string[];
}

/** Which link-mode a set signature applies to: CIPSTART takes a link id only when CIPMUX=1. */
export type MuxCondition = 'single' | 'multi' | 'any';

export interface SetSignature {
  readonly mux: MuxCondition;
  readonly params: readonly ParamSpec[];
}

export interface CommandSpec {
  /** Upper-case name without `AT+` (`CIPSTART`), or the whole basic command (`AT`, `ATE0`). */
  readonly name: string;
  readonly area: 'basic' | 'wifi' | 'tcpip' | 'ssl';
  readonly forms: readonly CommandForm[];
  /** Alternatives for the set form, tried in order; required when `forms` has `set`. */
  readonly set?: readonly SetSignature[];
  /** Profiles whose firmware has this command; others answer ERROR as for an unknown command. */
  readonly profiles: readonly ProfileId[];
  /** One line for docs and the CLI's help. */
  readonly summary: string;
}

/** A validated set parameter: absent/empty optional parameters are `undefined`. */
export type ParamValue = string | number | undefined;

/** Why set parameters did not match (the firmware's ERR CODE subcategories 0x04-0x07). */
export type ParamMismatch = 'param-number' | 'param-type' | 'param-invalid' | 'param-length';

import { commandsOf } from './command-table.js';
import { commandBody } from './host-commands.js';
import type { FirmwareProfile } from './profile.js';

/**
 * AT+CMD?'s answer, generated from the command table: one `+CMD:` line per name the firmware
 * answers to, in table order, with which of the four forms it registers (1) or not (0). The core
 * library prints `%s:%d,"AT%s",%d,%d,%d,%d`: the index, the command as typed after `AT`, then
 * test, query, set, execute. Indexes count from 0 (copro's choice: the docs do not show one).
 */
export interface CommandListing {
  readonly index: number;
  /** `AT`, `ATE0`, `AT+RST`, `AT+UART_CUR`. */
  readonly name: string;
  readonly test: number;
  readonly query: number;
  readonly set: number;
  readonly execute: number;
}

export function commandListing(profile: FirmwareProfile): CommandListing[] {
  return commandsOf(profile).map((spec, index) => ({
    index,
    name: commandBody(spec.name),
    test: Number(spec.forms.includes('test')),
    query: Number(spec.forms.includes('query')),
    set: Number(spec.forms.includes('set')),
    execute: Number(spec.forms.includes('exec')),
  }));
}

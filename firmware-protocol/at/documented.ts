/**
 * Which documented commands of a firmware version copro does not emulate, and why: the profile's
 * `documented` list (read off Espressif's docs) against its command table. Pure data, for
 * docs/emulator.md and the tests that keep it true.
 */
import { findCommand } from './command-table.js';
import type { DocPage, FirmwareProfile } from './profile.js';

/**
 * Pages for hardware or build options the emulated module does not have (Bluetooth LE, classic
 * Bluetooth, Ethernet, the chip's peripherals, RF test modes, the web server, user-defined commands,
 * and WebSocket, which the docs say "the default AT firmware does not support"): a module built
 * without them answers them as unknown commands, and so does copro.
 */
export const BUILT_WITHOUT: readonly DocPage[] = ['ble', 'bt', 'ethernet', 'driver', 'signaling', 'webserver', 'user', 'websocket'];

export interface DocumentedCommand {
  readonly page: DocPage;
  /** Without `AT+`, as the command table names it. */
  readonly name: string;
}

export interface DocumentedCoverage {
  readonly source: string;
  readonly emulated: readonly DocumentedCommand[];
  /** On pages of hardware the module is built without (BUILT_WITHOUT). */
  readonly builtWithout: readonly DocumentedCommand[];
  /** Documented for another chip, absent from this firmware (`otherChip`): unknown, as on the module. */
  readonly otherChip: readonly DocumentedCommand[];
  /** Everything else the firmware has and copro does not emulate yet (answered as unknown). */
  readonly notYet: readonly DocumentedCommand[];
}

/** Whether the profile's table answers the documented name (`ATE` is the table's ATE0 and ATE1). */
function emulates(profile: FirmwareProfile, name: string): boolean {
  if (name === 'ATE') return findCommand('ATE0', profile) !== undefined;
  return findCommand(name, profile) !== undefined;
}

/** The profile's documented commands sorted by what copro does with them; null without a list. */
export function documentedCoverage(profile: FirmwareProfile): DocumentedCoverage | null {
  const documented = profile.documented;
  if (documented === undefined) return null;
  const emulated: DocumentedCommand[] = [];
  const builtWithout: DocumentedCommand[] = [];
  const notYet: DocumentedCommand[] = [];
  const otherChip: DocumentedCommand[] = [];
  for (const [page, names] of Object.entries(documented.pages) as [DocPage, readonly string[]][]) {
    for (const name of names) {
      const entry = { page, name };
      if (emulates(profile, name)) emulated.push(entry);
      else if (BUILT_WITHOUT.includes(page)) builtWithout.push(entry);
      else if (documented.otherChip?.[name] !== undefined) otherChip.push(entry);
      else notYet.push(entry);
    }
  }
  return { source: documented.source, emulated, builtWithout, otherChip, notYet };
}

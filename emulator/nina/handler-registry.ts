import { ninaCommand } from '../../firmware-protocol/nina/command-table.js';
import type { NinaHandlerEntry, NinaHandlerGroup } from './handler-types.js';
import { DATA_HANDLERS } from './handlers/data.js';
import { DNS_SYSTEM_HANDLERS } from './handlers/dns-system.js';
import { SCAN_HANDLERS } from './handlers/scan.js';
import { SOCKET_HANDLERS } from './handlers/sockets.js';
import { SOFT_AP_HANDLERS } from './handlers/soft-ap.js';
import { WIFI_HANDLERS } from './handlers/wifi.js';

/** Handler table by command code. Commands absent here get the error reply (and a trace line saying why). */
export type NinaHandlerTable = ReadonlyMap<number, NinaHandlerEntry>;

function byCode(...groups: NinaHandlerGroup[]): NinaHandlerTable {
  const table = new Map<number, NinaHandlerEntry>();
  for (const group of groups) {
    for (const [name, entry] of group) {
      const { code } = ninaCommand(name);
      if (table.has(code)) throw new Error(`two NINA handlers for ${name}`);
      table.set(code, entry);
    }
  }
  return table;
}

/** What the emulated nina-fw 2.0.0 answers. */
export const NINA_HANDLERS: NinaHandlerTable = byCode(
  WIFI_HANDLERS,
  SOFT_AP_HANDLERS,
  SCAN_HANDLERS,
  DNS_SYSTEM_HANDLERS,
  SOCKET_HANDLERS,
  DATA_HANDLERS,
);

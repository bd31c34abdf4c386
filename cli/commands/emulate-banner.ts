import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { WorldConfig } from '../../emulator/world-config.js';

/** The one line `copro emulate` prints: where the module is, what it is, and how to reach it. */
export function describeServing(address: string, profile: FirmwareProfile, world: WorldConfig, isTcp: boolean): string {
  const ap = world.accessPoints[0];
  const join = ap ? ` · AP "${ap.ssid}"${ap.password ? ` key "${ap.password}"` : ' (open)'}` : '';
  const howTo = isTcp ? `python3 -m serial.tools.miniterm ${address} 115200` : `picocom -b 115200 --omap crcrlf ${address}`;
  return `copro: ${profile.title} on ${address}${join} · try: ${howTo} (Ctrl-C stops)`;
}

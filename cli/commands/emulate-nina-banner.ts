import type { WorldConfig } from '../../emulator/world-config.js';
import { NINA_FIRMWARE_VERSION } from '../../emulator/nina/nina-core.js';

/** The one line `copro emulate --protocol nina` prints: where the module is and how to drive it. */
export function describeNinaServing(address: string, world: WorldConfig): string {
  const ap = world.accessPoints[0];
  const join = ap ? ` · AP "${ap.ssid}"${ap.password ? ` key "${ap.password}"` : ' (open)'}` : '';
  return `copro: NINA (nina-fw ${NINA_FIRMWARE_VERSION} frames on a byte stream) on ${address}${join} · frames as docs/spi.md describes (Ctrl-C stops)`;
}

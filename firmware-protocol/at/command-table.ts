import type { CommandSpec } from './command-spec.js';
import type { ProfileId } from './profile.js';
import { BASIC_COMMANDS } from './commands/basic.js';
import { SSL_COMMANDS } from './commands/ssl.js';
import { TCPIP_COMMANDS } from './commands/tcpip.js';
import { WIFI_COMMANDS } from './commands/wifi.js';

export { bindSetParams } from './bind-params.js';
export type { BindResult } from './bind-params.js';
export { CONNECTION_TYPES } from './commands/tcpip.js';

/**
 * THE ESP-AT command table: what the emulator dispatches on and what the driver formats from.
 * A name may appear once per profile when the firmware versions differ in forms or parameters.
 * Forms follow the firmware documentation of each version: a form that is not listed is
 * answered with ERROR, like an unknown command. ESP-AT 2.x documents no test (`=?`) forms for
 * these commands; NonOS 1.7 has them for CWMODE.
 */
export const COMMANDS: readonly CommandSpec[] = [
  ...BASIC_COMMANDS,
  ...WIFI_COMMANDS,
  ...TCPIP_COMMANDS,
  ...SSL_COMMANDS,
];

const BY_PROFILE_AND_NAME: ReadonlyMap<string, CommandSpec> = (() => {
  const map = new Map<string, CommandSpec>();
  for (const spec of COMMANDS) {
    for (const profile of spec.profiles) {
      const key = `${profile}\u0000${spec.name}`;
      if (map.has(key)) throw new Error(`command table: ${spec.name} listed twice for ${profile}`);
      map.set(key, spec);
    }
  }
  return map;
})();

/** The profile's entry for `name` (exact, case-sensitive, without `AT+`), if its firmware has it. */
export function findCommand(name: string, profileId: ProfileId): CommandSpec | undefined {
  return BY_PROFILE_AND_NAME.get(`${profileId}\u0000${name}`);
}

/** Every command the profile's firmware knows, in table order. */
export function commandsOf(profileId: ProfileId): CommandSpec[] {
  return COMMANDS.filter((spec) => spec.profiles.includes(profileId));
}

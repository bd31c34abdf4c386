import type { CommandSpec } from '../../../firmware-protocol/at/command-spec.js';
import type { ModuleCore } from '../module-core.js';
import type { PersistentSettings } from '../module-settings.js';

/**
 * What a query reads: flash for the names whose query shows it (NonOS `_DEF`), RAM otherwise.
 * Where a set saves is the name's own rule (`call.spec.save`, from the profile).
 */
export function settingsFor(core: ModuleCore, call: { readonly spec: CommandSpec }): PersistentSettings {
  return call.spec.shows === 'stored' ? core.settings.stored : core.settings.current;
}

import type { ModuleCore } from '../module-core.js';
import type { PersistentSettings, Persistence } from '../module-settings.js';

/**
 * Where a set command's change goes. ESP-AT 2.x: AT+SYSSTORE decides. NonOS 1.7 names it:
 * `_CUR` is RAM only, `_DEF` and the deprecated plain name write flash too.
 */
export function persistenceOf(core: ModuleCore, name: string): Persistence {
  if (name.endsWith('_CUR')) return 'ram';
  if (name.endsWith('_DEF')) return 'flash';
  return core.profile.id === 'esp8266-at-1.7' ? 'flash' : 'sysstore';
}

/** What a query of `name` reads: 1.7 `_DEF` queries show flash, everything else RAM. */
export function settingsFor(core: ModuleCore, name: string): PersistentSettings {
  return name.endsWith('_DEF') ? core.settings.stored : core.settings.current;
}

/**
 * network.WLAN(AP_IF)'s operations on the driver's access point (src/wlan-ap.ts): active, config
 * by name or by keywords, the stations joined, ifconfig. Errors are the driver's OSErrors.
 */
import type { IfconfigTuple } from '../../wlan.js';
import type { ApConfigName, ApConfigOptions, ApWlan } from '../../wlan-ap.js';
import type { OpTable } from './types.js';

const READABLE: readonly string[] = ['essid', 'ssid', 'channel', 'security', 'authmode', 'hidden', 'max_clients'];

export function apOps(ap: ApWlan): OpTable {
  return {
    'ap.active': async ([flag]) => {
      if (flag === null || flag === undefined) return { value: await ap.active() };
      await ap.active(Boolean(flag));
      return {};
    },
    'ap.isconnected': async () => ({ value: await ap.isconnected() }),
    'ap.stations': async () => ({ value: await ap.status('stations') }),
    'ap.config_get': async ([param]) => {
      if (typeof param !== 'string' || !READABLE.includes(param)) throw new RangeError('unknown config param');
      return { value: await ap.config(param as ApConfigName) };
    },
    'ap.config_set': async ([options]) => {
      await ap.config((options ?? {}) as ApConfigOptions);
      return {};
    },
    'ap.ifconfig': async ([config]) => {
      if (config === null || config === undefined) return { value: await ap.ifconfig() };
      await ap.ifconfig(config as IfconfigTuple);
      return {};
    },
  };
}

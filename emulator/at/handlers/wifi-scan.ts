import { securityToEcn } from '../../../firmware-protocol/at/security.js';
import type { AccessPointInfo } from '../../network/types.js';
import type { CommandCall, Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import { stationEnabled } from '../station-events.js';

/** AT+CWLAP (scan) and AT+CWLAPOPT (which fields, which APs). */

/** Pairwise / group cipher the firmware reports per ecn (0 none, 1 WEP40, 3 TKIP, 4 CCMP, 5 TKIP+CCMP). */
const CIPHERS: Readonly<Record<number, readonly [number, number]>> = {
  0: [0, 0],
  1: [1, 1],
  2: [3, 3],
  3: [4, 4],
  4: [5, 3],
};

interface ScanFilter {
  readonly ssid?: string;
  readonly mac?: string;
  readonly channel?: number;
}

/** One `+CWLAP:(...)` line's 11 values (the print mask leaves some out when it is printed). */
function apValues(ap: AccessPointInfo) {
  const ecn = securityToEcn(ap.security);
  const [pairwise, group] = CIPHERS[ecn] ?? [4, 4];
  return {
    ecn,
    ssid: ap.ssid,
    rssi: ap.rssi,
    mac: ap.bssid,
    channel: ap.channel,
    freq_offset: -1, // reserved
    freqcal_val: -1, // reserved
    pairwise_cipher: pairwise,
    group_cipher: group,
    bgn: 7,
    wps: ap.wps ? 1 : 0,
  };
}

function matches(core: ModuleCore, ap: AccessPointInfo, filter: ScanFilter): boolean {
  const options = core.settings.volatile.lapOptions;
  if (ap.rssi < options.rssiMin || (options.authMask & (1 << securityToEcn(ap.security))) === 0) return false;
  if (filter.ssid !== undefined && ap.ssid !== filter.ssid) return false;
  if (filter.mac !== undefined && ap.bssid !== filter.mac.toLowerCase()) return false;
  return filter.channel === undefined || ap.channel === filter.channel;
}

async function scan(core: ModuleCore, call: CommandCall<'CWLAP'>, filter: ScanFilter): Promise<void> {
  const epoch = core.epoch;
  let found: AccessPointInfo[];
  try {
    found = await core.stack.station.scan();
  } catch {
    if (core.isCurrent(epoch)) core.error('exec-failed');
    return;
  }
  if (!core.isCurrent(epoch)) return;
  const mask = core.settings.volatile.lapOptions.mask;
  for (const ap of found) if (matches(core, ap, filter)) core.reply(call, 'ap', apValues(ap), { mask });
  core.ok();
}

const scanExec: Handler<'CWLAP', 'exec'> = (core, call) =>
  stationEnabled(core) ? scan(core, call, {}) : core.error('exec-failed');
const scanSet: Handler<'CWLAP', 'set'> = (core, call) => {
  const { mac, channel } = call.params;
  // An empty SSID (`AT+CWLAP="","<bssid>"`) filters nothing, as the firmware's strlen check has it.
  const ssid = call.params.ssid === '' ? undefined : call.params.ssid;
  return stationEnabled(core) ? scan(core, call, { ssid, mac, channel }) : core.error('exec-failed');
};

export const WIFI_SCAN_HANDLERS = {
  CWLAP: { exec: scanExec, set: scanSet },
  CWLAPOPT: {
    set: (core, call) => {
      const defaults = core.profile.defaults.lapOptions;
      core.settings.volatile.lapOptions = {
        mask: call.params.print_mask,
        rssiMin: call.params.rssi_filter ?? defaults.rssiMin,
        authMask: call.params.authmode_mask ?? defaults.authMask,
      };
      core.ok();
    },
  },
} satisfies Handlers;

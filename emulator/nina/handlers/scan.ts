import { ConnectionStatus, MAX_SCAN_RESULTS } from '../../../firmware-protocol/nina/constants.js';
import { i32le, macBytesReversed, textBytes, u8 } from '../../../firmware-protocol/nina/fields.js';
import { securityToNinaEncryption } from '../../../firmware-protocol/nina/security.js';
import type { AccessPointInfo } from '../../network/types.js';
import type { NinaHandlerGroup } from '../handler-types.js';
import { byteParam, flag, handlerGroup } from '../handler-types.js';
import type { NinaCore } from '../nina-core.js';

/**
 * Scanning as nina-fw 2.0.0 does it: START_SCAN_NETWORKS is a no-op; SCAN_NETWORKS runs the scan
 * while the host waits and answers one SSID per network (at most 10); GET_IDX_* read the stored results.
 * nina-fw's scanNetworks() stops and restarts the WiFi driver first (esp_wifi_stop), which ends a
 * station association: the emulator does the same (code reading, peers.md §1.7).
 */

/** What nina-fw's zeroed scan record gives for an index with no network. */
const EMPTY: AccessPointInfo = { ssid: '', security: 'open', rssi: 0, bssid: '00:00:00:00:00:00', channel: 0 };

function entry(core: NinaCore, index: number): AccessPointInfo {
  return core.scanResults[index] ?? EMPTY;
}

async function scanNetworks(core: NinaCore): Promise<Uint8Array[]> {
  const epoch = core.epoch;
  if (core.stack.station.info().connected || core.wifi.status === ConnectionStatus.NO_SSID_AVAIL) {
    core.tracer.note('SCAN_NETWORKS restarts the WiFi driver: the association (or the join under way) ends');
    core.wifi.leave();
  }
  const found = await core.stack.station.scan();
  if (!core.isCurrent(epoch)) return [];
  core.scanResults = found.filter((ap) => ap.ssid !== '').slice(0, MAX_SCAN_RESULTS);
  core.wifi.status = ConnectionStatus.SCAN_COMPLETED;
  return core.scanResults.map((ap) => textBytes(ap.ssid));
}

export const SCAN_HANDLERS: NinaHandlerGroup = handlerGroup([
  ['START_SCAN_NETWORKS', { support: 'emulated', handler: () => flag(true) }],
  ['SCAN_NETWORKS', { support: 'emulated', handler: scanNetworks }],
  ['GET_IDX_RSSI', { support: 'emulated', handler: (core, call) => [i32le(entry(core, byteParam(call, 0)).rssi)] }],
  [
    'GET_IDX_ENCT',
    { support: 'emulated', handler: (core, call) => [u8(securityToNinaEncryption(entry(core, byteParam(call, 0)).security))] },
  ],
  [
    'GET_IDX_BSSID',
    { support: 'emulated', handler: (core, call) => [macBytesReversed(entry(core, byteParam(call, 0)).bssid)] },
  ],
  ['GET_IDX_CHANNEL', { support: 'emulated', handler: (core, call) => [u8(entry(core, byteParam(call, 0)).channel)] }],
]);

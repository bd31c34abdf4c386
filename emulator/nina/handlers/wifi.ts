import { bytesText, i32le, ipv4Bytes, macBytesReversed, textBytes, u8 } from '../../../firmware-protocol/nina/fields.js';
import { securityToNinaEncryption } from '../../../firmware-protocol/nina/security.js';
import type { AccessPointInfo } from '../../network/types.js';
import type { NinaHandlerGroup } from '../handler-types.js';
import { boundedParam, byteParam, flag, handlerGroup } from '../handler-types.js';
import type { NinaCore } from '../nina-core.js';

/** Station commands: join, leave, status and the current network (nina-fw WiFi.cpp, CommandHandler.cpp). */

/** nina-fw's buffers: ssid 32, passphrase 64, WEP key 26 bytes (peers.md §1.10 #9). */
const SSID_BYTES = 32;
const PASSPHRASE_BYTES = 64;
const WEP_KEY_BYTES = 26;
const NO_BSSID = '00:00:00:00:00:00';
const HOSTNAME_BYTES = 255;

function connectedAp(core: NinaCore): AccessPointInfo | null {
  const info = core.stack.station.info();
  if (!info.connected) return null;
  return core.world.accessPoints.find((ap) => ap.bssid === info.bssid) ?? null;
}

const ok = (): Uint8Array[] => flag(true);

export const WIFI_HANDLERS: NinaHandlerGroup = handlerGroup([
  [
    'SET_NET',
    {
      support: 'emulated',
      handler: (core, call) => {
        core.wifi.begin(bytesText(boundedParam(call, 0, SSID_BYTES)), '');
        return ok();
      },
    },
  ],
  [
    'SET_PASSPHRASE',
    {
      support: 'emulated',
      handler: (core, call) => {
        const ssid = bytesText(boundedParam(call, 0, SSID_BYTES));
        core.wifi.begin(ssid, bytesText(boundedParam(call, 1, PASSPHRASE_BYTES)));
        return ok();
      },
    },
  ],
  [
    'SET_KEY',
    {
      support: 'emulated',
      handler: (core, call) => {
        const ssid = bytesText(boundedParam(call, 0, SSID_BYTES));
        byteParam(call, 1); // key index: nina-fw ignores it
        core.wifi.begin(ssid, bytesText(boundedParam(call, 2, WEP_KEY_BYTES)));
        return ok();
      },
    },
  ],
  [
    'DISCONNECT',
    {
      support: 'emulated',
      handler: (core) => {
        core.wifi.leave();
        return ok();
      },
    },
  ],
  ['GET_CONN_STATUS', { support: 'emulated', handler: (core) => [u8(core.wifi.status)] }],
  ['GET_REASON_CODE', { support: 'emulated', handler: (core) => [u8(core.wifi.reasonCode)] }],
  [
    'GET_IPADDR',
    {
      support: 'emulated',
      handler: (core) => {
        // In AP mode nina-fw reports the softAP interface's address.
        const ap = core.stack.softAp;
        if (ap.isRunning) return [ipv4Bytes(ap.address.ip), ipv4Bytes(ap.address.netmask), ipv4Bytes(ap.address.gateway)];
        const info = core.stack.station.info();
        return [ipv4Bytes(info.ip), ipv4Bytes(info.netmask), ipv4Bytes(info.gateway)];
      },
    },
  ],
  ['GET_MACADDR', { support: 'emulated', handler: (core) => [macBytesReversed(core.stack.station.info().mac)] }],
  ['GET_CURR_SSID', { support: 'emulated', handler: (core) => [textBytes(core.stack.station.info().ssid ?? '')] }],
  [
    'GET_CURR_BSSID',
    { support: 'emulated', handler: (core) => [macBytesReversed(core.stack.station.info().bssid ?? NO_BSSID)] },
  ],
  [
    'GET_CURR_RSSI',
    {
      support: 'emulated',
      handler: (core) => {
        const info = core.stack.station.info();
        return [i32le(info.connected ? info.rssi : 0)];
      },
    },
  ],
  [
    'GET_CURR_ENCT',
    {
      support: 'emulated',
      // nina-fw maps the AP record it keeps; with no association the record is zeroed (auth mode OPEN).
      handler: (core) => [u8(securityToNinaEncryption(connectedAp(core)?.security ?? 'open'))],
    },
  ],
  // Accepted with nina-fw's answer; the virtual stack has no use for them.
  ['SET_DNS_CONFIG', { support: 'no effect', handler: () => ok() }],
  // nina-fw: WiFi.hostname(name) into its `char hostname[255 + 1]`; the station's DHCP name from then on.
  [
    'SET_HOSTNAME',
    {
      support: 'emulated',
      handler: (core, call) => {
        const name = bytesText(boundedParam(call, 0, HOSTNAME_BYTES));
        core.stack.station.setHostname(name);
        core.tracer.note(`host name ${JSON.stringify(name)}`);
        return ok();
      },
    },
  ],
  ['SET_POWER_MODE', { support: 'no effect', handler: () => ok() }],
  ['SET_DEBUG', { support: 'no effect', handler: () => ok() }],
]);

import { bytesText } from '../../../firmware-protocol/nina/fields.js';
import { ConnectionStatus } from '../../../firmware-protocol/nina/constants.js';
import type { NinaHandlerGroup } from '../handler-types.js';
import { boundedParam, byteParam, flag, handlerGroup } from '../handler-types.js';
import type { NinaCore } from '../nina-core.js';

/**
 * WiFi.beginAP (nina-fw's SET_AP_NET / SET_AP_PASSPHRASE): the module's own access point on the
 * stack's softAP, at ESP-IDF's default 192.168.4.1/24 with 4 stations; WPA2-PSK with a passphrase,
 * open without. The answer is 1 unless the AP failed (a passphrase outside 8..63 bytes, a channel
 * outside 1..13); GET_CONN_STATUS then says AP_LISTENING, and AP_CONNECTED while a station is joined.
 */

const SSID_BYTES = 32;
const PASSPHRASE_BYTES = 64;

function beginAp(core: NinaCore, ssid: string, passphrase: string, channel: number): Uint8Array[] {
  const length = Buffer.byteLength(passphrase);
  if ((passphrase !== '' && (length < 8 || length > 63)) || channel < 1 || channel > 13 || ssid === '') {
    core.wifi.status = ConnectionStatus.AP_FAILED;
    return flag(false);
  }
  core.wifi.leave();
  const ap = core.stack.softAp;
  ap.configure({ ssid, password: passphrase, channel, security: passphrase === '' ? 'open' : 'wpa2-psk', maxConnections: 4, hidden: false });
  ap.setListener({
    onStationConnected: () => (core.wifi.status = ConnectionStatus.AP_CONNECTED),
    onStationGotIp: () => undefined,
    onStationDisconnected: () => {
      if (ap.stations().length === 0 && ap.isRunning) core.wifi.status = ConnectionStatus.AP_LISTENING;
    },
  });
  ap.start();
  core.wifi.status = ConnectionStatus.AP_LISTENING;
  core.tracer.note(`softAP "${ssid}" up at ${ap.address.ip}`);
  return flag(true);
}

export const SOFT_AP_HANDLERS: NinaHandlerGroup = handlerGroup([
  [
    'SET_AP_NET',
    {
      support: 'emulated',
      handler: (core, call) => beginAp(core, bytesText(boundedParam(call, 0, SSID_BYTES)), '', byteParam(call, 1)),
    },
  ],
  [
    'SET_AP_PASSPHRASE',
    {
      support: 'emulated',
      handler: (core, call) =>
        beginAp(core, bytesText(boundedParam(call, 0, SSID_BYTES)), bytesText(boundedParam(call, 1, PASSPHRASE_BYTES)), byteParam(call, 2)),
    },
  ],
]);

import { isIPv4 } from 'node:net';
import type { CommandHandler, HandlerTable } from '../handler-types.js';
import { intParam, strParam } from '../handler-types.js';
import type { ModuleCore, WifiPhase } from '../module-core.js';
import { stationAddress, stationEnabled } from '../station-events.js';
import { persistenceOf, settingsFor } from './persistence.js';

/** Wi-Fi mode, leaving the AP, state, auto-connect, DHCP, static IP, local addresses (esp-at.md §3). */

const V17 = 'esp8266-at-1.7';
/** The ESP32 softAP's own default address (its MAC is the station's + 1). */
const SOFTAP_IP = '192.168.4.1';

const CWSTATE_CODES: Readonly<Record<WifiPhase, number>> = {
  idle: 0,
  connected: 1,
  'got-ip': 2,
  connecting: 3,
  disconnected: 4,
};

function softApMac(stationMac: string): string {
  const bytes = stationMac.split(':').map((part) => parseInt(part, 16));
  bytes[5] = (bytes[5] + 1) & 0xff;
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

const modeQuery: CommandHandler = (core, call) => {
  core.info(call.spec.name, String(settingsFor(core, call.spec.name).cwMode));
  core.ok();
};

const modeSet: CommandHandler = (core, call) => {
  const mode = intParam(call, 'mode', 1);
  core.settings.set('cwMode', mode, persistenceOf(core, call.spec.name));
  core.ok();
  // Without station mode the station interface goes down with its AP.
  if (!stationEnabled(core)) core.stack.station.leave();
};

const modeTest: CommandHandler = (core, call) => {
  core.info(call.spec.name, '(1-3)');
  core.ok();
};

const MODE_HANDLERS = { query: modeQuery, set: modeSet, test: modeTest };

const quitAp: CommandHandler = (core) => {
  core.ok();
  if (core.wifi.phase !== 'idle') core.wifi.phase = 'disconnected';
  // WIFI DISCONNECT (when associated) comes from the station listener, after OK.
  core.stack.station.leave();
};

const stateQuery: CommandHandler = (core) => {
  const ssid = core.stack.station.info().ssid ?? (core.wifi.phase === 'idle' ? '' : core.settings.current.join?.ssid ?? '');
  core.info('CWSTATE', `${CWSTATE_CODES[core.wifi.phase]},"${ssid}"`);
  core.ok();
};

/** 2.x bitmask: bit0 station, bit1 softAP. NonOS 1.7 numbers them the other way round. */
function dhcpText(core: ModuleCore, dhcp: number): string {
  if (core.profile.id !== V17) return String(dhcp);
  return String(((dhcp & 1) << 1) | ((dhcp & 2) >> 1));
}

const dhcpQuery: CommandHandler = (core, call) => {
  core.info(call.spec.name, dhcpText(core, settingsFor(core, call.spec.name).dhcp));
  core.ok();
};

const dhcpSet: CommandHandler = (core, call) => {
  let enable: boolean;
  let bits: number;
  if (core.profile.id === V17) {
    // AT+CWDHCP_CUR=<mode>,<en>: mode 0 softAP, 1 station, 2 both.
    const mode = intParam(call, 'mode', 2);
    bits = mode === 0 ? 2 : mode === 1 ? 1 : 3;
    enable = intParam(call, 'en', 1) === 1;
  } else {
    enable = intParam(call, 'operate', 1) === 1;
    bits = intParam(call, 'mode', 3);
  }
  const persist = persistenceOf(core, call.spec.name);
  const current = core.settings.current.dhcp;
  core.settings.set('dhcp', enable ? current | bits : current & ~bits, persist);
  if (enable && (bits & 1) !== 0) core.settings.set('staticIp', null, persist);
  core.ok();
};

const DHCP_HANDLERS = { query: dhcpQuery, set: dhcpSet };

const staQuery: CommandHandler = (core, call) => {
  const address = stationAddress(core);
  core.info(call.spec.name, `ip:"${address.ip}"`);
  core.info(call.spec.name, `gateway:"${address.gateway}"`);
  core.info(call.spec.name, `netmask:"${address.netmask}"`);
  core.ok();
};

/** A static station address: reported from then on, and station DHCP is off. */
const staSet: CommandHandler = (core, call) => {
  const ip = strParam(call, 'ip') ?? '';
  const gateway = strParam(call, 'gateway') ?? ip.replace(/\.\d+$/, '.1');
  const netmask = strParam(call, 'netmask') ?? '255.255.255.0';
  if (![ip, gateway, netmask].every((text) => isIPv4(text))) return core.error('param-invalid');
  const persist = persistenceOf(core, call.spec.name);
  core.settings.set('staticIp', { ip, gateway, netmask }, persist);
  core.settings.set('dhcp', core.settings.current.dhcp & ~1, persist);
  core.tracer.note(`static station address ${ip} (reported only: traffic still uses the host's addresses)`);
  core.ok();
};

const STA_HANDLERS = { query: staQuery, set: staSet };

/** AT+CIFSR: softAP lines first, then the station's. */
const localAddresses: CommandHandler = (core) => {
  const mode = core.settings.current.cwMode;
  const mac = core.stack.station.info().mac;
  if (mode === 2 || mode === 3) {
    core.info('CIFSR', `APIP,"${SOFTAP_IP}"`);
    core.info('CIFSR', `APMAC,"${softApMac(mac)}"`);
  }
  if (mode === 1 || mode === 3) {
    core.info('CIFSR', `STAIP,"${stationAddress(core).ip}"`);
    core.info('CIFSR', `STAMAC,"${mac}"`);
  }
  core.ok();
};

export const WIFI_HANDLERS: HandlerTable = {
  CWMODE: MODE_HANDLERS,
  CWMODE_CUR: MODE_HANDLERS,
  CWMODE_DEF: MODE_HANDLERS,
  CWQAP: { exec: quitAp },
  CWSTATE: { query: stateQuery },
  CWAUTOCONN: {
    set: (core, call) => {
      core.settings.set('autoConnect', intParam(call, 'enable', 1) === 1, 'flash');
      core.ok();
    },
  },
  CWDHCP: DHCP_HANDLERS,
  CWDHCP_CUR: DHCP_HANDLERS,
  CWDHCP_DEF: DHCP_HANDLERS,
  CIPSTA: STA_HANDLERS,
  CIPSTA_CUR: STA_HANDLERS,
  CIPSTA_DEF: STA_HANDLERS,
  CIFSR: { exec: localAddresses },
};

import { isIPv4 } from 'node:net';
import { inSubnet, ipToNumber } from '../../network/soft-ap.js';
import type { Handler, Handlers } from '../handler-types.js';
import { applySoftAp, dhcpRange, softApAddress, softApEnabled, softApSettings } from '../soft-ap-state.js';
import { softApLinkLocal } from '../softap-ipv6.js';
import { settingsFor } from './persistence.js';

/**
 * The softAP's commands (ESP-AT v2.4 Wi-Fi_AT_Commands.rst): AT+CWSAP, AT+CWLIF, AT+CWQIF,
 * AT+CWDHCPS, AT+CIPAP, AT+CWAPPROTO, AT+CWSTAPROTO. Each needs the softAP (AT+CWMODE 2 or 3),
 * except the station's protocol; out of it they answer ERROR.
 */

/** WPA/WPA2 passphrases: 8..63 bytes. */
const PASSPHRASE = { min: 8, max: 63 } as const;
/** `<ecn>` the softAP takes: OPEN, WPA_PSK, WPA2_PSK, WPA_WPA2_PSK (no WEP). */
const SOFTAP_ECNS: readonly number[] = [0, 2, 3, 4];
/** 802.11 b, b/g, b/g/n: the protocol sets ESP32 supports. */
const PROTOCOLS: readonly number[] = [1, 3, 7];

const sapQuery: Handler<'CWSAP', 'query'> = (core, call) => {
  if (!softApEnabled(core)) return core.error();
  const ap = softApSettings(core, settingsFor(core, call));
  core.reply(call, 'config', {
    ssid: ap.ssid,
    pwd: ap.password,
    channel: ap.channel,
    ecn: ap.ecn,
    max_conn: ap.maxConn,
    ssid_hidden: ap.hidden,
  });
  core.ok();
};

const sapSet: Handler<'CWSAP', 'set'> = (core, call) => {
  if (!softApEnabled(core)) return core.error();
  const { ssid, pwd, channel, ecn } = call.params;
  if (!SOFTAP_ECNS.includes(ecn)) return core.error('param-invalid');
  const length = Buffer.byteLength(pwd);
  if (ecn !== 0 && (length < PASSPHRASE.min || length > PASSPHRASE.max)) return core.error('param-invalid');
  if (ssid.length === 0) return core.error('param-invalid');
  const previous = softApSettings(core);
  core.settings.set(
    'softAp',
    {
      ssid,
      password: ecn === 0 ? '' : pwd,
      channel,
      ecn,
      maxConn: call.params.max_conn ?? previous.maxConn,
      hidden: call.params.ssid_hidden ?? 0,
    },
    call.spec.save,
  );
  applySoftAp(core);
  core.ok();
};

/** AT+CWLIF: one line per station that has a lease. */
const listStations: Handler<'CWLIF', 'exec'> = (core, call) => {
  if (!softApEnabled(core)) return core.error();
  for (const station of core.stack.softAp.stations()) {
    if (station.ip !== null) core.reply(call, 'station', { ip: station.ip, mac: station.mac });
  }
  core.ok();
};

const kickAll: Handler<'CWQIF', 'exec'> = (core) => {
  if (!softApEnabled(core)) return core.error();
  core.ok();
  core.stack.softAp.disconnect();
};

/** AT+CWQIF=<mac>: OK whether or not that station was there (the firmware's deauth has no answer). */
const kickOne: Handler<'CWQIF', 'set'> = (core, call) => {
  if (!softApEnabled(core)) return core.error();
  if (!/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(call.params.mac)) return core.error('param-invalid');
  core.ok();
  core.stack.softAp.disconnect(call.params.mac);
};

/** AT+CWDHCPS needs the softAP and its DHCP server. */
function dhcpServerUp(core: Parameters<Handler<'CWDHCPS'>>[0]): boolean {
  return softApEnabled(core) && (core.settings.current.dhcp & 2) !== 0;
}

const dhcpsQuery: Handler<'CWDHCPS', 'query'> = (core, call) => {
  if (!dhcpServerUp(core)) return core.error();
  const range = dhcpRange(core, settingsFor(core, call));
  core.reply(call, 'range', { lease: range.leaseMinutes, start_ip: range.start, end_ip: range.end });
  core.ok();
};

const dhcpsSet: Handler<'CWDHCPS', 'set'> = (core, call) => {
  if (!dhcpServerUp(core)) return core.error();
  const { enable, lease, start_ip: start, end_ip: end } = call.params;
  if (enable === 0) {
    if (lease !== undefined) return core.error('param-number');
    core.settings.set('dhcpRange', null, call.spec.save);
  } else {
    if (lease === undefined || start === undefined || end === undefined) return core.error('param-number');
    const address = softApAddress(core);
    const valid = [start, end].every((ip) => isIPv4(ip) && inSubnet(address, ip) && ip !== address.ip);
    if (!valid || ipToNumber(start) > ipToNumber(end)) return core.error('param-invalid');
    core.settings.set('dhcpRange', { leaseMinutes: lease, start, end }, call.spec.save);
  }
  applySoftAp(core);
  core.ok();
};

const apAddressQuery: Handler<'CIPAP', 'query'> = (core, call) => {
  if (!softApEnabled(core)) return core.error();
  const linkLocal = softApLinkLocal(core);
  core.reply(call, 'address', { ...softApAddress(core, settingsFor(core, call)), ...(linkLocal ? { ip6ll: linkLocal } : {}) });
  core.ok();
};

/** A static softAP address: the DHCP range follows it unless AT+CWDHCPS set one. */
const apAddressSet: Handler<'CIPAP', 'set'> = (core, call) => {
  if (!softApEnabled(core)) return core.error();
  const { ip } = call.params;
  const gateway = call.params.gateway ?? ip;
  const netmask = call.params.netmask ?? '255.255.255.0';
  if (![ip, gateway, netmask].every((text) => isIPv4(text))) return core.error('param-invalid');
  core.settings.set('apAddress', { ip, gateway, netmask }, call.spec.save);
  applySoftAp(core);
  core.ok();
};

const apProtoQuery: Handler<'CWAPPROTO', 'query'> = (core, call) => {
  if (!softApEnabled(core)) return core.error();
  core.reply(call, 'protocol', { protocol: settingsFor(core, call).apProtocol });
  core.ok();
};

const apProtoSet: Handler<'CWAPPROTO', 'set'> = (core, call) => {
  if (!softApEnabled(core)) return core.error();
  if (!PROTOCOLS.includes(call.params.protocol)) return core.error('param-invalid');
  core.settings.set('apProtocol', call.params.protocol, call.spec.save);
  core.ok();
};

const staProtoQuery: Handler<'CWSTAPROTO', 'query'> = (core, call) => {
  core.reply(call, 'protocol', { protocol: settingsFor(core, call).staProtocol });
  core.ok();
};

const staProtoSet: Handler<'CWSTAPROTO', 'set'> = (core, call) => {
  if (!PROTOCOLS.includes(call.params.protocol)) return core.error('param-invalid');
  core.settings.set('staProtocol', call.params.protocol, call.spec.save);
  core.ok();
};

export const WIFI_SOFTAP_HANDLERS = {
  CWSAP: { query: sapQuery, set: sapSet },
  CWLIF: { exec: listStations },
  CWQIF: { exec: kickAll, set: kickOne },
  CWDHCPS: { query: dhcpsQuery, set: dhcpsSet },
  CIPAP: { query: apAddressQuery, set: apAddressSet },
  CWAPPROTO: { query: apProtoQuery, set: apProtoSet },
  CWSTAPROTO: { query: staProtoQuery, set: staProtoSet },
} satisfies Handlers;

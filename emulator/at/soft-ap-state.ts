import { formatUrc } from '../../firmware-protocol/at/module-output.js';
import { ecnToSecurity } from '../../firmware-protocol/at/security.js';
import { ipToNumber, numberToIp, type SoftApAddress } from '../network/soft-ap.js';
import type { ModuleCore } from './module-core.js';
import { softApMac } from './module-macs.js';
import type { DhcpRangeSettings, PersistentSettings, SoftApSettings } from './module-settings.js';
import { softApIpv6Started, stopSoftApIpv6 } from './softap-ipv6.js';
import { wifiDriverUp } from './wifi-driver.js';

/**
 * The module's softAP as the AT firmware runs it: up in AT+CWMODE 2 and 3, configured from the
 * settings (AT+CWSAP, AT+CIPAP, AT+CWDHCPS, softAP DHCP in AT+CWDHCP) or the profile's factory
 * values, and its station events printed as `+STA_CONNECTED`, `+DIST_STA_IP`, `+STA_DISCONNECTED`.
 */

/** Modules whose softAP is being taken down by a reset: the chip stops, nothing is printed. */
const silenced = new WeakSet<ModuleCore>();

export function softApEnabled(core: ModuleCore): boolean {
  const mode = core.settings.current.cwMode;
  return (mode === 2 || mode === 3) && wifiDriverUp(core);
}

/** AT+CWSAP's values: set ones, or the factory AP (`ESP_` and the softAP MAC's last three bytes). */
export function softApSettings(core: ModuleCore, settings: PersistentSettings = core.settings.current): SoftApSettings {
  if (settings.softAp !== null) return settings.softAp;
  const factory = core.profile.defaults.softAp;
  const tail = core.stack.softAp.bssid.split(':').slice(3).join('').toUpperCase();
  return {
    ssid: `${factory.ssidPrefix}${tail}`,
    password: '',
    channel: factory.channel,
    ecn: factory.ecn,
    maxConn: factory.maxConn,
    hidden: 0,
  };
}

export function softApAddress(core: ModuleCore, settings: PersistentSettings = core.settings.current): SoftApAddress {
  const factory = core.profile.defaults.softAp;
  return settings.apAddress ?? { ip: factory.ip, gateway: factory.ip, netmask: factory.netmask };
}

/** AT+CWDHCPS's range, or the default one: `leaseCount` addresses after the softAP's own. */
export function dhcpRange(core: ModuleCore, settings: PersistentSettings = core.settings.current): DhcpRangeSettings {
  if (settings.dhcpRange !== null) return settings.dhcpRange;
  const factory = core.profile.defaults.softAp;
  const first = ipToNumber(softApAddress(core, settings).ip) + 1;
  return { leaseMinutes: factory.leaseMinutes, start: numberToIp(first), end: numberToIp(first + factory.leaseCount - 1) };
}

/** Brings the stack's softAP in line with the settings; a change of SSID, key or address restarts it. */
export function applySoftAp(core: ModuleCore): void {
  const ap = core.stack.softAp;
  const mac = softApMac(core);
  if (ap.bssid !== mac) ap.setBssid(mac);
  const wanted = softApSettings(core);
  const config = {
    ssid: wanted.ssid,
    password: wanted.password,
    channel: wanted.channel,
    security: ecnToSecurity(wanted.ecn) ?? 'open',
    maxConnections: wanted.maxConn,
    hidden: wanted.hidden === 1,
  };
  const current = ap.config;
  if ((Object.keys(config) as (keyof typeof config)[]).some((key) => config[key] !== current[key])) ap.configure(config);
  const address = softApAddress(core);
  if (address.ip !== ap.address.ip || address.gateway !== ap.address.gateway || address.netmask !== ap.address.netmask) {
    ap.setAddress(address);
  }
  const range = dhcpRange(core);
  ap.setPool({ leaseMinutes: range.leaseMinutes, start: range.start, end: range.end });
  ap.setDhcpServer((core.settings.current.dhcp & 2) !== 0);
  if (softApEnabled(core)) {
    const starting = !ap.isRunning;
    if (starting) core.tracer.note(`softAP "${config.ssid}" up at ${address.ip}`);
    ap.start();
    if (starting) softApIpv6Started(core);
  } else if (ap.isRunning) {
    core.tracer.note('softAP down');
    ap.stop();
    stopSoftApIpv6(core);
  }
}

/** The chip stops: the softAP goes down without a word. */
export function haltSoftAp(core: ModuleCore): void {
  silenced.add(core);
  try {
    core.stack.softAp.stop();
  } finally {
    silenced.delete(core);
  }
}

/** Prints the softAP's station events. */
export function watchSoftAp(core: ModuleCore): void {
  const print = (text: Uint8Array): void => {
    if (!silenced.has(core) && !core.booting) core.urc(text);
  };
  core.stack.softAp.setListener({
    onStationConnected: (mac) => {
      core.tracer.note(`softAP: station ${mac} associated`);
      print(formatUrc({ kind: 'sta-connected', mac }));
    },
    onStationGotIp: (mac, ip) => {
      core.tracer.note(`softAP: leased ${ip} to ${mac}`);
      print(formatUrc({ kind: 'dist-sta-ip', mac, ip }));
    },
    onStationDisconnected: (mac) => {
      core.tracer.note(`softAP: station ${mac} left`);
      print(formatUrc({ kind: 'sta-disconnected', mac }));
    },
  });
}

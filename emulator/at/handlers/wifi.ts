import { isIPv4 } from 'node:net';
import type { FirmwareProfile } from '../../../firmware-protocol/at/profile.js';
import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore, WifiPhase } from '../module-core.js';
import { stationAddress, stationEnabled } from '../station-events.js';
import { softApLinkLocal } from '../softap-ipv6.js';
import { stationIpv6 } from '../station-ipv6.js';
import { softApMac } from '../module-macs.js';
import { stopReconnecting } from '../wifi-reconnect.js';
import { applySoftAp, softApAddress } from '../soft-ap-state.js';
import { settingsFor } from './persistence.js';

/** Wi-Fi mode, leaving the AP, state, auto-connect, DHCP, static IP, local addresses (esp-at.md §3). */

const CWSTATE_CODES: Readonly<Record<WifiPhase, number>> = {
  idle: 0,
  connected: 1,
  'got-ip': 2,
  connecting: 3,
  disconnected: 4,
};

const modeQuery: Handler<'CWMODE', 'query'> = (core, call) => {
  core.reply(call, 'mode', { mode: settingsFor(core, call).cwMode });
  core.ok();
};

const modeSet: Handler<'CWMODE', 'set'> = (core, call) => {
  stopReconnecting(core);
  core.settings.set('cwMode', call.params.mode, call.spec.save);
  core.ok();
  // Without station mode the station interface goes down with its AP; the softAP follows modes 2 and 3.
  if (!stationEnabled(core)) core.stack.station.leave();
  applySoftAp(core);
};

const modeTest: Handler<'CWMODE', 'test'> = (core, call) => {
  core.reply(call, 'range', { range: '(1-3)' });
  core.ok();
};

const quitAp: Handler<'CWQAP', 'exec'> = (core) => {
  stopReconnecting(core);
  core.ok();
  if (core.wifi.phase !== 'idle') core.wifi.phase = 'disconnected';
  // WIFI DISCONNECT (when associated) comes from the station listener, after OK.
  core.stack.station.leave();
};

const stateQuery: Handler<'CWSTATE', 'query'> = (core, call) => {
  const ssid = core.stack.station.info().ssid ?? (core.wifi.phase === 'idle' ? '' : core.settings.current.join?.ssid ?? '');
  core.reply(call, 'state', { state: CWSTATE_CODES[core.wifi.phase], ssid });
  core.ok();
};

/** The DHCP bitmask between the settings' order (bit 0 station, bit 1 softAP) and the profile's. */
function dhcpBits(profile: FirmwareProfile, bits: number): number {
  if (profile.layout.dhcpBitOrder === 'station-first') return bits;
  return ((bits & 1) << 1) | ((bits & 2) >> 1);
}

const dhcpQuery: Handler<'CWDHCP', 'query'> = (core, call) => {
  core.reply(call, 'state', { state: dhcpBits(core.profile, settingsFor(core, call).dhcp) });
  core.ok();
};

const dhcpSet: Handler<'CWDHCP', 'set'> = (core, call) => {
  const { mode, operate, en } = call.params;
  // NonOS: `<mode>,<en>`, mode 0 softAP, 1 station, 2 both, i.e. bitmask mode+1 in its bit order.
  const nonos = call.variant === 'nonos';
  const bits = dhcpBits(core.profile, nonos ? mode + 1 : mode);
  const enable = (nonos ? en : operate) === 1;
  const current = core.settings.current.dhcp;
  core.settings.set('dhcp', enable ? current | bits : current & ~bits, call.spec.save);
  if (enable && (bits & 1) !== 0) core.settings.set('staticIp', null, call.spec.save);
  if (enable && (bits & 2) !== 0) core.settings.set('apAddress', null, call.spec.save);
  applySoftAp(core);
  core.ok();
};

/** The station's IPv6 addresses as the tags of CIPSTA? (`ip6ll`, `ip6gl`) or CIFSR (`STAIP6LL`, ...). */
function ipv6Tags<L extends string, G extends string>(core: ModuleCore, ll: L, gl: G): Partial<Record<L | G, string>> {
  const { linkLocal, global } = stationIpv6(core);
  return { ...(linkLocal ? { [ll]: linkLocal } : {}), ...(global ? { [gl]: global } : {}) } as Partial<Record<L | G, string>>;
}

const staQuery: Handler<'CIPSTA', 'query'> = (core, call) => {
  core.reply(call, 'address', { ...stationAddress(core), ...ipv6Tags(core, 'ip6ll', 'ip6gl') });
  core.ok();
};

/** A static station address: reported from then on, and station DHCP is off. */
const staSet: Handler<'CIPSTA', 'set'> = (core, call) => {
  const { ip } = call.params;
  const gateway = call.params.gateway ?? ip.replace(/\.\d+$/, '.1');
  const netmask = call.params.netmask ?? '255.255.255.0';
  if (![ip, gateway, netmask].every((text) => isIPv4(text))) return core.error('param-invalid');
  core.settings.set('staticIp', { ip, gateway, netmask }, call.spec.save);
  core.settings.set('dhcp', core.settings.current.dhcp & ~1, call.spec.save);
  core.tracer.note(`static station address ${ip} (reported only: traffic still uses the host's addresses)`);
  core.ok();
};

/** AT+CIFSR: softAP lines first, then the station's. */
const localAddresses: Handler<'CIFSR', 'exec'> = (core, call) => {
  const mode = core.settings.current.cwMode;
  const mac = core.stack.station.info().mac;
  const apLinkLocal = softApLinkLocal(core);
  const softAp = mode === 2 || mode === 3 ? { APIP: softApAddress(core).ip, ...(apLinkLocal ? { APIP6LL: apLinkLocal } : {}), APMAC: softApMac(core) } : {};
  const station = mode === 1 || mode === 3 ? { STAIP: stationAddress(core).ip, ...ipv6Tags(core, 'STAIP6LL', 'STAIP6GL'), STAMAC: mac } : {};
  core.reply(call, 'addresses', { ...softAp, ...station });
  core.ok();
};

export const WIFI_HANDLERS = {
  CWMODE: { query: modeQuery, set: modeSet, test: modeTest },
  CWQAP: { exec: quitAp },
  CWSTATE: { query: stateQuery },
  CWAUTOCONN: {
    query: (core, call) => {
      core.reply(call, 'enable', { enable: core.settings.current.autoConnect ? 1 : 0 });
      core.ok();
    },
    set: (core, call) => {
      core.settings.set('autoConnect', call.params.enable === 1, 'flash');
      core.ok();
    },
  },
  CWDHCP: { query: dhcpQuery, set: dhcpSet },
  CIPSTA: { query: staQuery, set: staSet },
  CIFSR: { exec: localAddresses },
} satisfies Handlers;

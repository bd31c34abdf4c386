import { formatUrc } from '../../firmware-protocol/at/module-output.js';
import type { ModuleCore } from './module-core.js';
import { startIpv6, stopIpv6 } from './station-ipv6.js';
import { startReconnecting } from './wifi-reconnect.js';
import { wifiDriverUp } from './wifi-driver.js';

/**
 * The station's events as the firmware prints them: `WIFI CONNECTED`, `WIFI GOT IP`,
 * `WIFI DISCONNECT`. The network stack closes every link right after a disconnect (its own
 * observer runs after this listener), so `WIFI DISCONNECT` comes before the links' `CLOSED`.
 */
export function watchStation(core: ModuleCore): void {
  core.stack.station.setListener({
    onConnected: () => {
      core.wifi.phase = 'connected';
      core.wifi.announced = true;
      core.tracer.note(`station associated with ${core.stack.station.info().ssid ?? '?'}`);
      core.urc(formatUrc({ kind: 'wifi-connected' }));
    },
    onGotIp: () => {
      core.wifi.phase = 'got-ip';
      core.wifi.hadLinks = false;
      core.tracer.note(`station got IP ${core.stack.station.info().ip}`);
      core.urc(formatUrc({ kind: 'wifi-got-ip' }));
      startIpv6(core);
    },
    onDisconnected: (reason) => {
      core.wifi.phase = 'disconnected';
      stopIpv6(core);
      core.tracer.note(`station disconnected (${reason === 'lost' ? 'AP lost' : 'left'})`);
      if (core.wifi.announced) {
        core.wifi.announced = false;
        core.urc(formatUrc({ kind: 'wifi-disconnect' }));
      }
      // A passive loss: the firmware's reconnection (AT+CWRECONNCFG) takes over.
      if (reason === 'lost') startReconnecting(core);
    },
  });
}

/** The station's address as the firmware reports it (a static AT+CIPSTA address wins over DHCP). */
export function stationAddress(core: ModuleCore): { ip: string; gateway: string; netmask: string } {
  const info = core.stack.station.info();
  const fixed = core.settings.current.staticIp;
  if (fixed) return { ip: fixed.ip, gateway: fixed.gateway, netmask: fixed.netmask };
  return { ip: info.ip, gateway: info.gateway, netmask: info.netmask };
}

/** True when the module has an IPv4 address: the station's (DHCP done), or its softAP's while it is up. */
export function hasIp(core: ModuleCore): boolean {
  return core.stack.station.info().ip !== '0.0.0.0' || core.stack.softAp.isRunning;
}

/** Station commands need station mode: AT+CWMODE 1 or 3 (and the Wi-Fi driver: AT+CWINIT). */
export function stationEnabled(core: ModuleCore): boolean {
  const mode = core.settings.current.cwMode;
  return (mode === 1 || mode === 3) && wifiDriverUp(core);
}

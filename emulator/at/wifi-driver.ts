import type { CommandSpec } from '../../firmware-protocol/at/command-spec.js';
import type { CommandForm } from '../../firmware-protocol/at/types.js';
import type { ModuleCore } from './module-core.js';

/**
 * Whether the Wi-Fi driver is initialised (ESP-AT 4.x's AT+CWINIT; the core's s_wifi_inited). It
 * is, after every boot (the setting is not saved); AT+CWINIT=0 deinitialises it until AT+CWINIT=1
 * or the next reset. While it is down the station and softAP are off (stationEnabled and
 * softApEnabled say no), and the Wi-Fi commands answer ERROR: each firmware handler meets
 * ESP_ERR_WIFI_NOT_INIT in its own way, and copro gives them all a plain ERROR (UNSURE: the exact
 * answer per command). AT+CWINIT itself and the AT+CWCONFIG query (which prints 0 for what the
 * driver cannot give) still answer.
 */

const down = new WeakMap<ModuleCore, number>();

export function wifiDriverUp(core: ModuleCore): boolean {
  return down.get(core) !== core.epoch;
}

export function setWifiDriverUp(core: ModuleCore, up: boolean): void {
  if (up) down.delete(core);
  else down.set(core, core.epoch);
}

/** Commands that still answer without the driver: AT+CWINIT, and AT+CWCONFIG? (zeros). */
function answersWithoutDriver(spec: CommandSpec, form: CommandForm): boolean {
  return spec.command === 'CWINIT' || (spec.command === 'CWCONFIG' && form === 'query');
}

/** True when the command is a Wi-Fi one the deinitialised driver refuses (the dispatcher answers ERROR). */
export function refusedWithoutDriver(core: ModuleCore, spec: CommandSpec, form: CommandForm): boolean {
  return spec.area === 'wifi' && !wifiDriverUp(core) && !answersWithoutDriver(spec, form);
}

/**
 * The station inactive time AT+CWCONFIG set (saved ones again at boot) as the station's beacon
 * timeout, in module time. Never set: the station drops a lost AP at once, as before AT+CWCONFIG
 * existed (UNSURE: the firmware's default is 6 s; copro keeps every profile's AP loss immediate).
 */
export function applyStationInactiveTime(core: ModuleCore): void {
  const config = core.settings.current.wifiConfig;
  core.stack.station.setBeaconTimeout(config === null ? 0 : core.scaledMs(config.staInactiveTime * 1000));
}

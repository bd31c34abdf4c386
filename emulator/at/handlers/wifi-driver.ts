import { CWCONFIG_DEFAULTS } from '../../../firmware-protocol/at/commands/wifi-driver.js';
import type { Handler, Handlers } from '../handler-types.js';
import { applySoftAp } from '../soft-ap-state.js';
import { applyStationInactiveTime, setWifiDriverUp, wifiDriverUp } from '../wifi-driver.js';
import { stopReconnecting } from '../wifi-reconnect.js';

/**
 * AT+CWINIT and AT+CWCONFIG (ESP-AT 4.x; Wi-Fi_AT_Commands.rst v4.1.1.0 and the core library's
 * at_setup_cmd_cwinit / at_setup_cmd_cwconfig / at_query_cmd_cwconfig).
 */

const initQuery: Handler<'CWINIT', 'query'> = (core, call) => {
  core.reply(call, 'init', { init: wifiDriverUp(core) ? 1 : 0 });
  core.ok();
};

/**
 * The firmware's deinit sets the mode to null in RAM (the saved AT+CWMODE stays), stops and frees
 * the driver: the station leaves its AP (`WIFI DISCONNECT` after OK, as AT+CWMODE=0 prints it;
 * UNSURE whether before or after OK) and the softAP goes down. Init brings the softAP back in modes
 * 2 and 3; the station does not rejoin by itself (UNSURE). The same value again is just OK.
 */
const initSet: Handler<'CWINIT', 'set'> = (core, call) => {
  const up = call.params.init === 1;
  if (up === wifiDriverUp(core)) return core.ok();
  setWifiDriverUp(core, up);
  if (!up) stopReconnecting(core);
  core.ok();
  if (!up) {
    if (core.wifi.phase !== 'idle') core.wifi.phase = 'disconnected';
    core.stack.station.leave();
  }
  applySoftAp(core);
};

/**
 * The query reads the driver (esp_wifi_get_inactive_time, the station config's listen interval,
 * which AT+CWJAP's listen_interval sets too); with the driver down each read fails and prints 0.
 */
const configQuery: Handler<'CWCONFIG', 'query'> = (core, call) => {
  if (!wifiDriverUp(core)) {
    core.reply(call, 'config', { ap_inactive_time: 0, sta_inactive_time: 0, listen_interval: 0 });
    return core.ok();
  }
  const { apInactiveTime, staInactiveTime, listenInterval } = core.settings.current.wifiConfig ?? CWCONFIG_DEFAULTS;
  core.reply(call, 'config', {
    ap_inactive_time: apInactiveTime,
    sta_inactive_time: staInactiveTime,
    listen_interval: core.settings.current.join?.listenInterval ?? listenInterval,
  });
  core.ok();
};

/**
 * An omitted value keeps the current one. The station inactive time is applied: after its AP goes
 * off the air the station stays associated that long (module time) before `WIFI DISCONNECT`. The
 * softAP inactive time and the listen interval are recorded and reported only (the emulated softAP
 * tracks no per-station traffic; power save is not emulated). The listen interval is the station
 * config's, so the saved join's listen interval follows it.
 */
const configSet: Handler<'CWCONFIG', 'set'> = (core, call) => {
  const current = core.settings.current.wifiConfig ?? CWCONFIG_DEFAULTS;
  const config = {
    apInactiveTime: call.params.ap_inactive_time ?? current.apInactiveTime,
    staInactiveTime: call.params.sta_inactive_time ?? current.staInactiveTime,
    listenInterval: call.params.listen_interval ?? current.listenInterval,
  };
  core.settings.set('wifiConfig', config, call.spec.save);
  const join = core.settings.current.join;
  if (join && call.params.listen_interval !== undefined) {
    core.settings.set('join', { ...join, listenInterval: call.params.listen_interval }, call.spec.save);
  }
  applyStationInactiveTime(core);
  core.ok();
};

export const WIFI_DRIVER_HANDLERS = {
  CWINIT: { query: initQuery, set: initSet },
  CWCONFIG: { query: configQuery, set: configSet },
} satisfies Handlers;

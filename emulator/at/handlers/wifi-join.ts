import { finalResult } from '../../../firmware-protocol/at/module-output.js';
import type { CommandCall } from '../handler-types.js';
import { JoinError, type JoinFailure } from '../../network/types.js';
import type { SetParams } from '../../../firmware-protocol/at/commands/command-types.js';
import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import type { JoinConfig } from '../module-settings.js';
import { stationEnabled } from '../station-events.js';
import { stopReconnecting } from '../wifi-reconnect.js';

/** AT+CWJAP (and 1.7's CWJAP_CUR / CWJAP_DEF): join, query, and the stored-config reconnect. */

const JOIN_CODES: Readonly<Record<JoinFailure, number>> = {
  timeout: 1,
  'wrong-password': 2,
  'no-ap': 3,
  failed: 4,
};

function configFrom(core: ModuleCore, params: SetParams<'CWJAP'>, ssid: string, previous: JoinConfig | null): JoinConfig {
  const omitted = core.profile.defaults.join;
  return {
    ssid,
    password: params.pwd ?? (previous?.ssid === ssid ? previous.password : ''),
    bssid: params.bssid ?? null,
    pciEn: params.pci_en ?? 0,
    listenInterval: params.listen_interval ?? omitted.listenInterval,
    scanMode: params.scan_mode ?? omitted.scanMode,
    pmf: params.pmf ?? omitted.pmf,
  };
}

/**
 * Runs a join to its end: `WIFI CONNECTED` / `WIFI GOT IP` come from the station listener, then
 * OK; a failure prints `+CWJAP:<code>` and the profile's final (ERROR in 2.x, FAIL in 1.7).
 */
async function join(core: ModuleCore, call: CommandCall<'CWJAP'>, config: JoinConfig, timeoutMs: number): Promise<void> {
  const epoch = core.epoch;
  const attempt = ++core.wifi.attempt;
  core.wifi.phase = 'connecting';
  core.tracer.note(`joining "${config.ssid}"`);
  try {
    await core.stack.station.join(config.ssid, config.password, {
      bssid: config.bssid ?? undefined,
      timeoutMs,
    });
  } catch (error) {
    if (!core.isCurrent(epoch)) return;
    if (core.wifi.attempt === attempt) core.wifi.phase = 'disconnected';
    const failure: JoinFailure = error instanceof JoinError ? error.failure : 'failed';
    core.tracer.note(`join failed: ${failure}`);
    core.reply(call, 'failure', { code: JOIN_CODES[failure] });
    if (core.profile.joinFailResult === 'FAIL') core.write(finalResult('FAIL'));
    else core.error('exec-failed');
    return;
  }
  if (core.isCurrent(epoch)) core.ok();
}

const joinSet: Handler<'CWJAP', 'set'> = (core, call) => {
  if (!stationEnabled(core)) return core.error('exec-failed');
  const previous = core.settings.current.join;
  const { ssid } = call.params;
  // Both omitted (`AT+CWJAP=,`): the last configuration.
  const config = ssid === undefined ? previous : configFrom(core, call.params, ssid, previous);
  if (!config) return core.error('exec-failed');
  stopReconnecting(core);
  core.settings.set('join', config, call.spec.save);
  core.settings.set('enterpriseJoin', null, call.spec.save);
  // reconn_interval is AT+CWRECONNCFG's interval (left out: 1 s); the attempt count stays.
  const interval = call.params.reconn_interval ?? core.profile.defaults.join.reconnInterval;
  core.settings.set('wifiReconnect', { ...core.settings.current.wifiReconnect, interval }, call.spec.save);
  const timeoutMs = call.params.jap_timeout === undefined ? core.profile.timing.joinTimeoutMs : call.params.jap_timeout * 1000;
  return join(core, call, config, timeoutMs);
};

const joinExec: Handler<'CWJAP', 'exec'> = (core, call) => {
  const config = core.settings.current.join;
  if (!stationEnabled(core) || !config) return core.error('exec-failed');
  stopReconnecting(core);
  return join(core, call, config, core.profile.timing.joinTimeoutMs);
};

const joinQuery: Handler<'CWJAP', 'query'> = (core, call) => {
  const info = core.stack.station.info();
  if (!info.connected) {
    // Console output: on the ESP32 it goes to the log UART, and only OK reaches the host.
    if (!core.profile.layout.consoleOnAtPort) core.tracer.note('AT+CWJAP?: "No AP" goes to the console, not the AT port');
    core.reply(call, 'noAp', 'No AP');
    return core.ok();
  }
  const joined = { ssid: info.ssid ?? '', bssid: info.bssid ?? '', channel: info.channel, rssi: info.rssi };
  // The settings after the first four come from the join (NonOS's variant prints only those four).
  const config = core.settings.current.join;
  const settings = config && {
    pci_en: config.pciEn,
    reconn_interval: core.settings.current.wifiReconnect.interval,
    listen_interval: config.listenInterval,
    scan_mode: config.scanMode,
    pmf: config.pmf,
  };
  core.reply(call, 'joined', { ...joined, ...settings });
  core.ok();
};

/** NonOS's names have no exec form (reconnect-from-flash is 2.x's `AT+CWJAP`): its variant says so. */
export const WIFI_JOIN_HANDLERS = {
  CWJAP: { query: joinQuery, set: joinSet, exec: joinExec },
} satisfies Handlers;

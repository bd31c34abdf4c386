import { finalResult } from '../../../firmware-protocol/at/module-output.js';
import { JoinError, type JoinFailure } from '../../network/types.js';
import type { CommandCall, CommandHandler, HandlerTable } from '../handler-types.js';
import { intParam, strParam } from '../handler-types.js';
import { DEFAULT_JOIN_TIMEOUT_MS } from '../lifecycle.js';
import type { ModuleCore } from '../module-core.js';
import type { JoinConfig } from '../module-settings.js';
import { stationEnabled } from '../station-events.js';
import { persistenceOf } from './persistence.js';

/** AT+CWJAP (and 1.7's CWJAP_CUR / CWJAP_DEF): join, query, and the stored-config reconnect. */

const JOIN_CODES: Readonly<Record<JoinFailure, number>> = {
  timeout: 1,
  'wrong-password': 2,
  'no-ap': 3,
  failed: 4,
};

const V17 = 'esp8266-at-1.7';

function configFrom(call: CommandCall, ssid: string, previous: JoinConfig | null): JoinConfig {
  return {
    ssid,
    password: strParam(call, 'pwd') ?? (previous?.ssid === ssid ? previous.password : ''),
    bssid: strParam(call, 'bssid') ?? null,
    pciEn: intParam(call, 'pci_en', 0),
    reconnInterval: intParam(call, 'reconn_interval', 1),
    listenInterval: intParam(call, 'listen_interval', 3),
    scanMode: intParam(call, 'scan_mode', 0),
    pmf: intParam(call, 'pmf', 0),
  };
}

/**
 * Runs a join to its end: `WIFI CONNECTED` / `WIFI GOT IP` come from the station listener, then
 * OK; a failure prints `+CWJAP:<code>` and the profile's final (ERROR in 2.x, FAIL in 1.7).
 */
async function join(core: ModuleCore, name: string, config: JoinConfig, timeoutMs: number): Promise<void> {
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
    core.info(name, String(JOIN_CODES[failure]));
    if (core.profile.joinFailResult === 'FAIL') core.write(finalResult('FAIL'));
    else core.error('exec-failed');
    return;
  }
  if (core.isCurrent(epoch)) core.ok();
}

const joinSet: CommandHandler = (core, call) => {
  if (!stationEnabled(core)) return core.error('exec-failed');
  const previous = core.settings.current.join;
  const ssid = strParam(call, 'ssid');
  // Both omitted (`AT+CWJAP=,`): the last configuration.
  const config = ssid === undefined ? previous : configFrom(call, ssid, previous);
  if (!config) return core.error('exec-failed');
  core.settings.set('join', config, persistenceOf(core, call.spec.name));
  const timeoutMs = intParam(call, 'jap_timeout', DEFAULT_JOIN_TIMEOUT_MS / 1000) * 1000;
  return join(core, call.spec.name, config, timeoutMs);
};

const joinExec: CommandHandler = (core, call) => {
  const config = core.settings.current.join;
  if (!stationEnabled(core) || !config) return core.error('exec-failed');
  return join(core, call.spec.name, config, DEFAULT_JOIN_TIMEOUT_MS);
};

const joinQuery: CommandHandler = (core, call) => {
  const info = core.stack.station.info();
  if (!info.connected) {
    core.line('No AP');
    return core.ok();
  }
  const base = `"${info.ssid ?? ''}","${info.bssid ?? ''}",${info.channel},${info.rssi}`;
  const config = core.settings.current.join;
  const extra =
    core.profile.id === V17 || !config
      ? ''
      : `,${config.pciEn},${config.reconnInterval},${config.listenInterval},${config.scanMode},${config.pmf}`;
  core.info(call.spec.name, base + extra);
  core.ok();
};

/** 1.7's _CUR/_DEF variants have no exec form (reconnect-from-flash is 2.x's `AT+CWJAP`). */
const VARIANT_HANDLERS = { query: joinQuery, set: joinSet };

export const WIFI_JOIN_HANDLERS: HandlerTable = {
  CWJAP: { ...VARIANT_HANDLERS, exec: joinExec },
  CWJAP_CUR: VARIANT_HANDLERS,
  CWJAP_DEF: VARIANT_HANDLERS,
};

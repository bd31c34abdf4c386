import { replyText } from '../../../firmware-protocol/at/grammar/replies.js';
import { ascii } from '../../../firmware-protocol/at/module-output.js';
import type { CommandCall, Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import type { JoinConfig } from '../module-settings.js';
import { stationEnabled } from '../station-events.js';
import { stopReconnecting } from '../wifi-reconnect.js';

/**
 * AT+WPS=<enable>[,<auth floor>] (Wi-Fi_AT_Commands.rst; the firmware's at_setup_cmd_wps and
 * at_wps_event_handler). Every message of the firmware's WPS code ("wps started", "wps success,
 * connecting to ap...") goes to its console, so the AT port shows only `OK`, and after a success
 * the join's `WIFI CONNECTED` / `WIFI GOT IP`. The station looks for an AP whose push button is
 * pressed (the world's `wpsButton`); none within ESP-IDF's 2-minute walk time (module time), or
 * two at once (PBC overlap), and the session ends without a word on the AT port. NonOS 1.7 (its `nonos`
 * variant) prints its WPS lines on the AT port: `wps started` before OK, then `wps success,connecting ap ...`
 * before the join's lines, or `wps fail` (a timeout or an overlap).
 */

/** ESP-IDF's PBC walk time: WPS_EVENT_TIMEOUT after two minutes. */
const WPS_WALK_TIME_MS = 120_000;

interface WpsSession {
  readonly epoch: number;
  done: boolean;
  /** NonOS: the call whose variant prints `wps success…` / `wps fail`. */
  readonly call: CommandCall<'WPS', unknown> | null;
}

/** NonOS's at_wps_status_cb line (nothing on 2.x). */
function statusLine(core: ModuleCore, session: WpsSession, key: 'success' | 'fail'): void {
  if (session.call !== null) core.urc(ascii(replyText(core.profile, session.call.spec, key, {})));
}

const sessions = new WeakMap<ModuleCore, WpsSession>();

function stopWps(core: ModuleCore): void {
  const session = sessions.get(core);
  if (session) session.done = true;
  sessions.delete(core);
}

async function runWps(core: ModuleCore, session: WpsSession): Promise<void> {
  const deadline = core.clock.now() + core.scaledMs(WPS_WALK_TIME_MS);
  const live = (): boolean => !session.done && core.isCurrent(session.epoch);
  for (;;) {
    let found: Awaited<ReturnType<typeof core.stack.station.wpsPushButton>>;
    try {
      found = await core.stack.station.wpsPushButton();
    } catch {
      return stopWps(core);
    }
    if (!live()) return;
    if (found === 'overlap') {
      core.tracer.note('WPS: push-button overlap (several APs), WPS failed');
      statusLine(core, session, 'fail');
      return stopWps(core);
    }
    if (found !== null) return joinWithCredentials(core, session, found);
    if (core.clock.now() >= deadline) {
      core.tracer.note('WPS: no AP with its button pressed within the walk time, WPS timed out');
      statusLine(core, session, 'fail');
      return stopWps(core);
    }
  }
}

function joinWithCredentials(core: ModuleCore, session: WpsSession, found: { ssid: string; password: string; bssid: string }): void {
  stopWps(core);
  core.tracer.note(`WPS: credentials of "${found.ssid}", connecting`);
  statusLine(core, session, 'success');
  const omitted = core.profile.defaults.join;
  const config: JoinConfig = {
    ssid: found.ssid,
    password: found.password,
    bssid: null,
    pciEn: 0,
    listenInterval: omitted.listenInterval,
    scanMode: omitted.scanMode,
    pmf: omitted.pmf,
  };
  core.settings.set('join', config);
  const attempt = ++core.wifi.attempt;
  core.wifi.phase = 'connecting';
  core.stack.station
    .join(config.ssid, config.password, { timeoutMs: core.profile.timing.joinTimeoutMs })
    .catch((error: Error) => {
      if (core.isCurrent(session.epoch) && core.wifi.attempt === attempt) core.wifi.phase = 'disconnected';
      core.tracer.note(`WPS join failed: ${error.message}`);
    });
}

const wpsSet: Handler<'WPS', 'set'> = (core, call) => {
  if (call.variant === 'nonos') return nonosWpsSet(core, call);
  stopWps(core);
  if (call.params.enable === 0) return core.ok();
  // esp_wifi_wps_enable fails without the station interface.
  if (!stationEnabled(core)) return core.error('exec-failed');
  stopReconnecting(core);
  const session: WpsSession = { epoch: core.epoch, done: false, call: null };
  sessions.set(core, session);
  core.ok();
  void runWps(core, session);
};

/** NonOS: station mode only (opmode 1); every outcome has its line before the final result. */
const nonosWpsSet: Handler<'WPS', 'set'> = (core, call) => {
  if (core.settings.current.cwMode !== 1) {
    core.reply(call, 'mismatch', {});
    return core.error();
  }
  const { enable } = call.params;
  if (enable !== 0 && enable !== 1) {
    core.reply(call, 'commandError', {});
    return core.error();
  }
  stopWps(core);
  if (enable === 0) {
    core.reply(call, 'stopped', {});
    return core.ok();
  }
  stopReconnecting(core);
  const session: WpsSession = { epoch: core.epoch, done: false, call };
  sessions.set(core, session);
  core.reply(call, 'started', {});
  core.ok();
  void runWps(core, session);
};

export const WIFI_WPS_HANDLERS = { WPS: { set: wpsSet } } satisfies Handlers;

import { formatLine } from '../../../firmware-protocol/at/grammar/line-format.js';
import { SMARTCONFIG_LINES } from '../../../firmware-protocol/at/messages.js';
import { ascii } from '../../../firmware-protocol/at/module-output.js';
import type { ClockTimer } from '../../../runtime/clock.js';
import type { SmartConfigPhone } from '../../network/radio-world.js';
import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import { stationEnabled } from '../station-events.js';
import { stopReconnecting } from '../wifi-reconnect.js';

/**
 * AT+CWSTARTSMART / AT+CWSTOPSMART (Wi-Fi_AT_Commands.rst; at_smartconfig_event_handler). `OK`,
 * then, when the world's phone sends credentials over a protocol the chosen type listens for:
 * `smartconfig type:<T>`, `Smart get wifi info`, `ssid:<ssid>`, `password:<pwd>` (ESP-Touch v2:
 * `+SCRD:<len>,<data>`), the join's `WIFI CONNECTED` / `WIFI GOT IP`, and `smartconfig connected
 * wifi`. Without a phone SmartConfig listens on (ESP-IDF restarts it after its timeout) and the AT
 * port stays silent until AT+CWSTOPSMART.
 */

const TYPE_NAMES: Readonly<Record<SmartConfigPhone['protocol'], string>> = {
  esptouch: 'ESPTOUCH',
  airkiss: 'AIRKISS',
  'esptouch-v2': 'ESPTOUCH_V2',
};

/** Which phone protocols each `<type>` listens for. */
const LISTENS: Readonly<Record<number, readonly SmartConfigPhone['protocol'][]>> = {
  1: ['esptouch'],
  2: ['airkiss'],
  3: ['esptouch', 'airkiss'],
  4: ['esptouch-v2'],
};

interface SmartSession {
  readonly epoch: number;
  timer: ClockTimer | null;
}

const sessions = new WeakMap<ModuleCore, SmartSession>();

function stopSmart(core: ModuleCore): void {
  const session = sessions.get(core);
  if (session?.timer) core.clock.clearTimeout(session.timer);
  sessions.delete(core);
}

function line(core: ModuleCore, key: keyof typeof SMARTCONFIG_LINES, values: Record<string, string | number> = {}): void {
  core.urc(ascii(formatLine(SMARTCONFIG_LINES[key], values, {})));
}

function received(core: ModuleCore, session: SmartSession, phone: SmartConfigPhone): void {
  session.timer = null;
  if (!core.isCurrent(session.epoch) || sessions.get(core) !== session) return;
  line(core, 'type', { type: TYPE_NAMES[phone.protocol] });
  line(core, 'gotInfo');
  line(core, 'ssid', { ssid: phone.ssid });
  line(core, 'password', { password: phone.password });
  if (phone.protocol === 'esptouch-v2' && phone.reservedData !== undefined) {
    line(core, 'reservedData', { length: Buffer.byteLength(phone.reservedData), data: phone.reservedData });
  }
  const omitted = core.profile.defaults.join;
  const config = { ssid: phone.ssid, password: phone.password, bssid: null, pciEn: 0, listenInterval: omitted.listenInterval, scanMode: omitted.scanMode, pmf: omitted.pmf };
  core.settings.set('join', config);
  const attempt = ++core.wifi.attempt;
  core.wifi.phase = 'connecting';
  core.stack.station.join(config.ssid, config.password, { timeoutMs: core.profile.timing.joinTimeoutMs }).then(
    () => {
      if (core.isCurrent(session.epoch) && sessions.get(core) === session) line(core, 'connected');
    },
    (error: Error) => {
      // "smartconfig connect fail" is console output.
      if (core.isCurrent(session.epoch) && core.wifi.attempt === attempt) core.wifi.phase = 'disconnected';
      core.tracer.note(`SmartConfig join failed: ${error.message}`);
    },
  );
}

function start(core: ModuleCore, type: number): void {
  stopSmart(core);
  stopReconnecting(core);
  const session: SmartSession = { epoch: core.epoch, timer: null };
  sessions.set(core, session);
  core.ok();
  const phone = core.world.smartConfigPhone;
  if (phone === undefined || !LISTENS[type].includes(phone.protocol)) {
    core.tracer.note('SmartConfig: no phone speaking this type; listening');
    return;
  }
  session.timer = core.clock.setTimeout(() => received(core, session, phone), core.scaledMs(phone.afterMs));
}

/** esp_smartconfig_start needs the station interface. */
const startExec: Handler<'CWSTARTSMART', 'exec'> = (core) => (stationEnabled(core) ? start(core, 3) : core.error('exec-failed'));

const startSet: Handler<'CWSTARTSMART', 'set'> = (core, call) => {
  const { type, esptouch_v2_key } = call.params;
  // The v2 key is 16 bytes when given.
  if (esptouch_v2_key !== undefined && Buffer.byteLength(esptouch_v2_key, 'latin1') !== 16) return core.error('param-invalid');
  return stationEnabled(core) ? start(core, type) : core.error('exec-failed');
};

const stopExec: Handler<'CWSTOPSMART', 'exec'> = (core) => {
  stopSmart(core);
  core.ok();
};

export const WIFI_SMARTCONFIG_HANDLERS = {
  CWSTARTSMART: { exec: startExec, set: startSet },
  CWSTOPSMART: { exec: stopExec },
} satisfies Handlers;

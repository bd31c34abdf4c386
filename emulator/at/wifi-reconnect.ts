import type { ClockTimer } from '../../runtime/clock.js';
import type { ModuleCore } from './module-core.js';
import { stationEnabled } from './station-events.js';

/**
 * The firmware's Wi-Fi reconnection (AT+CWRECONNCFG, a join's reconn_interval): after the AP is
 * lost, or an auto-connect at power-on fails, the station tries the saved AP again every
 * `interval` seconds (module time, world-scaled), `repeat` times (0: until it succeeds). Attempts
 * print nothing of their own on the AT port (the firmware's "wifi reconnect..(n/m)" is console
 * output); a success prints `WIFI CONNECTED` and `WIFI GOT IP` as any join does. A join, a leave,
 * a mode change, AT+CWRECONNCFG and a reset stop it.
 */

interface Reconnection {
  readonly epoch: number;
  tries: number;
  timer: ClockTimer | null;
}

const running = new WeakMap<ModuleCore, Reconnection>();

export function startReconnecting(core: ModuleCore): void {
  stopReconnecting(core);
  const { interval } = core.settings.current.wifiReconnect;
  if (interval <= 0 || !core.settings.current.join || !stationEnabled(core)) return;
  const reconnection: Reconnection = { epoch: core.epoch, tries: 0, timer: null };
  running.set(core, reconnection);
  scheduleAttempt(core, reconnection);
}

export function stopReconnecting(core: ModuleCore): void {
  const reconnection = running.get(core);
  if (!reconnection) return;
  running.delete(core);
  if (reconnection.timer) core.clock.clearTimeout(reconnection.timer);
}

export function isReconnecting(core: ModuleCore): boolean {
  return running.has(core);
}

function scheduleAttempt(core: ModuleCore, reconnection: Reconnection): void {
  const delay = core.scaledMs(core.settings.current.wifiReconnect.interval * 1000);
  reconnection.timer = core.clock.setTimeout(() => {
    reconnection.timer = null;
    void attempt(core, reconnection);
  }, delay);
}

async function attempt(core: ModuleCore, reconnection: Reconnection): Promise<void> {
  const join = core.settings.current.join;
  if (running.get(core) !== reconnection || !core.isCurrent(reconnection.epoch) || !join) return;
  const { repeat } = core.settings.current.wifiReconnect;
  reconnection.tries += 1;
  core.tracer.note(`wifi reconnect..(${reconnection.tries}/${repeat})`);
  const attemptNumber = ++core.wifi.attempt;
  core.wifi.phase = 'connecting';
  try {
    await core.stack.station.join(join.ssid, join.password, {
      bssid: join.bssid ?? undefined,
      timeoutMs: core.profile.timing.joinTimeoutMs,
    });
    if (running.get(core) === reconnection) running.delete(core);
  } catch (error) {
    if (running.get(core) !== reconnection || !core.isCurrent(reconnection.epoch)) return;
    if (core.wifi.attempt === attemptNumber) core.wifi.phase = 'disconnected';
    core.tracer.note(`wifi reconnect failed: ${(error as Error).message}`);
    if (repeat !== 0 && reconnection.tries >= repeat) {
      running.delete(core);
      return;
    }
    scheduleAttempt(core, reconnection);
  }
}

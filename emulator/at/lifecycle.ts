import { formatUrc } from '../../firmware-protocol/at/module-output.js';
import type { ClockTimer } from '../../runtime/clock.js';
import type { ModuleCore } from './module-core.js';
import { bootHostname, stationMac } from './module-macs.js';
import { stationEnabled } from './station-events.js';
import { startReconnecting, stopReconnecting } from './wifi-reconnect.js';
import { stopSntp } from './sntp-client.js';
import { stopSoftApIpv6 } from './softap-ipv6.js';
import { stopIpv6 } from './station-ipv6.js';
import { startSavedPassthrough, stopPassthroughReconnect } from './passthrough-reconnect.js';
import { applySoftAp, haltSoftAp } from './soft-ap-state.js';
import { applyStationInactiveTime } from './wifi-driver.js';

const bootTimers = new WeakMap<ModuleCore, ClockTimer>();

/**
 * Power-on: RAM settings load from flash, and after the profile's boot time the firmware prints
 * `\r\nready\r\n`, then joins the saved AP if AT+CWAUTOCONN allows. Resolves once `ready` is out.
 */
export function boot(core: ModuleCore): Promise<void> {
  core.booting = true;
  core.settings.boot();
  core.time.boot();
  // The MAC the firmware applies from NVS at start-up (AT+CIPSTAMAC), else the chip's own.
  core.stack.station.setMac(core.settings.current.stationMac);
  core.settings.volatile.hostname = bootHostname(core.settings.volatile.hostname, stationMac(core));
  core.stack.station.setHostname(core.settings.volatile.hostname);
  // AT+CWCONFIG's saved station inactive time (ESP-AT 4.x).
  applyStationInactiveTime(core);
  // A reset brings the UART back to the stored default (115200 unless AT+UART_DEF changed it).
  if (core.uartRateSet) core.setUartBaud(core.settings.volatile.uartCur.baud);
  const epoch = core.epoch;
  return new Promise<void>((resolve) => {
    const timer = core.clock.setTimeout(() => {
      bootTimers.delete(core);
      if (core.isCurrent(epoch)) {
        core.booting = false;
        core.write(formatUrc({ kind: 'ready' }));
        applySoftAp(core);
        autoConnect(core);
        startSavedPassthrough(core);
      }
      resolve();
    }, core.scaledMs(core.profile.timing.bootMs));
    bootTimers.set(core, timer);
  });
}

/**
 * A reset of the chip (AT+RST after its OK, AT+RESTORE, the reset line): whatever ran is
 * abandoned, every link and the server vanish without CLOSED (the chip simply stops), the
 * station forgets its AP, and the module boots again.
 */
export function reboot(core: ModuleCore, options: { restore?: boolean; why: string }): Promise<void> {
  core.tracer.note(`reset (${options.why})`);
  halt(core);
  if (options.restore) core.settings.restore();
  return boot(core);
}

/**
 * AT+GSLP: the chip powers down for `ms` on the module's clock (its OK is already out), then boots
 * and prints `ready`. Meanwhile it is silent and what the host sends is lost (`booting` drops it);
 * a reset line wakes it at once. Output already queued for the UART still reaches the host.
 */
export function deepSleep(core: ModuleCore, ms: number): void {
  core.tracer.note(`deep-sleep for ${ms} ms`);
  halt(core);
  core.booting = true;
  const epoch = core.epoch;
  const timer = core.clock.setTimeout(() => {
    bootTimers.delete(core);
    if (core.isCurrent(epoch)) void boot(core);
  }, ms);
  bootTimers.set(core, timer);
}

/** Stops everything the module runs (reset or shutdown). */
export function halt(core: ModuleCore): void {
  core.epoch++;
  core.busy = false;
  core.dropDataHandler();
  stopReconnecting(core);
  stopSntp(core);
  stopIpv6(core);
  stopSoftApIpv6(core);
  const timer = bootTimers.get(core);
  if (timer) core.clock.clearTimeout(timer);
  bootTimers.delete(core);
  core.passthrough?.stop();
  core.passthrough = null;
  stopPassthroughReconnect(core);
  core.parser.reset();
  core.links.clear();
  core.server = null;
  // Aborts every socket and server of this module, the ones just forgotten included.
  void core.stack.closeAll().catch((error: Error) => core.tracer.note(`closing sockets: ${error.message}`));
  core.stack.station.reset();
  core.stack.announceMdns(null);
  haltSoftAp(core);
  Object.assign(core.wifi, { phase: 'idle', announced: false, hadLinks: false, attempt: core.wifi.attempt + 1 });
}

/** AT+CWAUTOCONN=1 with a saved AP: join it right after boot; the URCs tell the host. */
function autoConnect(core: ModuleCore): void {
  const { autoConnect: enabled, join } = core.settings.current;
  if (!enabled || !join || !stationEnabled(core)) return;
  const attempt = ++core.wifi.attempt;
  core.wifi.phase = 'connecting';
  core.tracer.note(`auto-connect to ${join.ssid}`);
  core.stack.station
    .join(join.ssid, join.password, { bssid: join.bssid ?? undefined, timeoutMs: core.profile.timing.joinTimeoutMs })
    .catch((error: Error) => {
      if (core.wifi.attempt !== attempt) return;
      core.wifi.phase = 'disconnected';
      core.tracer.note(`auto-connect failed: ${error.message}`);
      // AT+CWRECONNCFG covers the auto-connect at power-on too.
      startReconnecting(core);
    });
}

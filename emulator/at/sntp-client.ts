import type { ClockTimer } from '../../runtime/clock.js';
import { askSntp } from '../network/sntp-exchange.js';
import type { ModuleCore } from './module-core.js';
import { hasIp } from './station-events.js';

/**
 * The module's SNTP client (lwIP's, as ESP-AT 2.x drives it through AT+CIPSNTPCFG): while enabled
 * it asks its servers in turn, by a real SNTP exchange over UDP through the module's network
 * stack, and sets the module clock (core.time, which AT+SYSTIMESTAMP and AT+CIPSNTPTIME? read) from
 * the first answer; then again every AT+CIPSNTPINTV seconds. Without an address, or with no answer,
 * it tries again after lwIP's retry time. The world's `ntp` section says where a server name is
 * (emulator/network/ntp-world.ts); other names are resolved and asked on port 123. Timers run on
 * the module's clock; a reset forgets the configuration, as the firmware keeps it in RAM.
 */

/** lwIP's SNTP_RECV_TIMEOUT / SNTP_RETRY_TIMEOUT (15 s). */
export const SNTP_RETRY_MS = 15_000;
/** How long one server's answer is awaited before the next is asked (UNSURE: lwIP waits SNTP_RECV_TIMEOUT). */
export const ANSWER_TIMEOUT_MS = 3_000;

export interface SntpState {
  readonly epoch: number;
  enabled: boolean;
  offsetMinutes: number;
  servers: readonly string[];
  intervalSec: number;
  /** A server has answered since boot (NonOS's AT+CIPSNTPTIME? shows the epoch until then). */
  synced: boolean;
  timer: ClockTimer | null;
}

const states = new WeakMap<ModuleCore, SntpState>();

/** The configuration of this boot (a reset starts over from the profile's defaults). */
export function sntpState(core: ModuleCore): SntpState {
  let state = states.get(core);
  if (!state || state.epoch !== core.epoch) {
    state = { epoch: core.epoch, enabled: false, offsetMinutes: 0, servers: [], intervalSec: core.profile.defaults.sntpIntervalSec, synced: false, timer: null };
    states.set(core, state);
  }
  return state;
}

/** AT+CIPSNTPCFG: starts (or stops) the client; the first request goes out at once when there is an address. */
export function configureSntp(core: ModuleCore, enabled: boolean, offsetMinutes: number, servers: readonly string[]): void {
  const state = sntpState(core);
  Object.assign(state, { enabled, offsetMinutes, servers });
  schedule(core, state, 0);
}

/** The chip stops (reset, close): the client's timer goes with it. */
export function stopSntp(core: ModuleCore): void {
  const state = states.get(core);
  if (state?.timer) core.clock.clearTimeout(state.timer);
  states.delete(core);
}

/** AT+CIPSNTPINTV: the next synchronisation comes that long after the last. */
export function setSntpInterval(core: ModuleCore, seconds: number): void {
  sntpState(core).intervalSec = seconds;
}

function schedule(core: ModuleCore, state: SntpState, delayMs: number): void {
  if (state.timer) core.clock.clearTimeout(state.timer);
  state.timer = null;
  if (!state.enabled) return;
  state.timer = core.clock.setTimeout(() => {
    state.timer = null;
    void run(core, state);
  }, delayMs);
}

async function run(core: ModuleCore, state: SntpState): Promise<void> {
  if (!core.isCurrent(state.epoch) || !state.enabled) return;
  const synced = hasIp(core) ? await syncOnce(core, state) : false;
  if (!core.isCurrent(state.epoch) || !state.enabled) return;
  schedule(core, state, synced ? state.intervalSec * 1000 : SNTP_RETRY_MS);
}

async function syncOnce(core: ModuleCore, state: SntpState): Promise<boolean> {
  for (const server of state.servers) {
    try {
      const unixMs = await askSntp(core.stack, core.world.ntp, core.clock, server, ANSWER_TIMEOUT_MS);
      if (!core.isCurrent(state.epoch)) return false;
      core.time.set(unixMs);
      state.synced = true;
      core.tracer.note(`SNTP: ${server} says ${new Date(unixMs).toISOString()}`);
      return true;
    } catch (error) {
      core.tracer.note(`SNTP: ${server}: ${(error as Error).message}`);
    }
  }
  return false;
}

import { hasCommand } from '../../firmware-protocol/at/command-table.js';
import { formatUrc } from '../../firmware-protocol/at/module-output.js';
import type { ClockTimer } from '../../runtime/clock.js';
import { linkLocalAddress, slaacAddress } from '../network/ipv6-address.js';
import type { ModuleCore } from './module-core.js';

/**
 * The station's IPv6 addresses (AT+CIPV6=1). Once the station has its IPv4 lease, lwIP makes the
 * link-local address from the MAC and announces it when duplicate address detection is done
 * (`WIFI GOT IPv6 LL`); if the AP's router advertises a prefix (the world's `ipv6Prefix`), the
 * global SLAAC address follows (`WIFI GOT IPv6 GL`). Both go with the association.
 * The durations are lwIP's: DAD sends one probe and waits a second; the router advertisement is
 * answered a second after the solicitation (world-scaled like the other radio times).
 */

const DAD_MS = 1000;
const ROUTER_ADVERTISEMENT_MS = 1000;

interface Ipv6State {
  linkLocal: string | null;
  global: string | null;
  timers: ClockTimer[];
}

const states = new WeakMap<ModuleCore, Ipv6State>();

function stateOf(core: ModuleCore): Ipv6State {
  let state = states.get(core);
  if (state === undefined) {
    state = { linkLocal: null, global: null, timers: [] };
    states.set(core, state);
  }
  return state;
}

/** The station's IPv6 addresses now (null until announced). */
export function stationIpv6(core: ModuleCore): { readonly linkLocal: string | null; readonly global: string | null } {
  const state = states.get(core);
  return { linkLocal: state?.linkLocal ?? null, global: state?.global ?? null };
}

/**
 * Whether the module may use IPv6 now (a link, a server, a ping): a firmware with IPv6, AT+CIPV6=1 and
 * at least the link-local address (the docs: "set AT+CIPV6=1 first ... and esp-at got the IPv6 address").
 * Says why not in the trace.
 */
export function ipv6Ready(core: ModuleCore, what: string): boolean {
  if (!hasCommand(core.profile, 'CIPV6')) {
    core.tracer.note(`${core.profile.title} has no IPv6 (${what})`);
    return false;
  }
  if (!core.settings.current.ipv6) {
    core.tracer.note(`${what} needs AT+CIPV6=1 first`);
    return false;
  }
  if (stationIpv6(core).linkLocal === null) {
    core.tracer.note(`${what} needs an IPv6 address (wait for WIFI GOT IPv6 LL after the join)`);
    return false;
  }
  return true;
}

/** Starts address configuration when IPv6 is on and the station has its lease. */
export function startIpv6(core: ModuleCore): void {
  const info = core.stack.station.info();
  if (!core.settings.current.ipv6 || info.ip === '0.0.0.0') return;
  const state = stateOf(core);
  if (state.linkLocal !== null || state.timers.length > 0) return;
  const epoch = core.epoch;
  const prefix = core.world.accessPoints.find((ap) => ap.bssid === info.bssid)?.ipv6Prefix;
  state.timers.push(
    core.clock.setTimeout(() => {
      if (!core.isCurrent(epoch)) return;
      state.linkLocal = linkLocalAddress(core.stack.station.info().mac);
      core.tracer.note(`station IPv6 link-local ${state.linkLocal}`);
      core.urc(formatUrc({ kind: 'wifi-got-ipv6', scope: 'LL' }));
    }, core.scaledMs(DAD_MS)),
  );
  if (prefix === undefined) return;
  state.timers.push(
    core.clock.setTimeout(() => {
      if (!core.isCurrent(epoch)) return;
      state.global = slaacAddress(prefix, core.stack.station.info().mac);
      core.tracer.note(`station IPv6 global ${state.global} (prefix ${prefix} from the router)`);
      core.urc(formatUrc({ kind: 'wifi-got-ipv6', scope: 'GL' }));
    }, core.scaledMs(DAD_MS + ROUTER_ADVERTISEMENT_MS + DAD_MS)),
  );
}

/** The addresses go (disassociation, reset, AT+CIPV6=0). */
export function stopIpv6(core: ModuleCore): void {
  const state = states.get(core);
  if (state === undefined) return;
  for (const timer of state.timers) core.clock.clearTimeout(timer);
  states.delete(core);
}

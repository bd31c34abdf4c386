import type { ClockTimer } from '../../runtime/clock.js';
import { linkLocalAddress } from '../network/ipv6-address.js';
import { softApMac } from './module-macs.js';
import type { ModuleCore } from './module-core.js';

/**
 * The softAP's IPv6 link-local address. The core makes it in its WIFI_EVENT_AP_START handler
 * (at_wifi_ap_start_handler: esp_netif_create_ip6_linklocal on the AP interface when IPv6 is on, read
 * off the 2.4 and 4.1 core libraries), so only an AP that starts while AT+CIPV6 is 1 has one; no URC announces it.
 * It is the EUI-64 address of the softAP MAC, usable (and shown by AT+CIPAP? as `ip6ll`, by AT+CIFSR as
 * `APIP6LL`) once duplicate address detection is done (lwIP: one probe, a second, world-scaled). No
 * router advertises a prefix to the module's own AP: no `ip6gl`.
 */

const DAD_MS = 1000;

interface ApIpv6State {
  linkLocal: string | null;
  timer: ClockTimer | null;
}

const states = new WeakMap<ModuleCore, ApIpv6State>();

/** The softAP's link-local address now (null: none yet, or none at all). */
export function softApLinkLocal(core: ModuleCore): string | null {
  return states.get(core)?.linkLocal ?? null;
}

/** The softAP has just started: with IPv6 on, its link-local address comes after DAD. */
export function softApIpv6Started(core: ModuleCore): void {
  stopSoftApIpv6(core);
  if (!core.settings.current.ipv6) return;
  const epoch = core.epoch;
  const state: ApIpv6State = { linkLocal: null, timer: null };
  states.set(core, state);
  state.timer = core.clock.setTimeout(() => {
    state.timer = null;
    if (!core.isCurrent(epoch) || states.get(core) !== state) return;
    state.linkLocal = linkLocalAddress(softApMac(core));
    core.tracer.note(`softAP IPv6 link-local ${state.linkLocal}`);
  }, core.scaledMs(DAD_MS));
}

/** The address goes (the softAP stops, a reset, AT+CIPV6=0). */
export function stopSoftApIpv6(core: ModuleCore): void {
  const state = states.get(core);
  if (state === undefined) return;
  if (state.timer !== null) core.clock.clearTimeout(state.timer);
  states.delete(core);
}

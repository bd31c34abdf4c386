import type { ClockTimer } from '../../runtime/clock.js';
import { isIPv4, isIPv6 } from 'node:net';
import type { VirtualLink } from '../network/types.js';
import { adoptLink, announceClosed, announceConnect } from './link-events.js';
import type { Link } from './link-table.js';
import type { ModuleCore } from './module-core.js';
import type { TransLinkSettings } from './module-settings.js';
import { enterPassthrough } from './passthrough-control.js';
import { openSslLink } from './ssl-client.js';
import { hasIp } from './station-events.js';

/**
 * Passthrough's own link (2.x; index_of_abbreviations.rst v2.4.2.0, "Passthrough Mode"): when it
 * breaks the module stays in passthrough; as a client it keeps connecting to the same remote every
 * AT+CIPRECONNINTV × 100 ms until `+++`; as a server it drops the old client and takes the next one.
 * AT+SAVETRANSLINK's link is opened the same way from power-up. The host's bytes while there is no
 * link go nowhere. `CLOSED` and `CONNECT` reach the host only with AT+SYSMSG bit 2 (core.urc's rule
 * for passthrough). The link is always id 0: passthrough exists in single-link mode only.
 */

const ID = 0;
const timers = new WeakMap<ModuleCore, ClockTimer>();

/** Where passthrough connects: a broken link's remote, or AT+SAVETRANSLINK's. */
type Target = TransLinkSettings & { readonly udpMode: 0 | 1 | 2 };

/** The passthrough link broke: drop it, and (as a client) start reconnecting. */
export function passthroughLinkBroke(core: ModuleCore, link: Link): void {
  core.links.remove(link.id);
  announceClosed(core, link.id);
  if (link.accepted) {
    core.tracer.note(`passthrough: client of link ${link.id} gone; the server takes the next one`, link.id);
    return;
  }
  const { ip, port } = link.vlink.remote;
  core.tracer.note(`passthrough: link ${link.id} broke; reconnecting to ${ip}:${port}`, link.id);
  const target: Target = { type: link.type, ipv6: link.ipv6, host: ip, port, keepAlive: 0, localPort: link.vlink.localPort, udpMode: link.udpMode };
  schedule(core, target, core.settings.current.reconnectInterval * 100);
}

/**
 * Power-up with AT+SAVETRANSLINK=1 saved: the module is in passthrough (CIPMODE 1) at once and opens
 * the saved link as soon as the station has an address (autoconnect), retrying as after a break.
 */
export function startSavedPassthrough(core: ModuleCore): void {
  const saved = core.settings.current.transLink;
  if (saved === null) return;
  core.settings.volatile.cipMode = 1;
  enterPassthrough(core, { id: ID });
  core.tracer.note(`passthrough from power-up (AT+SAVETRANSLINK) to ${saved.type}${saved.ipv6 ? 'v6' : ''} ${saved.host}:${saved.port}`);
  schedule(core, { ...saved, udpMode: 0 }, 0);
}

/** Leaving passthrough (`+++`, reset): no more attempts. */
export function stopPassthroughReconnect(core: ModuleCore): void {
  const timer = timers.get(core);
  if (timer) core.clock.clearTimeout(timer);
  timers.delete(core);
}

function schedule(core: ModuleCore, target: Target, delayMs: number): void {
  const epoch = core.epoch;
  stopPassthroughReconnect(core);
  timers.set(
    core,
    core.clock.setTimeout(() => {
      timers.delete(core);
      if (!core.isCurrent(epoch) || !core.passthrough || core.links.get(ID)) return;
      void attempt(core, target, epoch);
    }, delayMs),
  );
}

async function attempt(core: ModuleCore, target: Target, epoch: number): Promise<void> {
  const retry = (): void => schedule(core, target, core.settings.current.reconnectInterval * 100);
  if (!hasIp(core)) return retry();
  let vlink: VirtualLink;
  try {
    vlink = await open(core, target);
  } catch (error) {
    if (!core.isCurrent(epoch) || !core.passthrough) return;
    core.tracer.note(`passthrough: connecting to ${target.host}:${target.port} failed (${(error as Error).message})`, ID);
    return retry();
  }
  if (!core.isCurrent(epoch) || !core.passthrough || !core.links.isFree(ID)) {
    vlink.close();
    return;
  }
  const link = adoptLink(core, ID, { type: target.type, ipv6: target.ipv6, vlink, udpMode: target.udpMode });
  core.tracer.note(`passthrough: link ${ID} connected`, ID);
  announceConnect(core, link);
}

async function open(core: ModuleCore, target: Target): Promise<VirtualLink> {
  // A v6 type resolves a name's AAAA record (the core's at_hostname_to_ipaddr with <ip network> 3).
  const literal = target.ipv6 ? isIPv6(target.host) : isIPv4(target.host);
  const ip = literal ? target.host : await core.stack.resolve(target.host, undefined, target.ipv6 ? 'ipv6' : 'ipv4');
  const keepAliveSec = target.keepAlive > 0 ? target.keepAlive : undefined;
  if (target.type === 'SSL') return openSslLink(core, ID, { host: target.host, ip, port: target.port, keepAliveSec });
  if (target.type === 'TCP') return core.stack.connectTcp({ host: ip, port: target.port, timeoutMs: core.profile.timing.connectTimeoutMs, keepAliveSec });
  return core.stack.openUdp({ remote: { ip, port: target.port }, localPort: target.localPort });
}

import type { ClockTimer } from '../../runtime/clock.js';
import type { VirtualLink } from '../network/types.js';
import { adoptLink, announceClosed, announceConnect } from './link-events.js';
import type { Link } from './link-table.js';
import type { ModuleCore } from './module-core.js';
import { openSslLink } from './ssl-client.js';

/**
 * A connection that breaks during passthrough (index_of_abbreviations.rst v2.4.2.0, "Passthrough
 * Mode"): the module stays in passthrough; as a client it keeps reconnecting to the same remote every
 * AT+CIPRECONNINTV × 100 ms until `+++`; as a server it drops the old client and takes the next
 * one. The host's bytes meanwhile go nowhere. `CLOSED` and `CONNECT` reach the host only with
 * AT+SYSMSG bit 2 (core.urc's rule for passthrough).
 */

const timers = new WeakMap<ModuleCore, ClockTimer>();

/** The passthrough link broke: drop it, and (as a client) start reconnecting. */
export function passthroughLinkBroke(core: ModuleCore, link: Link): void {
  core.links.remove(link.id);
  announceClosed(core, link.id);
  if (link.accepted) {
    core.tracer.note(`passthrough: client of link ${link.id} gone; the server takes the next one`, link.id);
    return;
  }
  core.tracer.note(`passthrough: link ${link.id} broke; reconnecting to ${link.vlink.remote.ip}:${link.vlink.remote.port}`, link.id);
  schedule(core, link);
}

/** Leaving passthrough (`+++`, reset): no more attempts. */
export function stopPassthroughReconnect(core: ModuleCore): void {
  const timer = timers.get(core);
  if (timer) core.clock.clearTimeout(timer);
  timers.delete(core);
}

function schedule(core: ModuleCore, broken: Link): void {
  const epoch = core.epoch;
  const delayMs = core.settings.current.reconnectInterval * 100;
  timers.set(
    core,
    core.clock.setTimeout(() => {
      timers.delete(core);
      if (!core.isCurrent(epoch) || !core.passthrough || core.links.get(broken.id)) return;
      void attempt(core, broken, epoch);
    }, delayMs),
  );
}

async function attempt(core: ModuleCore, broken: Link, epoch: number): Promise<void> {
  const { ip, port } = broken.vlink.remote;
  let vlink: VirtualLink;
  try {
    vlink = await open(core, broken, ip, port);
  } catch (error) {
    if (!core.isCurrent(epoch) || !core.passthrough) return;
    core.tracer.note(`passthrough: reconnect to ${ip}:${port} failed (${(error as Error).message})`, broken.id);
    schedule(core, broken);
    return;
  }
  if (!core.isCurrent(epoch) || !core.passthrough || !core.links.isFree(broken.id)) {
    vlink.close();
    return;
  }
  const link = adoptLink(core, broken.id, { type: broken.type, ipv6: broken.ipv6, vlink, udpMode: broken.udpMode });
  core.tracer.note(`passthrough: link ${link.id} reconnected`, link.id);
  announceConnect(core, link);
}

function open(core: ModuleCore, broken: Link, ip: string, port: number): Promise<VirtualLink> {
  if (broken.type === 'SSL') return openSslLink(core, broken.id, { host: ip, ip, port });
  if (broken.type === 'TCP') return core.stack.connectTcp({ host: ip, port, timeoutMs: core.profile.timing.connectTimeoutMs });
  return core.stack.openUdp({ remote: { ip, port }, localPort: broken.vlink.localPort });
}

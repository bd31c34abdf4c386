import { formatUrc, ipd, ipdNotice, sysMsgLine } from '../../firmware-protocol/at/module-output.js';
import { moduleIpText } from '../network/ipv6-address.js';
import type { Endpoint, StackError } from '../network/types.js';
import { LinkTable, linkTypeName, startLinkTimer, type Link, type NewLink } from './link-table.js';
import type { ModuleCore } from './module-core.js';
import { leavePassthrough } from './passthrough-control.js';
import { passthroughLinkBroke } from './passthrough-reconnect.js';
import { deferCloseAfterData, deliverLinkData } from './uart-backpressure.js';

/**
 * What the module does when its links' network side moves: data arrives (`+IPD`, passive
 * buffering, raw passthrough output), a peer closes (`CLOSED`, withheld while passive data is
 * unread), an accepted client idles past AT+CIPSTO.
 */

/** Puts a freshly opened link in the table and starts listening to it. */
export function adoptLink(core: ModuleCore, id: number, spec: Omit<NewLink, 'passiveWindow'>): Link {
  const link = core.links.add(id, { ...spec, passiveWindow: core.profile.limits.passiveWindow });
  core.wifi.hadLinks = true;
  const { vlink } = link;
  core.tracer.note(
    `link ${id} ${spec.accepted ? '←' : '→'} ${vlink.remote.ip}:${vlink.remote.port} (${spec.type}, local port ${vlink.localPort})`,
    id,
  );
  vlink.setHandlers({
    onData: (data, from) => {
      if (core.links.get(id) === link) onLinkData(core, link, data, from);
    },
    onClose: (reason, error) => {
      if (core.links.get(id) !== link) return;
      // Data read before the close but still waiting for room toward the host goes out first.
      if (deferCloseAfterData(link, () => core.links.get(id) === link && onLinkClosed(core, link, reason, error))) return;
      onLinkClosed(core, link, reason, error);
    },
  });
  if (link.accepted) armIdleTimer(core, link);
  return link;
}

/** The module closes a link itself (CIPCLOSE, CIPSERVER=0,1, idle timeout): forget it, then close the socket. */
export function closeLink(core: ModuleCore, link: Link, why: string): void {
  core.links.remove(link.id);
  core.tracer.note(`link ${link.id} closed (${why})`, link.id);
  link.vlink.close();
}

/**
 * Prints a link's CONNECT: `[<id>,]CONNECT`, or with AT+SYSMSG bit 1 the detailed
 * `+LINK_CONN:0,<id>,"<type>",<0 client|1 server>,"<remote ip>",<remote port>,<local port>`.
 */
export function announceConnect(core: ModuleCore, link: Link): void {
  if ((core.settings.current.sysMsg & 2) !== 0) {
    const { remote, localPort } = link.vlink;
    const values = {
      status_type: 0,
      link_id: link.id,
      type: linkTypeName(link),
      terminal_type: link.accepted ? 1 : 0,
      remote_ip: moduleIpText(remote.ip),
      remote_port: remote.port,
      local_port: localPort,
    };
    core.urc(sysMsgLine('linkConn', values), [link.id]);
    return;
  }
  core.urc(formatUrc({ kind: 'connect', link: core.label(link.id) }), [link.id]);
}

/** Prints the CLOSED URC of a link. */
export function announceClosed(core: ModuleCore, id: number): void {
  core.urc(formatUrc({ kind: 'closed', link: core.label(id) }), [id]);
}

/** After a passive read: flow control reopens, and a closed link whose data is all read finally reports CLOSED. */
export function afterPassiveRead(core: ModuleCore, link: Link): void {
  if (link.passive.length > 0) {
    if (!link.passive.isFull && !link.peerClosed) link.vlink.resume();
    return;
  }
  if (link.peerClosed) {
    core.links.remove(link.id);
    announceClosed(core, link.id);
  } else {
    link.vlink.resume();
  }
}

/**
 * AT+CIPRECVMODE 1 → 0: the firmware's receive task reads the sockets again, so what passive mode held
 * goes to the host as ordinary `+IPD` (after the command's OK), and a CLOSED withheld for unread data
 * follows it.
 */
export function releasePassiveData(core: ModuleCore): void {
  for (const link of core.links.all()) {
    for (let held = link.passive.read(Number.MAX_SAFE_INTEGER); held; held = link.passive.read(Number.MAX_SAFE_INTEGER)) {
      deliverLinkData(core, link, held.data, held.from, routeToHost);
    }
    if (core.links.get(link.id) !== link) continue;
    if (!link.peerClosed) {
      link.vlink.resume();
      continue;
    }
    const close = (): void => {
      if (core.links.get(link.id) !== link) return;
      core.links.remove(link.id);
      announceClosed(core, link.id);
    };
    if (!deferCloseAfterData(link, close)) close();
  }
}

function onLinkData(core: ModuleCore, link: Link, data: Buffer, from: Endpoint): void {
  if (link.accepted) armIdleTimer(core, link);
  if (LinkTable.followSender(link, from)) {
    core.tracer.note(`link ${link.id} UDP peer now ${from.ip}:${from.port}`, link.id);
  }
  if (holdsPassively(core, link) && !(core.passthrough && core.links.get(0) === link)) {
    receivePassive(core, link, data, from);
    return;
  }
  // Bound for the host: only as much as its queue has room for; the rest waits, the link paused.
  deliverLinkData(core, link, data, from, routeToHost);
}

/** Link data the host gets now: raw in passthrough, else `+IPD` (a mode switch may fall between pieces). */
function routeToHost(core: ModuleCore, link: Link, data: Buffer, from: Endpoint): void {
  if (core.passthrough && core.links.get(0) === link) {
    core.write(data, [link.id]);
    return;
  }
  if (holdsPassively(core, link)) {
    receivePassive(core, link, data, from);
    return;
  }
  const remote = core.settings.volatile.dinfo ? { ip: moduleIpText(from.ip), port: from.port } : null;
  const max = core.profile.limits.maxIpdLength;
  for (let offset = 0; offset < data.length; offset += max) {
    core.urc(ipd(core.profile, core.label(link.id), data.subarray(offset, offset + max), remote), [link.id]);
  }
}

/** Passive receive is on and covers this link's type on this firmware. */
function holdsPassively(core: ModuleCore, link: Link): boolean {
  return core.settings.volatile.recvMode === 1 && core.profile.limits.passiveReceiveTypes.includes(link.type);
}

function receivePassive(core: ModuleCore, link: Link, data: Buffer, from: Endpoint): void {
  if (!link.passive.push(data, from)) {
    core.tracer.note(`link ${link.id} passive buffer full: datagram of ${data.length} bytes dropped`, link.id);
    return;
  }
  if (link.type !== 'UDP' && link.passive.isFull) {
    link.vlink.pause();
    core.tracer.note(`link ${link.id} passive buffer full (${link.passive.length} bytes): paused`, link.id);
  }
  if (link.passive.takeNotice()) core.urc(ipdNotice(core.label(link.id), link.passive.length), [link.id]);
}

function onLinkClosed(core: ModuleCore, link: Link, reason: string, error?: StackError): void {
  core.tracer.note(`link ${link.id} closed by ${reason}${error ? ` (${error.code}: ${error.message})` : ''}`, link.id);
  if (core.passthrough && core.links.get(0) === link) {
    if (core.profile.limits.passthroughReconnect) {
      // 2.x stays in passthrough: a client reconnects, a server takes its next client.
      passthroughLinkBroke(core, link);
      return;
    }
    // NonOS: passthrough ends with the link, and CLOSED is reported like an ordinary link's.
    leavePassthrough(core, 'link closed');
  }
  if (link.passive.length > 0) {
    link.peerClosed = true;
    link.idleTimer?.cancel();
    link.idleTimer = null;
    core.tracer.note(`link ${link.id} CLOSED withheld: ${link.passive.length} bytes unread`, link.id);
    return;
  }
  core.links.remove(link.id);
  announceClosed(core, link.id);
}

/** AT+CIPSTO: an accepted client silent for that long is closed (0 = never). Restarted by its data. */
function armIdleTimer(core: ModuleCore, link: Link): void {
  link.idleTimer?.cancel();
  link.idleTimer = null;
  const seconds = core.settings.volatile.serverTimeout;
  if (seconds <= 0) return;
  link.idleTimer = startLinkTimer(core.clock, core.scaledMs(seconds * 1000), () => {
    link.idleTimer = null;
    if (core.links.get(link.id) !== link || link.peerClosed) return;
    closeLink(core, link, `idle for ${seconds} s (AT+CIPSTO)`);
    announceClosed(core, link.id);
  });
}

import { finalResult, recvData } from '../../../firmware-protocol/at/module-output.js';
import { moduleIpText } from '../../network/ipv6-address.js';
import { linkIdOf, type CommandCall, type Handler, type Handlers } from '../handler-types.js';
import { afterPassiveRead, announceClosed, closeLink } from '../link-events.js';
import { linkTypeName, type Link } from '../link-table.js';
import type { ModuleCore } from '../module-core.js';
import { stationEnabled } from '../station-events.js';

/** Closing links, link status, and passive-mode reads (esp-at.md §4). */

/** The host closes a link: `[<id>,]CLOSED` (a withheld passive CLOSED included). */
function closeByHost(core: ModuleCore, link: Link): void {
  closeLink(core, link, 'AT+CIPCLOSE');
  announceClosed(core, link.id);
}

const closeExec: Handler<'CIPCLOSE', 'exec'> = (core) => {
  const link = core.links.get(0);
  if (core.mux || !link) return core.error('exec-failed', 'closeNotOpen');
  closeByHost(core, link);
  core.ok([0]);
};

const closeSet: Handler<'CIPCLOSE', 'set'> = (core, call) => {
  const id = linkIdOf(call.params);
  if (id === core.links.allLinksId) {
    const links = core.links.all();
    for (const link of links) closeByHost(core, link);
    return core.ok(links.map((link) => link.id));
  }
  const link = core.links.get(id);
  if (!link) return core.error('exec-failed', 'closeNotOpen');
  closeByHost(core, link);
  core.ok([id]);
};

/** CIPSTATUS `STATUS:<n>`, from the codes the profile's firmware uses (2.x 0..5, NonOS 2..5). */
function statusCode(core: ModuleCore): number {
  const codes = core.profile.layout.cipStatusCodes;
  if (codes.includes(0) && !stationEnabled(core)) return 0;
  if (core.wifi.phase === 'got-ip') {
    if (core.links.size > 0) return 3;
    return core.wifi.hadLinks ? 4 : 2;
  }
  if (codes.includes(1) && core.wifi.phase === 'idle') return 1;
  return 5;
}

/** One link's line of CIPSTATUS / CIPSTATE (tetype 1: a client of the module's server). */
function linkLine(core: ModuleCore, call: CommandCall<'CIPSTATUS' | 'CIPSTATE'>, link: Link): void {
  const { remote, localPort } = link.vlink;
  const values = {
    link_id: link.id,
    type: linkTypeName(link),
    remote_ip: moduleIpText(remote.ip),
    remote_port: remote.port,
    local_port: localPort,
    tetype: link.accepted ? 1 : 0,
  };
  core.reply(call, 'link', values, { links: [link.id] });
}

const statusExec: Handler<'CIPSTATUS', 'exec'> = (core, call) => {
  core.reply(call, 'status', { status: statusCode(core) });
  for (const link of core.links.all()) linkLine(core, call, link);
  core.ok();
};

const stateQuery: Handler<'CIPSTATE', 'query'> = (core, call) => {
  for (const link of core.links.all()) linkLine(core, call, link);
  core.ok();
};

/** AT+CIPRECVDATA: up to <len> buffered bytes (one datagram at most for UDP). */
const recvDataSet: Handler<'CIPRECVDATA', 'set'> = (core, call) => {
  if (core.settings.volatile.recvMode !== 1) return core.error('exec-failed');
  const id = linkIdOf(call.params);
  const link = core.links.get(id);
  if (!link) return core.error('exec-failed', 'invalidLink');
  const read = link.passive.read(call.params.len);
  if (!read) return core.error('exec-failed');
  const remote = core.settings.volatile.dinfo ? { ip: moduleIpText(read.from.ip), port: read.from.port } : null;
  core.write(recvData(core.profile, read.data, remote), [id]);
  core.write(finalResult('OK'), [id]);
  afterPassiveRead(core, link);
};

/** AT+CIPRECVLEN?: bytes buffered per link id (what the profile prints for ids without a link). */
const recvLenQuery: Handler<'CIPRECVLEN', 'query'> = (core, call) => {
  const { limits, layout } = core.profile;
  const lengths: number[] = [];
  for (let id = 0; id < limits.links; id++) {
    const link = core.links.get(id);
    lengths.push(link ? link.passive.length : layout.absentLinkRecvLength);
  }
  core.reply(call, 'lengths', { lengths });
  core.ok();
};

export const TCPIP_LINK_HANDLERS = {
  CIPCLOSE: { exec: closeExec, set: closeSet },
  CIPSTATUS: { exec: statusExec },
  CIPSTATE: { query: stateQuery },
  CIPRECVDATA: { set: recvDataSet },
  CIPRECVLEN: { query: recvLenQuery },
} satisfies Handlers;

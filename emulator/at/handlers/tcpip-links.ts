import { finalResult, recvData } from '../../../firmware-protocol/at/module-output.js';
import type { CommandHandler, HandlerTable } from '../handler-types.js';
import { intParam } from '../handler-types.js';
import { afterPassiveRead, announceClosed, closeLink } from '../link-events.js';
import { ALL_LINKS_ID, MAX_LINKS, type Link } from '../link-table.js';
import type { ModuleCore } from '../module-core.js';
import { stationEnabled } from '../station-events.js';
import { linkIdOf } from './tcpip-common.js';

/** Closing links, link status, and passive-mode reads (esp-at.md §4). */

const V17 = 'esp8266-at-1.7';

/** The host closes a link: `[<id>,]CLOSED` (a withheld passive CLOSED included). */
function closeByHost(core: ModuleCore, link: Link): void {
  closeLink(core, link, 'AT+CIPCLOSE');
  announceClosed(core, link.id);
}

const closeExec: CommandHandler = (core) => {
  const link = core.links.get(0);
  if (core.mux || !link) return core.error('exec-failed', 'closeNotOpen');
  closeByHost(core, link);
  core.ok([0]);
};

const closeSet: CommandHandler = (core, call) => {
  const id = linkIdOf(call);
  if (id === ALL_LINKS_ID) {
    const links = core.links.all();
    for (const link of links) closeByHost(core, link);
    return core.ok(links.map((link) => link.id));
  }
  const link = core.links.get(id);
  if (!link) return core.error('exec-failed', 'closeNotOpen');
  closeByHost(core, link);
  core.ok([id]);
};

/** CIPSTATUS `STATUS:<n>` per profile (2.x 0..5, NonOS 2..5). */
function statusCode(core: ModuleCore): number {
  const v17 = core.profile.id === V17;
  if (!v17 && !stationEnabled(core)) return 0;
  if (core.wifi.phase === 'got-ip') {
    if (core.links.size > 0) return 3;
    return core.wifi.hadLinks ? 4 : 2;
  }
  if (!v17 && core.wifi.phase === 'idle') return 1;
  return 5;
}

function linkText(link: Link): string {
  const { remote, localPort } = link.vlink;
  return `${link.id},"${link.type}","${remote.ip}",${remote.port},${localPort},${link.accepted ? 1 : 0}`;
}

const statusExec: CommandHandler = (core) => {
  core.line(`STATUS:${statusCode(core)}`);
  for (const link of core.links.all()) core.info('CIPSTATUS', linkText(link), [link.id]);
  core.ok();
};

const stateQuery: CommandHandler = (core) => {
  for (const link of core.links.all()) core.info('CIPSTATE', linkText(link), [link.id]);
  core.ok();
};

/** AT+CIPRECVDATA: up to <len> buffered bytes (one datagram at most for UDP). */
const recvDataSet: CommandHandler = (core, call) => {
  if (core.settings.volatile.recvMode !== 1) return core.error('exec-failed');
  const id = linkIdOf(call);
  const link = core.links.get(id);
  if (!link) return core.error('exec-failed', 'invalidLink');
  const read = link.passive.read(intParam(call, 'len', 0));
  if (!read) return core.error('exec-failed');
  const remote = core.settings.volatile.dinfo ? read.from : null;
  core.write(recvData(core.profile, read.data, remote), [id]);
  core.write(finalResult('OK'), [id]);
  afterPassiveRead(core, link);
};

/** AT+CIPRECVLEN?: bytes buffered per link id 0..4 (-1 for ids without a link; 1.7 prints 0). */
const recvLenQuery: CommandHandler = (core) => {
  const none = core.profile.id === V17 ? '0' : '-1';
  const fields: string[] = [];
  for (let id = 0; id < MAX_LINKS; id++) {
    const link = core.links.get(id);
    fields.push(link ? String(link.passive.length) : none);
  }
  core.info('CIPRECVLEN', fields.join(','));
  core.ok();
};

export const TCPIP_LINK_HANDLERS: HandlerTable = {
  CIPCLOSE: { exec: closeExec, set: closeSet },
  CIPSTATUS: { exec: statusExec },
  CIPSTATE: { query: stateQuery },
  CIPRECVDATA: { set: recvDataSet },
  CIPRECVLEN: { query: recvLenQuery },
};

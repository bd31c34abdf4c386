import { isIPv4 } from 'node:net';
import { domainAnswer } from '../../../firmware-protocol/at/module-output.js';
import type { VirtualLink } from '../../network/types.js';
import type { CommandCall, CommandHandler, HandlerTable } from '../handler-types.js';
import { intParam, param, strParam } from '../handler-types.js';
import { adoptLink, announceConnect } from '../link-events.js';
import type { ModuleCore } from '../module-core.js';
import { answerSslFailure, openSslLink, sslStartRefusal } from '../ssl-client.js';
import { hasIp } from '../station-events.js';
import { answerStackError, linkIdOf } from './tcpip-common.js';

/** AT+CIPSTART, AT+CIPSTARTEX, AT+CIPDOMAIN (esp-at.md §4); "SSL" links via ssl-client.ts. */

type LinkTypeName = 'TCP' | 'UDP' | 'SSL';

/** The firmware's TCP connect deadline when none is given (CIPSTART's `<timeout>`, 5 s). */
export const CONNECT_TIMEOUT_MS = 5000;

async function resolveHost(core: ModuleCore, host: string): Promise<string> {
  return isIPv4(host) ? host : core.stack.resolve(host);
}

async function openLink(core: ModuleCore, call: CommandCall, id: number, type: LinkTypeName): Promise<VirtualLink> {
  const host = strParam(call, 'remote_host') ?? '';
  const ip = await resolveHost(core, host);
  const port = intParam(call, 'remote_port', 0);
  const keepAlive = param(call, 'keep_alive');
  const keepAliveSec = typeof keepAlive === 'number' ? keepAlive : undefined;
  if (type === 'SSL') return openSslLink(core, id, { host, ip, port, keepAliveSec });
  if (type === 'TCP') {
    return core.stack.connectTcp({ host: ip, port, timeoutMs: CONNECT_TIMEOUT_MS, keepAliveSec });
  }
  const localPort = param(call, 'local_port');
  return core.stack.openUdp({ remote: { ip, port }, localPort: typeof localPort === 'number' ? localPort : 0 });
}

/**
 * Opens link `id`: `[<id>,]CONNECT` then OK. The id is reserved while connecting so a server
 * client cannot take it; commands meanwhile get `busy p...`.
 */
async function connect(core: ModuleCore, call: CommandCall, id: number, type: LinkTypeName): Promise<void> {
  const epoch = core.epoch;
  core.links.reserve(id);
  let vlink: VirtualLink;
  try {
    vlink = await openLink(core, call, id, type);
  } catch (error) {
    if (core.isCurrent(epoch)) {
      core.links.release(id);
      if (type === 'SSL') answerSslFailure(core, id, error);
      else answerStackError(core, error, `link ${id} ${type} connect`);
    }
    return;
  }
  if (!core.isCurrent(epoch)) {
    vlink.close();
    return;
  }
  const mode = intParam(call, 'mode', 0);
  const link = adoptLink(core, id, { type, vlink, udpMode: mode === 1 || mode === 2 ? mode : 0 });
  announceConnect(core, link);
  core.ok([id]);
}

function start(core: ModuleCore, call: CommandCall, id: number): void | Promise<void> {
  if (!core.links.isFree(id)) {
    core.line('ALREADY CONNECTED');
    return core.error('exec-failed');
  }
  const type = strParam(call, 'type');
  if (type !== 'TCP' && type !== 'UDP' && type !== 'SSL') {
    core.tracer.note(`CIPSTART type ${type ?? '?'} is not emulated (TCP, UDP and SSL over IPv4 are)`);
    return core.error('exec-failed');
  }
  const refusal = type === 'SSL' ? sslStartRefusal(core) : null;
  if (refusal !== null) {
    core.tracer.note(`CIPSTART SSL refused: ${refusal}`);
    return core.error('exec-failed');
  }
  if (!hasIp(core)) {
    core.tracer.note('CIPSTART without an IP address');
    return core.error('exec-failed', 'noIp');
  }
  return connect(core, call, id, type);
}

const startSet: CommandHandler = (core, call) => start(core, call, linkIdOf(call));

/** AT+CIPSTARTEX: the lowest free id in multi-link mode. */
const startExSet: CommandHandler = (core, call) => {
  const id = core.mux ? core.links.lowestFree() : 0;
  if (id === null) return core.error('exec-failed');
  return start(core, call, id);
};

const domainSet: CommandHandler = async (core, call) => {
  const epoch = core.epoch;
  const name = strParam(call, 'domain') ?? '';
  let ip: string;
  try {
    ip = await core.stack.resolve(name);
  } catch (error) {
    if (core.isCurrent(epoch)) answerStackError(core, error, `resolving ${name}`);
    return;
  }
  if (!core.isCurrent(epoch)) return;
  core.tracer.note(`${name} is ${ip}`);
  core.write(domainAnswer(core.profile, ip));
  core.ok();
};

export const TCPIP_CONNECT_HANDLERS: HandlerTable = {
  CIPSTART: { set: startSet },
  CIPSTARTEX: { set: startExSet },
  CIPDOMAIN: { set: domainSet },
};

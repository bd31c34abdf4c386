import { isIPv4 } from 'node:net';
import type { VirtualLink } from '../../network/types.js';
import type { SetParams } from '../../../firmware-protocol/at/commands/command-types.js';
import { linkIdOf, type CommandCall, type Handler, type Handlers } from '../handler-types.js';
import { adoptLink, announceConnect } from '../link-events.js';
import type { ModuleCore } from '../module-core.js';
import { answerSslFailure, openSslLink, sslStartRefusal } from '../ssl-client.js';
import { hasIp } from '../station-events.js';
import { answerStackError } from './tcpip-common.js';

/** AT+CIPSTART, AT+CIPSTARTEX, AT+CIPDOMAIN (esp-at.md §4); "SSL" links via ssl-client.ts. */

type LinkTypeName = 'TCP' | 'UDP' | 'SSL';

/** What CIPSTART and CIPSTARTEX take (CIPSTARTEX has no link id). */
type StartParams = SetParams<'CIPSTART'> | SetParams<'CIPSTARTEX'>;

async function resolveHost(core: ModuleCore, host: string): Promise<string> {
  return isIPv4(host) ? host : core.stack.resolve(host);
}

async function openLink(core: ModuleCore, params: StartParams, id: number, type: LinkTypeName): Promise<VirtualLink> {
  const host = params.remote_host;
  const ip = await resolveHost(core, host);
  const port = params.remote_port;
  const keepAliveSec = params.keep_alive;
  if (type === 'SSL') return openSslLink(core, id, { host, ip, port, keepAliveSec });
  if (type === 'TCP') {
    return core.stack.connectTcp({ host: ip, port, timeoutMs: core.profile.timing.connectTimeoutMs, keepAliveSec });
  }
  return core.stack.openUdp({ remote: { ip, port }, localPort: params.local_port ?? 0 });
}

/**
 * Opens link `id`: `[<id>,]CONNECT` then OK. The id is reserved while connecting so a server
 * client cannot take it; commands meanwhile get `busy p...`.
 */
async function connect(core: ModuleCore, params: StartParams, id: number, type: LinkTypeName): Promise<void> {
  const epoch = core.epoch;
  core.links.reserve(id);
  let vlink: VirtualLink;
  try {
    vlink = await openLink(core, params, id, type);
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
  const mode = params.mode ?? 0;
  const link = adoptLink(core, id, { type, vlink, udpMode: mode === 1 || mode === 2 ? mode : 0 });
  announceConnect(core, link);
  core.ok([id]);
}

function start(core: ModuleCore, call: CommandCall<'CIPSTART' | 'CIPSTARTEX', StartParams>, id: number): void | Promise<void> {
  const { params } = call;
  if (!core.links.isFree(id)) {
    core.reply(call, 'already', 'ALREADY CONNECTED');
    return core.error('exec-failed');
  }
  const { type } = params;
  if (type !== 'TCP' && type !== 'UDP' && type !== 'SSL') {
    core.tracer.note(`CIPSTART type ${type} is not emulated (TCP, UDP and SSL over IPv4 are)`);
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
  return connect(core, params, id, type);
}

const startSet: Handler<'CIPSTART', 'set'> = (core, call) => start(core, call, linkIdOf(call.params));

/** AT+CIPSTARTEX: the lowest free id in multi-link mode. */
const startExSet: Handler<'CIPSTARTEX', 'set'> = (core, call) => {
  const id = core.mux ? core.links.lowestFree() : 0;
  if (id === null) return core.error('exec-failed');
  return start(core, call, id);
};

const domainSet: Handler<'CIPDOMAIN', 'set'> = async (core, call) => {
  const epoch = core.epoch;
  const name = call.params.domain;
  let ip: string;
  try {
    ip = await core.stack.resolve(name);
  } catch (error) {
    if (core.isCurrent(epoch)) answerStackError(core, error, `resolving ${name}`);
    return;
  }
  if (!core.isCurrent(epoch)) return;
  core.tracer.note(`${name} is ${ip}`);
  core.reply(call, 'address', { ip });
  core.ok();
};

export const TCPIP_CONNECT_HANDLERS = {
  CIPSTART: { set: startSet },
  CIPSTARTEX: { set: startExSet },
  CIPDOMAIN: { set: domainSet },
} satisfies Handlers;

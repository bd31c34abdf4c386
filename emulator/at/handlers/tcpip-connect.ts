import { isIPv4, isIPv6 } from 'node:net';
import { hasCommand } from '../../../firmware-protocol/at/command-table.js';
import { StackError } from '../../network/types.js';
import type { VirtualLink } from '../../network/types.js';
import type { SetParams } from '../../../firmware-protocol/at/commands/command-types.js';
import { linkIdOf, type CommandCall, type Handler, type Handlers } from '../handler-types.js';
import { adoptLink, announceConnect } from '../link-events.js';
import type { ModuleCore } from '../module-core.js';
import { answerSslFailure, openSslLink, sslStartRefusal } from '../ssl-client.js';
import { hasIp } from '../station-events.js';
import { stationIpv6 } from '../station-ipv6.js';
import { answerStackError } from './tcpip-common.js';

/** AT+CIPSTART, AT+CIPSTARTEX, AT+CIPDOMAIN (esp-at.md §4); "SSL" links via ssl-client.ts. */

type LinkTypeName = 'TCP' | 'UDP' | 'SSL';

/** A CIPSTART type: the transport and whether it is the IPv6 one ("TCPv6"...). */
interface StartType {
  readonly type: LinkTypeName;
  readonly ipv6: boolean;
}

function startType(text: string): StartType | null {
  const ipv6 = text.endsWith('v6');
  const type = ipv6 ? text.slice(0, -2) : text;
  return type === 'TCP' || type === 'UDP' || type === 'SSL' ? { type, ipv6 } : null;
}

/** What CIPSTART and CIPSTARTEX take (CIPSTARTEX has no link id). */
type StartParams = SetParams<'CIPSTART'> | SetParams<'CIPSTARTEX'>;

async function resolveHost(core: ModuleCore, host: string, ipv6: boolean): Promise<string> {
  if (ipv6) {
    // The world's names resolve to IPv4 only: an IPv6 link takes an IPv6 address.
    if (isIPv6(host)) return host;
    throw new StackError('dns', `${host}: no IPv6 address (the emulator resolves names to IPv4 only)`);
  }
  return isIPv4(host) ? host : core.stack.resolve(host);
}

async function openLink(core: ModuleCore, params: StartParams, id: number, { type, ipv6 }: StartType): Promise<VirtualLink> {
  const host = params.remote_host;
  const ip = await resolveHost(core, host, ipv6);
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
async function connect(core: ModuleCore, params: StartParams, id: number, start: StartType): Promise<void> {
  const { type } = start;
  const epoch = core.epoch;
  core.links.reserve(id);
  let vlink: VirtualLink;
  try {
    vlink = await openLink(core, params, id, start);
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
  const link = adoptLink(core, id, { type, ipv6: start.ipv6, vlink, udpMode: mode === 1 || mode === 2 ? mode : 0 });
  announceConnect(core, link);
  core.ok([id]);
}

function start(core: ModuleCore, call: CommandCall<'CIPSTART' | 'CIPSTARTEX', StartParams>, id: number): void | Promise<void> {
  const { params } = call;
  if (!core.links.isFree(id)) {
    core.reply(call, 'already', 'ALREADY CONNECTED');
    return core.error('exec-failed');
  }
  const start = startType(params.type);
  if (start === null) return core.error('param-invalid');
  const { type } = start;
  if (start.ipv6 && !ipv6Ready(core)) return core.error('exec-failed');
  const refusal = type === 'SSL' ? sslStartRefusal(core) : null;
  if (refusal !== null) {
    core.tracer.note(`CIPSTART SSL refused: ${refusal}`);
    return core.error('exec-failed');
  }
  if (!hasIp(core)) {
    core.tracer.note('CIPSTART without an IP address');
    return core.error('exec-failed', 'noIp');
  }
  return connect(core, params, id, start);
}

/** An IPv6 link needs a firmware with IPv6, AT+CIPV6=1 and an IPv6 address (at least the link-local one). */
function ipv6Ready(core: ModuleCore): boolean {
  if (!hasCommand(core.profile, 'CIPV6')) {
    core.tracer.note(`${core.profile.title} has no IPv6 links`);
    return false;
  }
  if (!core.settings.current.ipv6) {
    core.tracer.note('an IPv6 link needs AT+CIPV6=1 first');
    return false;
  }
  if (stationIpv6(core).linkLocal === null) {
    core.tracer.note('an IPv6 link needs an IPv6 address (wait for WIFI GOT IPv6 LL after the join)');
    return false;
  }
  return true;
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

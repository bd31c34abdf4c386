import { isIP, isIPv4, isIPv6 } from 'node:net';
import { moduleIpText } from '../../network/ipv6-address.js';
import { StackError } from '../../network/types.js';
import type { VirtualLink } from '../../network/types.js';
import type { SetParams } from '../../../firmware-protocol/at/commands/command-types.js';
import { linkIdOf, type CommandCall, type Handler, type Handlers } from '../handler-types.js';
import { adoptLink, announceConnect } from '../link-events.js';
import type { ModuleCore } from '../module-core.js';
import { answerSslFailure, openSslLink, sslStartRefusal } from '../ssl-client.js';
import { hasIp } from '../station-events.js';
import { ipv6Ready } from '../station-ipv6.js';
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

/**
 * The remote's address. The firmware's at_hostname_to_ipaddr (read off the 2.4 and 4.1 core libraries' code)
 * takes a literal of either family as it is, else asks getaddrinfo with AF_INET6 for a v6 type (AAAA
 * only: a name with only an A record does not resolve, the same ERROR as an unknown name) and AF_UNSPEC
 * for the others (an A record first; what a v4 link does with an AAAA-only name's answer is a failed
 * connect, ERROR either way, so the emulator asks A only there).
 */
async function resolveHost(core: ModuleCore, host: string, ipv6: boolean): Promise<string> {
  if (!ipv6) return isIPv4(host) ? host : core.stack.resolve(host);
  const ip = isIPv6(host) ? host : await core.stack.resolve(host, undefined, 'ipv6');
  if (!isIPv6(ip)) throw new StackError('dns', `${host}: no IPv6 address (${ip})`);
  return ip;
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
  if (start.ipv6 && !ipv6Ready(core, `a ${params.type} link`)) return core.error('exec-failed');
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


const startSet: Handler<'CIPSTART', 'set'> = (core, call) => start(core, call, linkIdOf(call.params));

/** AT+CIPSTARTEX: the lowest free id in multi-link mode. */
const startExSet: Handler<'CIPSTARTEX', 'set'> = (core, call) => {
  const id = core.mux ? core.links.lowestFree() : 0;
  if (id === null) return core.error('exec-failed');
  return start(core, call, id);
};

/**
 * `<ip network>` (2.x) as the firmware's getaddrinfo hints: 1 (the default) AF_UNSPEC, an A record
 * first; 2 AF_INET; 3 AF_INET6. The answer is printed by ipaddr_ntoa (`%s:"%s"`), an IPv6 one in lwIP's
 * text. A literal of either family answers itself (ipaddr_aton comes first). NonOS has no parameter
 * and no IPv6.
 */
const DOMAIN_CHOICES = { 1: 'ipv4-first', 2: 'ipv4', 3: 'ipv6' } as const;

const domainSet: Handler<'CIPDOMAIN', 'set'> = async (core, call) => {
  const epoch = core.epoch;
  const name = call.params.domain;
  const network = call.params.ip_network ?? (call.variant === 'nonos' ? 2 : 1);
  const choice = network === 1 || network === 2 || network === 3 ? DOMAIN_CHOICES[network] : 'ipv4';
  let ip: string;
  try {
    // ipaddr_aton first: a literal of either family answers itself, whatever the network.
    const literal = call.variant !== 'nonos' && isIP(name) !== 0;
    const timeoutMs = 'timeout' in call.params && call.params.timeout ? call.params.timeout : undefined;
    ip = moduleIpText(literal ? name : await core.stack.resolve(name, timeoutMs, choice));
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

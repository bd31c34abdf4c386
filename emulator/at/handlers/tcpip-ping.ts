import { isIPv4, isIPv6 } from 'node:net';
import { hasCommand } from '../../../firmware-protocol/at/command-table.js';
import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import { ipv6Ready } from '../station-ipv6.js';

/**
 * AT+PING: one echo, the name resolved first. The radio world says how long each host takes or that it
 * never answers (emulator/network/ping-world.ts). The docs: `+PING:TIMEOUT` then ERROR "only when the
 * domain name resolution failure or ping timeout"; without an address the echo cannot go out either, so
 * that answers the same way. Where the firmware has IPv6 (2.x) the host may be an IPv6 address, and a
 * name is resolved as the core's esp_at_ping_process does (at_hostname_to_ipaddr with `<ip network>` 1:
 * an A record first, the AAAA one where there is none; "IPv4 address preferred", the docs say). An
 * IPv6 echo needs AT+CIPV6=1 and the station's IPv6 address, else it cannot leave (TIMEOUT).
 * NonOS 1.7 (its `nonos` variant): `+<ms>` or `+timeout`, and a bare ERROR when the name does not
 * resolve.
 */
async function pingTarget(core: ModuleCore, host: string): Promise<string | null> {
  if (!hasCommand(core.profile, 'CIPV6')) return isIPv4(host) ? host : core.stack.resolve(host);
  const ip = isIPv4(host) || isIPv6(host) ? host : await core.stack.resolve(host, undefined, 'ipv4-first');
  if (isIPv6(ip) && !ipv6Ready(core, `a ping to ${ip}`)) return null;
  return ip;
}

const pingSet: Handler<'PING', 'set'> = async (core, call) => {
  const epoch = core.epoch;
  const host = call.params.host;
  let roundTrip: number | null;
  const nonos = call.variant === 'nonos';
  try {
    const ip = await pingTarget(core, host);
    if (!core.isCurrent(epoch)) return;
    roundTrip = ip === null ? null : await core.stack.ping(ip, core.profile.timing.pingTimeoutMs);
    core.tracer.note(`ping ${host} (${ip ?? 'not sent'}): ${roundTrip === null ? 'no answer' : `${roundTrip} ms`}`);
  } catch (error) {
    core.tracer.note(`ping ${host}: ${(error as Error).message}`);
    if (nonos && core.isCurrent(epoch)) return core.error();
    roundTrip = null;
  }
  if (!core.isCurrent(epoch)) return;
  const timeout = nonos ? 'timeout' : 'TIMEOUT';
  core.reply(call, 'result', { result: roundTrip === null ? timeout : String(roundTrip) });
  if (roundTrip === null) return core.error();
  core.ok();
};

export const TCPIP_PING_HANDLERS = {
  PING: { set: pingSet },
} satisfies Handlers;

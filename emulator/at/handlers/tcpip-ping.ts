import { isIPv4 } from 'node:net';
import type { Handler, Handlers } from '../handler-types.js';

/**
 * AT+PING: one echo, the name resolved first (IPv4). The radio world says how long each host takes or
 * that it never answers (emulator/network/ping-world.ts). The docs: `+PING:TIMEOUT` then ERROR "only when
 * the domain name resolution failure or ping timeout"; without an address the echo cannot go out either,
 * so that answers the same way. NonOS 1.7 (its `nonos` variant): `+<ms>` or `+timeout`, and a bare ERROR
 * when the name does not resolve.
 */
const pingSet: Handler<'PING', 'set'> = async (core, call) => {
  const epoch = core.epoch;
  const host = call.params.host;
  let roundTrip: number | null;
  const nonos = call.variant === 'nonos';
  try {
    const ip = isIPv4(host) ? host : await core.stack.resolve(host);
    if (!core.isCurrent(epoch)) return;
    roundTrip = await core.stack.ping(ip, core.profile.timing.pingTimeoutMs);
    core.tracer.note(`ping ${host} (${ip}): ${roundTrip === null ? 'no answer' : `${roundTrip} ms`}`);
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

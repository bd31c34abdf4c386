import { bytesText, cString, i16le, ipv4Bytes, ipv4Text, u32le } from '../../../firmware-protocol/nina/fields.js';
import type { NinaHandlerGroup } from '../handler-types.js';
import { boundedParam, byteParam, fixedParam, flag, handlerGroup, type NinaCall } from '../handler-types.js';
import { NO_ADDRESS, type NinaCore } from '../nina-core.js';

/** DNS (REQ_HOST_BY_NAME / GET_HOST_BY_NAME), firmware version, time and PING. */

const HOSTNAME_BYTES = 255;

async function requestHostByName(core: NinaCore, name: string): Promise<Uint8Array[]> {
  const epoch = core.epoch;
  core.resolvedHost = NO_ADDRESS;
  try {
    const ip = await core.stack.resolve(name);
    if (core.isCurrent(epoch)) core.resolvedHost = ip;
    core.tracer.note(`DNS ${name} → ${ip}`);
    return flag(true);
  } catch (error) {
    core.tracer.note(`DNS ${name} failed: ${(error as Error).message}`);
    return flag(false);
  }
}

/** nina-fw's _ping: one ICMP echo with SO_RCVTIMEO 5 s; -1 when nothing came back in time. */
const PING_TIMEOUT_MS = 5000;
const INT16_MAX = 0x7fff;

/**
 * PING (ip, ttl): the round trip in ms as int16 LE, -1 without an echo. The radio world's ping table
 * says how long each host takes (emulator/network/ping-world.ts); the TTL is read and has no effect
 * (the simulated world has no hops). Without an address the echo cannot leave: -1.
 */
async function ping(core: NinaCore, call: NinaCall): Promise<Uint8Array[]> {
  const ip = ipv4Text(fixedParam(call, 0, 4));
  byteParam(call, 1);
  try {
    const roundTrip = await core.stack.ping(ip, PING_TIMEOUT_MS);
    core.tracer.note(`ping ${ip}: ${roundTrip === null ? 'no answer' : `${roundTrip} ms`}`);
    return [i16le(roundTrip === null ? -1 : Math.min(roundTrip, INT16_MAX))];
  } catch (error) {
    core.tracer.note(`ping ${ip}: ${(error as Error).message}`);
    return [i16le(-1)];
  }
}

export const DNS_SYSTEM_HANDLERS: NinaHandlerGroup = handlerGroup([
  [
    'REQ_HOST_BY_NAME',
    { support: 'emulated', handler: (core, call) => requestHostByName(core, bytesText(boundedParam(call, 0, HOSTNAME_BYTES))) },
  ],
  ['GET_HOST_BY_NAME', { support: 'emulated', handler: (core) => [ipv4Bytes(core.resolvedHost)] }],
  ['GET_FW_VERSION', { support: 'emulated', handler: (core) => [cString(core.firmwareVersion)] }],
  ['PING', { support: 'emulated', handler: ping }],
  [
    'GET_TIME',
    {
      support: 'emulated',
      // nina-fw's getTime(): time(), which its SNTP client sets (emulator/nina/nina-sntp.ts).
      handler: (core) => [u32le(core.sntp.seconds())],
    },
  ],
]);

import { bytesText, cString, ipv4Bytes, u32le } from '../../../firmware-protocol/nina/fields.js';
import type { NinaHandlerGroup } from '../handler-types.js';
import { boundedParam, flag, handlerGroup } from '../handler-types.js';
import { NO_ADDRESS, type NinaCore } from '../nina-core.js';

/** DNS (REQ_HOST_BY_NAME / GET_HOST_BY_NAME), firmware version and time. */

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

export const DNS_SYSTEM_HANDLERS: NinaHandlerGroup = handlerGroup([
  [
    'REQ_HOST_BY_NAME',
    { support: 'emulated', handler: (core, call) => requestHostByName(core, bytesText(boundedParam(call, 0, HOSTNAME_BYTES))) },
  ],
  ['GET_HOST_BY_NAME', { support: 'emulated', handler: (core) => [ipv4Bytes(core.resolvedHost)] }],
  ['GET_FW_VERSION', { support: 'emulated', handler: (core) => [cString(core.firmwareVersion)] }],
  [
    'GET_TIME',
    {
      support: 'emulated',
      // SNTP syncs once the station has an address; the host's clock stands in for pool.ntp.org.
      handler: (core) => [u32le(core.stack.station.info().ip === '0.0.0.0' ? 0 : Math.floor(Date.now() / 1000))],
    },
  ],
]);

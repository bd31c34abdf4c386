/**
 * What every socket, server and datagram socket of one module shares: its back end, the clock of
 * their timers, the station's address, and name resolution by the module.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Clock } from '../../runtime/clock.js';
import type { Backend } from '../backend.js';
import { osError } from '../errors.js';
import type { StationAddress } from './station-address.js';

export interface NetContext {
  readonly backend: Backend;
  readonly clock: Clock;
  readonly station: StationAddress;
}

/** Resolves a host to an IPv4 address through the module (numeric addresses without a round trip). */
export async function moduleLookup(backend: Backend, host: string): Promise<string> {
  if (isIPv4(host)) return host;
  if (isIPv6(host) && !backend.info.ipv6) throw osError('EAFNOSUPPORT', `${backend.info.name} is used with IPv4 only`);
  return backend.resolve(host);
}

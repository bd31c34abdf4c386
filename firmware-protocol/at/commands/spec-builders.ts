import type { ParamSpec, SetSignature } from '../command-spec.js';
import type { ProfileId } from '../profile.js';

/** Small constructors so the command tables read like the firmware documentation. */

export const V2: readonly ProfileId[] = ['esp32-at-2.x'];
export const V17: readonly ProfileId[] = ['esp8266-at-1.7'];
export const ALL: readonly ProfileId[] = ['esp32-at-2.x', 'esp8266-at-1.7'];

export function int(name: string, min: number, max?: number): ParamSpec {
  return max === undefined ? { name, type: 'int', min } : { name, type: 'int', min, max };
}

export function str(name: string, maxLength?: number): ParamSpec {
  return maxLength === undefined ? { name, type: 'string' } : { name, type: 'string', maxLength };
}

export function oneOf(name: string, values: readonly string[]): ParamSpec {
  return { name, type: 'string', oneOf: values };
}

/** The same parameter, allowed empty (`,,`) or omitted at the end. */
export function opt(spec: ParamSpec): ParamSpec {
  return { ...spec, optional: true };
}

export function any(...params: ParamSpec[]): SetSignature {
  return { mux: 'any', params };
}

export function single(...params: ParamSpec[]): SetSignature {
  return { mux: 'single', params };
}

export function multi(...params: ParamSpec[]): SetSignature {
  return { mux: 'multi', params };
}

/** A 0/1 switch. */
export function flag(name: string): ParamSpec {
  return int(name, 0, 1);
}

/** Link ids 0..4 (AT_SOCKET_MAX_CONN_NUM = 5). */
export const LINK_ID = int('link_id', 0, 4);
/** CIPCLOSE also takes 5 = all links. */
export const LINK_ID_OR_ALL = int('link_id', 0, 5);
export const PORT_RANGE_MAX = 65535;
/** CIPSTART's remote host: at most 64 bytes (esp-at.md §4). */
export const HOST_MAX_LENGTH = 64;
export const SSID_MAX_LENGTH = 32;
export const PASSWORD_MAX_LENGTH = 64;
export const INT32_MAX = 2147483647;

export function port(name: string): ParamSpec {
  return int(name, 0, PORT_RANGE_MAX);
}

export function host(name = 'remote_host'): ParamSpec {
  return str(name, HOST_MAX_LENGTH);
}

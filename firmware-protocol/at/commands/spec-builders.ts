import type { ParamErrorCodes, ParamSpec } from '../command-spec.js';

/**
 * Small constructors so the command declarations read like the firmware documentation. They keep
 * the literal names and string choices in their types (`int('mode', 0, 3)` is a parameter named
 * `'mode'`), which is what makes a misspelt parameter a compile error at every use.
 */

export function int<const N extends string>(name: N, min: number, max?: number): ParamSpec<N, 'int'> {
  return max === undefined ? { name, type: 'int', min } : { name, type: 'int', min, max };
}

export function str<const N extends string>(name: N, maxLength?: number): ParamSpec<N, 'string'> {
  return maxLength === undefined ? { name, type: 'string' } : { name, type: 'string', maxLength };
}

export function oneOf<const N extends string, const V extends string>(
  name: N,
  values: readonly V[],
): ParamSpec<N, 'string', V> & { readonly oneOf: readonly V[] } {
  return { name, type: 'string', oneOf: values };
}

/** The same parameter, allowed empty (`,,`) or omitted at the end. */
export function opt<const P extends ParamSpec>(spec: P): P & { readonly optional: true } {
  return { ...spec, optional: true };
}

/** The same parameter, allowed empty but not omitted (`=[<ssid>],[<pwd>]`: the comma must be there). */
export function blank<const P extends ParamSpec>(spec: P): P & { readonly optional: true; readonly placeRequired: true } {
  return { ...spec, optional: true, placeRequired: true };
}

export function any<const P extends readonly ParamSpec[]>(...params: P): { readonly mux: 'any'; readonly params: P } {
  return { mux: 'any', params };
}

export function single<const P extends readonly ParamSpec[]>(...params: P): { readonly mux: 'single'; readonly params: P } {
  return { mux: 'single', params };
}

export function multi<const P extends readonly ParamSpec[]>(...params: P): { readonly mux: 'multi'; readonly params: P } {
  return { mux: 'multi', params };
}

/** A 0/1 switch. */
export function flag<const N extends string>(name: N): ParamSpec<N, 'int'> {
  return int(name, 0, 1);
}

/** Link ids 0..4 (AT_SOCKET_MAX_CONN_NUM = 5). */
export const LINK_ID = int('link_id', 0, 4);
/** CIPCLOSE and the SSL settings also take 5 = all links. */
export const LINK_ID_OR_ALL = int('link_id', 0, 5);
export const PORT_RANGE_MAX = 65535;
/** CIPSTART's remote host: at most 64 bytes (esp-at.md §4). */
export const HOST_MAX_LENGTH = 64;
export const SSID_MAX_LENGTH = 32;
export const PASSWORD_MAX_LENGTH = 64;
export const MAC_TEXT_LENGTH = 17;
export const INT32_MAX = 2147483647;

export function port<const N extends string>(name: N): ParamSpec<N, 'int'> {
  return int(name, 0, PORT_RANGE_MAX);
}

export const REMOTE_HOST = str('remote_host', HOST_MAX_LENGTH);

/** A parameter's error codes in a family with its own (`ERR CODE:0x%08x`): wrong type, left empty, out of range or too long. */
export function paramCodes(read: number, empty: number | null, wrong: number): ParamErrorCodes {
  return { read, empty: empty ?? read, wrong };
}

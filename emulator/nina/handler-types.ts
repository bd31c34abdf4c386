import type { NinaCommandName } from '../../firmware-protocol/nina/command-table.js';
import { MAX_SOCKETS } from '../../firmware-protocol/nina/constants.js';
import type { NinaCore } from './nina-core.js';

/** One request as a handler sees it. */
export interface NinaCall {
  readonly command: number;
  readonly params: readonly Uint8Array[];
}

/** The reply's parameters, or null for the firmware's error reply. */
export type NinaAnswer = readonly Uint8Array[] | null;

export type NinaHandler = (core: NinaCore, call: NinaCall) => NinaAnswer | Promise<NinaAnswer>;

/** What a command does in copro: runs as in nina-fw, or is accepted with nina-fw's answer but no effect. */
export type NinaSupport = 'emulated' | 'no effect';

export interface NinaHandlerEntry {
  readonly handler: NinaHandler;
  readonly support: NinaSupport;
}

/**
 * A request nina-fw would read past or overflow (missing parameter, socket number ≥ 10, a name longer
 * than its buffer): the emulator answers the error reply instead (peers.md §1.10 #9).
 */
export class BadRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

function param(call: NinaCall, index: number): Uint8Array {
  const value = call.params[index];
  if (value === undefined) throw new BadRequest(`parameter ${index + 1} is missing`);
  return value;
}

/** A one-byte value (nina-fw reads the first byte of the parameter). */
export function byteParam(call: NinaCall, index: number): number {
  const value = param(call, index);
  if (value.length < 1) throw new BadRequest(`parameter ${index + 1} is empty`);
  return value[0];
}

/** A one-byte value when the parameter is there, else `fallback`. */
export function optionalByteParam(call: NinaCall, index: number, fallback: number): number {
  return call.params[index] === undefined ? fallback : byteParam(call, index);
}

/** A socket number 0..9. */
export function socketParam(call: NinaCall, index: number): number {
  const n = byteParam(call, index);
  if (n >= MAX_SOCKETS) throw new BadRequest(`socket ${n} is out of range 0..${MAX_SOCKETS - 1}`);
  return n;
}

/** A parameter of exactly `size` bytes. */
export function fixedParam(call: NinaCall, index: number, size: number): Uint8Array {
  const value = param(call, index);
  if (value.length !== size) throw new BadRequest(`parameter ${index + 1} has ${value.length} bytes, expected ${size}`);
  return value;
}

/** A byte string of at most `max` bytes (the firmware's buffer). */
export function boundedParam(call: NinaCall, index: number, max: number): Uint8Array {
  const value = param(call, index);
  if (value.length > max) throw new BadRequest(`parameter ${index + 1} has ${value.length} bytes, the firmware keeps ${max}`);
  return value;
}

export function dataParam(call: NinaCall, index: number): Uint8Array {
  return param(call, index);
}

/** The usual one-byte answer: 1 = ok, 0 = failed. */
export function flag(ok: boolean): Uint8Array[] {
  return [Uint8Array.of(ok ? 1 : 0)];
}

/** One area's handlers by command name (the registry turns names into codes through the command table). */
export type NinaHandlerGroup = ReadonlyMap<NinaCommandName, NinaHandlerEntry>;

export function handlerGroup(entries: ReadonlyArray<readonly [NinaCommandName, NinaHandlerEntry]>): NinaHandlerGroup {
  return new Map(entries);
}

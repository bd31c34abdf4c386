/**
 * The control channel's protocol: one JSON object per line each way, a response per request.
 *
 *   {"op":"fault","specs":["reset","busy-p@0.1"]}  → {"ok":true,"results":["reset: module resets…","armed busy-p@0.1"]}
 *   {"op":"clear","kinds":["busy-p"]}              → {"ok":true,"cleared":["busy-p@0.1"]}   (no kinds: all)
 *   {"op":"list"}                                   → {"ok":true,"status":{seed, armed, injected}, "module":{…}}
 *   {"op":"seed","seed":42}                         → {"ok":true,"status":{…}}
 *   anything wrong                                  → {"ok":false,"error":"…"}
 *
 * Requests carry fault spec text only (no paths, no code): nothing reaches the file system.
 */

export const MAX_REQUEST_BYTES = 64 * 1024;
export const MAX_SPECS_PER_REQUEST = 32;

export type ControlRequest =
  | { readonly op: 'fault'; readonly specs: readonly string[] }
  | { readonly op: 'clear'; readonly kinds?: readonly string[] }
  | { readonly op: 'list' }
  | { readonly op: 'seed'; readonly seed: number };

export interface ModuleInfo {
  readonly name: string;
  readonly address: string;
  readonly profile: string;
  readonly pid: number;
}

export interface ArmedView {
  readonly spec: string;
  readonly opportunities: number;
  readonly fired: number;
  readonly spent: boolean;
}

export interface StatusView {
  readonly seed: number;
  readonly armed: readonly ArmedView[];
  readonly injected: Readonly<Record<string, number>>;
}

export type ControlResponse =
  | {
      readonly ok: true;
      readonly results?: readonly string[];
      readonly cleared?: readonly string[];
      readonly status?: StatusView;
      readonly module?: ModuleInfo;
    }
  | { readonly ok: false; readonly error: string };

export class ControlProtocolError extends Error {
  override name = 'ControlProtocolError';
}

function stringList(value: unknown, what: string, max: number): string[] {
  if (!Array.isArray(value) || value.length > max || !value.every((item) => typeof item === 'string' && item.length <= 200)) {
    throw new ControlProtocolError(`${what} must be a list of at most ${max} strings of at most 200 characters`);
  }
  return value as string[];
}

/** Validates one request line; throws ControlProtocolError with a message for the client. */
export function parseControlRequest(line: string): ControlRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ControlProtocolError('not a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ControlProtocolError('not a JSON object');
  const request = value as Record<string, unknown>;
  switch (request.op) {
    case 'fault': {
      const specs = stringList(request.specs, 'specs', MAX_SPECS_PER_REQUEST);
      if (specs.length === 0) throw new ControlProtocolError('specs is empty');
      return { op: 'fault', specs };
    }
    case 'clear':
      return request.kinds === undefined ? { op: 'clear' } : { op: 'clear', kinds: stringList(request.kinds, 'kinds', 32) };
    case 'list':
      return { op: 'list' };
    case 'seed': {
      const seed = request.seed;
      if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new ControlProtocolError('seed must be an integer 0..4294967295');
      }
      return { op: 'seed', seed };
    }
    default:
      throw new ControlProtocolError(`unknown op ${JSON.stringify(request.op)} (fault, clear, list, seed)`);
  }
}

/**
 * The fault syntax shared by `copro emulate --fault`, the config's `faults` section and
 * `copro fault`:
 *
 *   KIND[@TRIGGER][:PARAM[,PARAM...]]
 *
 *   TRIGGER  0.01 | 1% | 1/500     each opportunity fires with this probability
 *            #N                    the N-th opportunity from when the fault is armed (once)
 *            2s | 1500ms | 5s..20s once after that time (a random time in the window); a trailing
 *                                  `*` repeats it (`30s*`, `10s..60s*`)
 *            now                   at once (only `copro fault`, only for event kinds)
 *   PARAM    key=value or a bare flag, e.g. `dir=out`, `max=3`, `by=50ms..300ms`, `after-ok`
 *
 * What an "opportunity" is depends on the kind (KIND_INFO): a command line the module runs, a
 * byte on the serial line, a chunk of module output, a name lookup, a chunk of TCP data.
 */

export const FAULT_KINDS = [
  'reset',
  'busy-p',
  'busy-s',
  'wifi-drop',
  'tcp-reset',
  'dns-fail',
  'drop',
  'corrupt',
  'dup',
  'delay',
  'stall',
  'split',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Where a kind gets its chances to fire. */
export type Opportunity = 'command' | 'byte' | 'output' | 'resolve' | 'tcp-data';

export type Direction = 'in' | 'out' | 'both';

export type Trigger =
  | { readonly type: 'now' }
  | { readonly type: 'rate'; readonly p: number }
  | { readonly type: 'nth'; readonly n: number }
  | { readonly type: 'time'; readonly minMs: number; readonly maxMs: number; readonly repeat: boolean };

export interface MsRange {
  readonly minMs: number;
  readonly maxMs: number;
}

/** Every parameter any kind takes; KIND_INFO says which one a kind accepts. */
export interface FaultParams {
  /** Stop after this many injections. */
  readonly max?: number;
  /** Serial faults and stall: host → module (`in`), module → host (`out`) or both. */
  readonly dir?: Direction;
  /** delay: how much later each affected output chunk leaves. */
  readonly by?: MsRange;
  /** stall: how long the line stays silent. */
  readonly for?: number;
  /** dns-fail: how long the failing lookup takes (E13: DNS failure is slow and late). */
  readonly after?: number;
  /** busy-p / busy-s: the command runs and the stray busy line follows its answer (E6). */
  readonly afterOk?: boolean;
  /** wifi-drop: when the AP is back (the firmware reconnects at its interval); absent = at once; 'never' = no reconnection this time. */
  readonly rejoin?: number | 'never';
  /** tcp-reset: only links whose remote or local port is this. */
  readonly port?: number;
  /** split: pause between the pieces of a chunk. */
  readonly gap?: number;
  /** split: at most this many pieces per chunk. */
  readonly pieces?: number;
}

export interface FaultSpec {
  readonly kind: FaultKind;
  readonly trigger: Trigger;
  readonly params: FaultParams;
}

interface KindInfo {
  readonly opportunity: Opportunity;
  /** Can happen at an instant (now, on a timer) rather than only at an opportunity. */
  readonly event: boolean;
  /** The trigger when none is written: `now` (events), every opportunity, or none (must be given). */
  readonly defaultTrigger: 'now' | 'always' | null;
  readonly params: readonly (keyof FaultParams)[];
  readonly summary: string;
}

export const KIND_INFO: Readonly<Record<FaultKind, KindInfo>> = {
  reset: { opportunity: 'command', event: true, defaultTrigger: 'now', params: ['max'], summary: 'module resets (brown-out): links gone, `ready`, echo back on' },
  'busy-p': { opportunity: 'command', event: true, defaultTrigger: 'now', params: ['max', 'afterOk'], summary: 'a command is refused with `busy p...` (or a stray one follows its answer)' },
  'busy-s': { opportunity: 'command', event: true, defaultTrigger: 'now', params: ['max', 'afterOk'], summary: 'as busy-p with the NonOS `busy s...`' },
  'wifi-drop': { opportunity: 'command', event: true, defaultTrigger: 'now', params: ['max', 'rejoin'], summary: 'the AP goes away: WIFI DISCONNECT, links CLOSED, rejoin with WIFI CONNECTED / GOT IP' },
  'tcp-reset': { opportunity: 'tcp-data', event: true, defaultTrigger: 'now', params: ['max', 'port'], summary: 'the remote end resets a TCP link: CLOSED (SEND FAIL if mid-send)' },
  stall: { opportunity: 'output', event: true, defaultTrigger: 'now', params: ['max', 'for', 'dir'], summary: 'the UART goes silent for a while (output held, input held)' },
  'dns-fail': { opportunity: 'resolve', event: false, defaultTrigger: 'always', params: ['max', 'after'], summary: 'a name lookup fails (DNS Fail / ERROR), optionally late' },
  drop: { opportunity: 'byte', event: false, defaultTrigger: null, params: ['max', 'dir'], summary: 'serial bytes lost' },
  corrupt: { opportunity: 'byte', event: false, defaultTrigger: null, params: ['max', 'dir'], summary: 'serial bytes changed (XOR with a random non-zero value)' },
  dup: { opportunity: 'byte', event: false, defaultTrigger: null, params: ['max', 'dir'], summary: 'serial bytes received twice' },
  delay: { opportunity: 'output', event: false, defaultTrigger: 'always', params: ['max', 'by'], summary: 'module output leaves later (order kept)' },
  split: { opportunity: 'output', event: false, defaultTrigger: 'always', params: ['max', 'gap', 'pieces'], summary: 'module output cut into pieces at adversarial points (+IPD headers, CR|LF, payloads)' },
};

export const DEFAULT_DELAY: MsRange = { minMs: 100, maxMs: 100 };
export const DEFAULT_STALL_MS = 1000;
export const DEFAULT_SPLIT_GAP_MS = 2;
export const DEFAULT_SPLIT_PIECES = 3;

/** Longest accepted spec text: specs also arrive over the control channel. */
export const MAX_SPEC_LENGTH = 200;
const MAX_MS = 24 * 3600 * 1000;

export class FaultSpecError extends Error {
  constructor(text: string, detail: string) {
    super(`bad fault "${text.length > 60 ? `${text.slice(0, 57)}...` : text}": ${detail}`);
    this.name = 'FaultSpecError';
  }
}

export interface ParseOptions {
  /** `now` (and a missing trigger on event kinds) is allowed: the control channel fires at once. */
  readonly allowNow?: boolean;
}

export function isFaultKind(text: string): text is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(text);
}

export function parseFaultSpec(text: string, options: ParseOptions = {}): FaultSpec {
  const fail = (detail: string): never => {
    throw new FaultSpecError(text, detail);
  };
  if (text.length > MAX_SPEC_LENGTH) fail(`longer than ${MAX_SPEC_LENGTH} characters`);
  const match = /^([a-z-]+)(?:@([^:]*))?(?::(.*))?$/.exec(text.trim());
  if (!match) return fail('expected KIND[@TRIGGER][:PARAMS]');
  const [, kindText, triggerText, paramText] = match;
  if (!isFaultKind(kindText)) return fail(`unknown kind "${kindText}" (one of ${FAULT_KINDS.join(', ')})`);
  const info = KIND_INFO[kindText];
  const trigger = triggerText === undefined ? defaultTrigger(kindText, options, fail) : parseTrigger(triggerText, fail);
  if ((trigger.type === 'now' || trigger.type === 'time') && !info.event) {
    fail(`${kindText} happens at ${info.opportunity === 'byte' ? 'bytes' : `each ${info.opportunity}`}: give a rate or #N, not a time`);
  }
  if (trigger.type === 'now' && !options.allowNow) fail('`now` is for `copro fault`; in a plan give a rate, #N or a time');
  const params = paramText === undefined ? {} : parseParams(paramText, info.params, fail);
  return { kind: kindText, trigger, params };
}

function defaultTrigger(kind: FaultKind, options: ParseOptions, fail: (detail: string) => never): Trigger {
  const info = KIND_INFO[kind];
  if (info.defaultTrigger === 'always') return { type: 'rate', p: 1 };
  if (info.defaultTrigger === 'now' && options.allowNow) return { type: 'now' };
  return fail(
    info.defaultTrigger === 'now'
      ? `when should it happen? e.g. ${kind}@0.01, ${kind}@#3 or ${kind}@10s`
      : `give a rate, e.g. ${kind}@0.001 or ${kind}@1/5000`,
  );
}

function parseTrigger(text: string, fail: (detail: string) => never): Trigger {
  if (text === 'now') return { type: 'now' };
  if (text.startsWith('#')) {
    const n = Number(text.slice(1));
    if (!Number.isInteger(n) || n < 1 || n > 1e12) fail(`#N needs a whole number ≥ 1 (got "${text}")`);
    return { type: 'nth', n };
  }
  const rate = parseRate(text);
  if (rate !== null) {
    if (!(rate > 0 && rate <= 1)) fail(`a rate must be in (0, 1] (got "${text}")`);
    return { type: 'rate', p: rate };
  }
  const repeat = text.endsWith('*');
  const window = repeat ? text.slice(0, -1) : text;
  const range = parseRange(window, true);
  if (range === null) return fail(`trigger "${text}" is none of: 0.01, 1%, 1/500, #N, 2s, 5s..20s, 30s*, now`);
  if (repeat && range.maxMs < 1) fail('a repeating time must be > 0');
  return { type: 'time', minMs: range.minMs, maxMs: range.maxMs, repeat };
}

function parseRate(text: string): number | null {
  if (/^\d+(\.\d+)?%$/.test(text)) return Number(text.slice(0, -1)) / 100;
  const fraction = /^(\d+)\/(\d+)$/.exec(text);
  if (fraction) return Number(fraction[2]) === 0 ? NaN : Number(fraction[1]) / Number(fraction[2]);
  if (/^(0|1)(\.\d+)?$/.test(text) || /^\.\d+$/.test(text)) return Number(text);
  return null;
}

/** `150ms`, `2s`, `1.5m`; a bare number is milliseconds unless `unitRequired`. */
function parseDuration(text: string, unitRequired: boolean): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  if (!match || (unitRequired && match[2] === undefined)) return null;
  const factor = match[2] === 's' ? 1000 : match[2] === 'm' ? 60_000 : 1;
  const ms = Math.round(Number(match[1]) * factor);
  return ms <= MAX_MS ? ms : null;
}

function parseRange(text: string, unitRequired: boolean): MsRange | null {
  const parts = text.split('..');
  if (parts.length > 2) return null;
  const low = parseDuration(parts[0], unitRequired);
  const high = parts.length === 2 ? parseDuration(parts[1], unitRequired) : low;
  if (low === null || high === null || high < low) return null;
  return { minMs: low, maxMs: high };
}

function parseParams(
  text: string,
  allowed: readonly (keyof FaultParams)[],
  fail: (detail: string) => never,
): FaultParams {
  const params: Record<string, unknown> = {};
  for (const item of text.split(',')) {
    const [key, value, extra] = item.split('=');
    if (extra !== undefined || key === '') fail(`bad parameter "${item}"`);
    const name = key === 'after-ok' ? 'afterOk' : key;
    if (!(allowed as readonly string[]).includes(name)) {
      fail(`"${key}" is not a parameter of this kind (it takes ${allowed.map(paramName).join(', ')})`);
    }
    if (name in params) fail(`"${key}" given twice`);
    params[name] = parseParamValue(name as keyof FaultParams, value, fail);
  }
  return params as FaultParams;
}

function paramName(key: keyof FaultParams): string {
  return key === 'afterOk' ? 'after-ok' : key;
}

function parseParamValue(name: keyof FaultParams, value: string | undefined, fail: (detail: string) => never): unknown {
  const need = (what: string): never => fail(`${paramName(name)}= needs ${what}`);
  if (name === 'afterOk') {
    if (value !== undefined) fail('after-ok is a flag (no value)');
    return true;
  }
  if (value === undefined) return need('a value');
  switch (name) {
    case 'max':
    case 'pieces': {
      const n = Number(value);
      const low = name === 'pieces' ? 2 : 1;
      const high = name === 'pieces' ? 16 : 1e12;
      return Number.isInteger(n) && n >= low && n <= high ? n : need(`a whole number in ${low}..${high}`);
    }
    case 'port': {
      const n = Number(value);
      return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : need('a port 1..65535');
    }
    case 'dir':
      return value === 'in' || value === 'out' || value === 'both' ? value : need('in, out or both');
    case 'by':
      return parseRange(value, false) ?? need('a duration or range, e.g. 200ms or 50ms..300ms');
    case 'rejoin':
      if (value === 'never') return value;
      return parseDuration(value, false) ?? need('a duration (e.g. 2s) or never');
    case 'for':
    case 'after':
    case 'gap':
      return parseDuration(value, false) ?? need('a duration, e.g. 500ms or 2s');
  }
  return need('a value');
}

/**
 * Which armed fault a new one replaces: one fault per kind, and per direction for serial faults
 * (`drop:dir=in` and `drop:dir=out` can both be armed).
 */
export function faultKey(spec: FaultSpec): string {
  const info = KIND_INFO[spec.kind];
  return info.opportunity === 'byte' ? `${spec.kind}:${spec.params.dir ?? 'both'}` : spec.kind;
}

import type { FinalResult, HostEvent, Urc } from './types.js';

/** Lines that end a command (esp-at.md §7 item 1). */
const FINALS: ReadonlySet<string> = new Set<FinalResult>(['OK', 'ERROR', 'FAIL', 'SEND OK', 'SEND FAIL']);

/** Fixed-text unsolicited lines. */
const FIXED_URCS: ReadonlyMap<string, Urc> = new Map<string, Urc>([
  ['ready', { kind: 'ready' }],
  ['CONNECT', { kind: 'connect', link: null }],
  ['CLOSED', { kind: 'closed', link: null }],
  ['WIFI CONNECTED', { kind: 'wifi-connected' }],
  ['WIFI GOT IP', { kind: 'wifi-got-ip' }],
  ['WIFI DISCONNECT', { kind: 'wifi-disconnect' }],
  ['busy p...', { kind: 'busy', which: 'p' }],
  ['busy s...', { kind: 'busy', which: 's' }],
  ['Will force to restart!!!', { kind: 'will-restart' }],
]);

const LINK_EVENT = /^(\d{1,2}),(CONNECT|CLOSED)$/;
const IPD_NOTICE = /^\+IPD,(?:(\d{1,2}),)?(\d{1,10})$/;
const RECV_BYTES = /^Recv (\d{1,10}) bytes$/;
const INFO = /^\+([A-Za-z0-9_]+):(.*)$/s;

/** Turns one complete, non-empty line (no CR/LF) into its host event. */
export function classifyLine(text: string): HostEvent {
  if (FINALS.has(text)) return { type: 'final', result: text as FinalResult };
  const fixed = FIXED_URCS.get(text);
  if (fixed !== undefined) return { type: 'urc', urc: fixed };
  let m = LINK_EVENT.exec(text);
  if (m !== null) {
    const link = Number(m[1]);
    return { type: 'urc', urc: m[2] === 'CONNECT' ? { kind: 'connect', link } : { kind: 'closed', link } };
  }
  m = IPD_NOTICE.exec(text);
  if (m !== null) {
    const link = m[1] === undefined ? null : Number(m[1]);
    return { type: 'urc', urc: { kind: 'ipd-notice', link, length: Number(m[2]) } };
  }
  m = RECV_BYTES.exec(text);
  if (m !== null) return { type: 'recv-bytes', count: Number(m[1]) };
  m = INFO.exec(text);
  if (m !== null) return { type: 'info', name: m[1], text: m[2] };
  return { type: 'line', text };
}

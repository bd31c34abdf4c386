/**
 * A dialogue cut into exchanges, as `copro verify` compares them: each host command with what
 * the module answered to it. Decoded with the driver's codec both ways (AtDialogueDecoder), so
 * two dialogues that split their bytes differently cut the same way. Pure.
 *
 * - `answers`: the module's events from the command up to and including its final result (or the
 *   data prompt), echo left out (it only sets `echoed`);
 * - `later`: what came after the final result and before the next command, plus, whenever they
 *   came, received payloads and the URCs the command did not cause itself (a join causes WIFI
 *   CONNECTED, a connect CONNECT...): the network's timing, not the firmware's answer;
 * - `moduleBytes`: every byte the module sent while the exchange was the current one;
 *   `answerBytes` the part of them up to the end of the final result (or prompt).
 */
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { HostEvent, ParsedCommand } from '../../firmware-protocol/at/types.js';
import { AtDialogueDecoder } from './at-dialogue.js';
import type { Side } from './format.js';

export interface TimedBytes {
  readonly side: Side;
  readonly bytes: Uint8Array;
  /** Milliseconds. */
  readonly t: number;
}

export interface TimedEvent {
  readonly event: HostEvent;
  readonly t: number;
}

export interface Exchange {
  /** The host's line; null for what the module said before the first command (its boot). */
  readonly line: string | null;
  readonly command: ParsedCommand | null;
  readonly startT: number;
  readonly echoed: boolean;
  readonly answers: readonly TimedEvent[];
  readonly later: readonly TimedEvent[];
  /** CIPSEND payloads the host sent in this exchange. */
  readonly payloads: readonly TimedBytes[];
  /** When the final result (or prompt) came; null when none came. */
  readonly endT: number | null;
  readonly moduleBytes: Buffer;
  readonly answerBytes: Buffer;
  /** Something outside the answer (received data, a late URC) came before the answer ended. */
  readonly interleaved: boolean;
}

interface Building {
  line: string | null;
  command: ParsedCommand | null;
  startT: number;
  echoed: boolean;
  answers: TimedEvent[];
  later: TimedEvent[];
  payloads: TimedBytes[];
  endT: number | null;
  moduleBytes: Uint8Array[];
  moduleLength: number;
  /** Where the answer's last token is searched for: the start of the chunk that ended it, and the token. */
  answerEnd: { from: number; token: string } | null;
  interleaved: boolean;
}

function fresh(line: string | null, command: ParsedCommand | null, startT: number): Building {
  return { line, command, startT, echoed: false, answers: [], later: [], payloads: [], endT: null, moduleBytes: [], moduleLength: 0, answerEnd: null, interleaved: false };
}

/** The bytes up to the end of the answer's last token (the final result's line, or the prompt and its space). */
function answerCut(all: Buffer, end: { from: number; token: string } | null): number {
  if (!end) return all.length;
  const at = all.indexOf(end.token, end.from, 'latin1');
  if (at < 0) return all.length;
  const cut = at + end.token.length;
  return end.token === '>' && all[cut] === 0x20 ? cut + 1 : cut;
}

/** The URCs a command itself causes; any other URC is the world's and may land anywhere. */
const OWN_URCS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^CWJAP/, ['wifi-connected', 'wifi-got-ip', 'wifi-disconnect']],
  [/^CIPSTART/, ['connect']],
  [/^CIPCLOSE$/, ['closed']],
  [/^(RST|RESTORE)$/, ['ready']],
];

/** Received data, and URCs the current command did not cause: the network's timing, not the firmware's answer. */
function isAsync(event: HostEvent, command: ParsedCommand | null): boolean {
  if (event.type === 'ipd') return true;
  if (event.type !== 'urc') return false;
  const kind = event.urc.kind;
  return !OWN_URCS.some(([name, kinds]) => command !== null && name.test(command.name) && kinds.includes(kind));
}

/** Commands whose OK is followed by the data prompt: the answer ends at the prompt. */
const PROMPTING = new Set(['CIPSEND', 'CIPSENDEX', 'CIPSENDL']);

function endsAnswer(event: HostEvent, command: ParsedCommand | null): boolean {
  if (event.type === 'prompt') return true;
  if (event.type !== 'final') return false;
  return !(event.result === 'OK' && command !== null && PROMPTING.has(command.name));
}

export function splitExchanges(items: readonly TimedBytes[], profile?: FirmwareProfile): Exchange[] {
  const decoder = new AtDialogueDecoder(profile);
  const done: Building[] = [];
  let current = fresh(null, null, 0);
  for (const item of items) {
    if (item.side === 'module') {
      const chunkStart = current.moduleLength;
      current.moduleBytes.push(item.bytes);
      current.moduleLength += item.bytes.length;
      for (const event of decoder.module(item.bytes)) {
        if (event.kind !== 'reply') continue;
        if (event.echo) {
          current.echoed = true;
          continue;
        }
        const timed = { event: event.event, t: item.t };
        if (current.line === null || current.endT !== null || isAsync(event.event, current.command)) {
          current.later.push(timed);
          if (current.endT === null) current.interleaved = true;
        } else {
          current.answers.push(timed);
          if (endsAnswer(event.event, current.command)) {
            current.endT = item.t;
            current.answerEnd = { from: chunkStart, token: event.event.type === 'final' ? `${event.event.result}\r\n` : '>' };
          }
        }
      }
      continue;
    }
    for (const event of decoder.host(item.bytes)) {
      if (event.kind === 'command') {
        done.push(current);
        current = fresh(event.line, event.command, item.t);
      } else if (event.kind === 'data' || event.kind === 'passthrough') {
        current.payloads.push({ side: 'host', bytes: event.bytes, t: item.t });
        // After the prompt, the payload's own answer (Recv/SEND OK) belongs to the same exchange.
        current.endT = null;
      }
    }
  }
  done.push(current);
  return done.map(({ moduleBytes, moduleLength: _length, answerEnd, ...b }) => {
    const all = Buffer.concat(moduleBytes);
    return { ...b, moduleBytes: all, answerBytes: all.subarray(0, answerCut(all, answerEnd)) };
  });
}

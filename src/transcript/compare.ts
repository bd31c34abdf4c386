/**
 * `copro verify`'s judgement: the exchanges of a recorded dialogue against the same host bytes
 * answered by the emulator, every difference classified. Both sides are decoded with the codec
 * (exchanges.ts), so the classes come from what the events mean, not from a string diff:
 *   - missing-command: copro refused a command the module answered, and copro has no such
 *     command (or form) in its table for the profile;
 *   - format: the same information shaped differently (quoting, an error word line, FAIL vs
 *     ERROR, the prompt's bytes, echo), or the same events in different bytes;
 *   - value: different information (another final result, another field value, data);
 *   - timing: an answer took much longer or shorter than recorded (only for measured transcripts).
 * Values that depend on the world and that verify cannot rebuild go through the declared
 * normalisation rules below first (docs/transcripts.md lists them).
 */
import { describeEvent, escapeBytes } from '../at/trace.js';
import { findCommand } from '../../firmware-protocol/at/command-table.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { HostEvent } from '../../firmware-protocol/at/types.js';
import type { Exchange } from './exchanges.js';
import { splitFields } from './world-plan.js';

export type DifferenceClass = 'missing-command' | 'format' | 'value' | 'timing';

export interface Difference {
  readonly kind: DifferenceClass;
  /** Index of the recorded exchange (1 = the first command). */
  readonly exchange: number;
  readonly command: string | null;
  readonly detail: string;
}

export interface NormalisationRule {
  readonly name: string;
  /** Why the value cannot be compared as is. */
  readonly reason: string;
  /** The information line this rule rewrites. */
  readonly info: RegExp;
  readonly normalise: (text: string) => string;
}

const replaceField = (index: number) => (text: string): string => {
  const fields = splitFields(text);
  if (fields.length > index) fields[index] = '*';
  return fields.join(',');
};

/** World-dependent values verify cannot rebuild: compared as `*`. */
export const NORMALISATION_RULES: readonly NormalisationRule[] = [
  {
    name: 'local-port',
    reason: 'the local port of a link is picked by the module\'s network stack (lwIP, or this machine for copro)',
    info: /^CIPSTATE$/,
    normalise: replaceField(4),
  },
  {
    name: 'local-port-status',
    reason: 'as local-port, in the older +CIPSTATUS:<id>,<type>,<ip>,<remote port>,<local port>,<tetype> line',
    info: /^CIPSTATUS$/,
    normalise: (text) => (splitFields(text).length >= 6 ? replaceField(4)(text) : text),
  },
  {
    name: 'sntp-time',
    reason: 'the date and time an SNTP query answers is when it ran',
    info: /^CIPSNTPTIME$/,
    normalise: () => '*',
  },
];

/** AT+GMR's lines name the build (versions, hashes, dates): compared by what each line is, not the build. */
function gmrLabel(text: string): string {
  return text.replace(/[:(].*$/, '');
}

export interface CompareOptions {
  readonly profile: FirmwareProfile;
  /** Compare durations (the transcript's clock is real). */
  readonly measured: boolean;
  /** A duration differs when off by more than this and by more than half (ms). Default 500. */
  readonly timingToleranceMs?: number;
}

function keyOf(event: HostEvent, isGmr: boolean): string {
  if (event.type === 'info') {
    const rule = NORMALISATION_RULES.find((r) => r.info.test(event.name));
    return `info:${event.name}:${rule ? rule.normalise(event.text) : event.text}`;
  }
  if (event.type === 'line' && isGmr) return `gmr:${gmrLabel(event.text)}`;
  return `${event.type}:${describeEvent(event)}`;
}

/** Longest common subsequence of two key lists: the index pairs that match. */
function matchKeys(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

const unquoted = (text: string): string => text.replace(/"/g, '');

function classifyPair(recorded: HostEvent, actual: HostEvent): DifferenceClass | null {
  if (recorded.type !== actual.type) return 'format';
  if (recorded.type === 'final' && actual.type === 'final') {
    const failures = ['ERROR', 'FAIL'];
    return failures.includes(recorded.result) && failures.includes(actual.result) ? 'format' : 'value';
  }
  if (recorded.type === 'info' && actual.type === 'info') {
    if (recorded.name !== actual.name) return 'format';
    return unquoted(recorded.text) === unquoted(actual.text) ? 'format' : 'value';
  }
  return 'value';
}

/**
 * Lines whose values depend on how the UART happened to split the host's bytes, not on the firmware:
 * AT+CIPSENDL's `+CIPSENDL:<had sent>,<port recv>` reports. Not compared (their count and values vary).
 */
const PROGRESS_INFOS: ReadonlySet<string> = new Set(['CIPSENDL']);

function isProgress(event: Exchange['answers'][number]['event']): boolean {
  return event.type === 'info' && PROGRESS_INFOS.has(event.name);
}

function compareAnswers(index: number, recorded: Exchange, actual: Exchange, options: CompareOptions): Difference[] {
  const differences: Difference[] = [];
  const say = (kind: DifferenceClass, detail: string): void => void differences.push({ kind, exchange: index, command: recorded.line, detail });
  const isGmr = recorded.command?.name === 'GMR';
  const rec = recorded.answers.map((a) => a.event).filter((e) => !isProgress(e));
  const act = actual.answers.map((a) => a.event).filter((e) => !isProgress(e));
  const recFinal = rec.find((e) => e.type === 'final');
  const actFinal = act.find((e) => e.type === 'final');
  if (recorded.command && recFinal?.type === 'final' && recFinal.result === 'OK' && actFinal?.type === 'final' && actFinal.result === 'ERROR') {
    const spec = findCommand(recorded.command.name, options.profile);
    if (!spec || !spec.forms.includes(recorded.command.form)) {
      say('missing-command', `copro's ${options.profile.id} has no ${recorded.command.form} form of AT+${recorded.command.name}: it answered ERROR where the module answered OK`);
      return differences;
    }
  }
  const recKeys = rec.map((e) => keyOf(e, isGmr));
  const actKeys = act.map((e) => keyOf(e, isGmr));
  const pairs = matchKeys(recKeys, actKeys);
  const recLeft = rec.filter((_, i) => !pairs.some(([r]) => r === i));
  const actLeft = act.filter((_, j) => !pairs.some(([, a]) => a === j));
  while (recLeft.length > 0 && actLeft.length > 0) {
    const r = recLeft.shift()!;
    const partner = actLeft.findIndex((a) => a.type === r.type && (a.type !== 'info' || r.type !== 'info' || a.name === r.name));
    const a = actLeft.splice(partner >= 0 ? partner : 0, 1)[0];
    const kind = classifyPair(r, a) ?? 'value';
    say(kind, `module: ${describeEvent(r)} · copro: ${describeEvent(a)}`);
  }
  for (const r of recLeft) say(r.type === 'line' ? 'format' : 'value', `module: ${describeEvent(r)} · copro: (nothing)`);
  for (const a of actLeft) say(a.type === 'line' ? 'format' : 'value', `module: (nothing) · copro: ${describeEvent(a)}`);
  if (recorded.echoed !== actual.echoed) say('format', `module ${recorded.echoed ? 'echoed' : 'did not echo'} the command, copro ${actual.echoed ? 'echoed' : 'did not'}`);
  const normalised = recorded.answers.some((a) => a.event.type === 'info' && NORMALISATION_RULES.some((r) => r.info.test(a.event.type === 'info' ? a.event.name : '')));
  if (differences.length === 0 && !recorded.interleaved && !actual.interleaved && !isGmr && !normalised && !recorded.answerBytes.equals(actual.answerBytes)) {
    say('format', `same answer in other bytes: module "${escapeBytes(recorded.answerBytes, 120)}" · copro "${escapeBytes(actual.answerBytes, 120)}"`);
  }
  if (options.measured && recorded.endT !== null && actual.endT !== null) {
    const took = recorded.endT - recorded.startT;
    const copro = actual.endT - actual.startT;
    const tolerance = Math.max(options.timingToleranceMs ?? 500, took / 2);
    if (Math.abs(copro - took) > tolerance) say('timing', `answered in ${copro.toFixed(0)} ms; the module took ${took.toFixed(0)} ms`);
  }
  return differences;
}

/** What the network delivered and the module announced outside answers, compared as totals per kind. */
function compareLater(recorded: readonly Exchange[], actual: readonly Exchange[]): Difference[] {
  const tally = (exchanges: readonly Exchange[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const exchange of exchanges) {
      for (const { event } of exchange.later) {
        if (isProgress(event)) continue;
        const key = event.type === 'ipd' ? `+IPD data on link ${event.link ?? 0} (bytes)` : event.type === 'urc' && event.urc.kind === 'ipd-notice' ? `+IPD notices on link ${event.urc.link ?? 0}` : describeEvent(event);
        counts.set(key, (counts.get(key) ?? 0) + (event.type === 'ipd' ? event.data.length : 1));
      }
    }
    return counts;
  };
  const rec = tally(recorded.slice(1));
  const act = tally(actual.slice(1));
  const differences: Difference[] = [];
  for (const key of new Set([...rec.keys(), ...act.keys()])) {
    if (key.startsWith('+IPD notices')) continue; // how arrivals are batched into notices is the network's timing
    const r = rec.get(key) ?? 0;
    const a = act.get(key) ?? 0;
    if (r !== a) differences.push({ kind: 'value', exchange: 0, command: null, detail: `outside answers: "${key}" ${r} in the transcript, ${a} from copro` });
  }
  return differences;
}

export function compareExchanges(recorded: readonly Exchange[], actual: readonly Exchange[], options: CompareOptions): Difference[] {
  const differences: Difference[] = [];
  let j = 1;
  for (let i = 1; i < recorded.length; i++) {
    const found = actual.slice(j).findIndex((e) => e.line === recorded[i].line);
    if (found < 0) {
      differences.push({ kind: 'format', exchange: i, command: recorded[i].line, detail: 'copro read the host\'s bytes differently here: no such command line in its dialogue (an earlier answer changed how the bytes after it were taken)' });
      continue;
    }
    for (const extra of actual.slice(j, j + found)) {
      differences.push({ kind: 'format', exchange: i, command: extra.line, detail: 'copro took these host bytes as a command line the module did not' });
    }
    differences.push(...compareAnswers(i, recorded[i], actual[j + found], options));
    j += found + 1;
  }
  differences.push(...compareLater(recorded, actual));
  return differences;
}

import type { FaultPlan } from './fault-plan.js';
import type { ArmedFault } from './fault-plan.js';

export type LineDirection = 'in' | 'out';

export type ByteFaultKind = 'drop' | 'corrupt' | 'dup';

export interface Mangled {
  readonly bytes: Uint8Array;
  /** What was done, for the trace (empty when nothing happened). */
  readonly report: string;
  /** Bytes hit, per kind. */
  readonly counts: Readonly<Record<ByteFaultKind, number>>;
}

const NONE: Readonly<Record<ByteFaultKind, number>> = { drop: 0, corrupt: 0, dup: 0 };

const BYTE_KINDS = ['drop', 'corrupt', 'dup'] as const;

function appliesTo(fault: ArmedFault, direction: LineDirection): boolean {
  const dir = fault.spec.params.dir ?? 'both';
  return dir === 'both' || dir === direction;
}

/**
 * A noisy UART: drops, corrupts (XOR with a random non-zero byte) and duplicates bytes at the
 * plan's rates. Every armed byte fault is asked about every byte (as offsets of the chunk), so
 * which stream positions are hit depends only on the seed, never on how reads chunked the stream.
 * When several hit one byte: a dropped byte is gone; otherwise it may be corrupted, then doubled.
 */
export function mangleBytes(plan: FaultPlan, direction: LineDirection, bytes: Uint8Array): Mangled {
  const faults = plan.armed().filter(
    (fault) => (BYTE_KINDS as readonly string[]).includes(fault.spec.kind) && appliesTo(fault, direction),
  );
  if (faults.length === 0 || bytes.length === 0) return { bytes, report: '', counts: NONE };
  const dropped = new Set<number>();
  const corrupted = new Map<number, ArmedFault>();
  const doubled = new Set<number>();
  for (const fault of faults) {
    for (const offset of plan.hits(fault, bytes.length)) {
      if (fault.spec.kind === 'drop') dropped.add(offset);
      else if (fault.spec.kind === 'corrupt') corrupted.set(offset, fault);
      else doubled.add(offset);
    }
  }
  if (dropped.size + corrupted.size + doubled.size === 0) return { bytes, report: '', counts: NONE };
  const out = new Uint8Array(bytes.length + doubled.size);
  let length = 0;
  const notes: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (dropped.has(i)) {
      notes.push(`drop @${i} ${hex(bytes[i])}`);
      continue;
    }
    let byte = bytes[i];
    const corruptor = corrupted.get(i);
    if (corruptor) {
      const changed = byte ^ corruptor.what.nonZeroByte();
      notes.push(`corrupt @${i} ${hex(byte)}→${hex(changed)}`);
      byte = changed;
    }
    out[length++] = byte;
    if (doubled.has(i)) {
      out[length++] = byte;
      notes.push(`dup @${i} ${hex(byte)}`);
    }
  }
  const shown = notes.length > 8 ? [...notes.slice(0, 8), `… ${notes.length - 8} more`] : notes;
  return {
    bytes: out.subarray(0, length),
    report: `serial ${direction === 'in' ? 'host→module' : 'module→host'} (${bytes.length} bytes): ${shown.join(', ')}`,
    counts: { drop: dropped.size, corrupt: corrupted.size - countOverlap(corrupted, dropped), dup: doubled.size - countOverlap(doubled, dropped) },
  };
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

const CR = 0x0d;
const LF = 0x0a;
/** Bytes a parser turns on: line ends, the +IPD header's separators, the prompt. */
const PIVOTS = new Set([CR, LF, 0x3a /* : */, 0x2c /* , */, 0x2b /* + */, 0x3e /* > */]);

/**
 * Where to cut a chunk of module output into `pieces` pieces, favouring the places parsers get
 * wrong (peers.md E5, E11): around CR and LF (`OK\r` | `\n`), inside `+IPD,<id>,<len>:` and right
 * after its `:`, just before the prompt; otherwise anywhere (inside a payload). Sorted, distinct.
 */
export function splitPoints(bytes: Uint8Array, pieces: number, random: ArmedFault['what']): number[] {
  if (bytes.length < 2 || pieces < 2) return [];
  const candidates: number[] = [];
  for (let k = 1; k < bytes.length; k++) {
    if (PIVOTS.has(bytes[k - 1]) || PIVOTS.has(bytes[k])) candidates.push(k);
  }
  const cuts = new Set<number>();
  const wanted = Math.min(pieces - 1, bytes.length - 1);
  for (let attempt = 0; cuts.size < wanted && attempt < wanted * 4; attempt++) {
    const adversarial = candidates.length > 0 && random.next() < 0.7;
    cuts.add(adversarial ? candidates[random.int(0, candidates.length - 1)] : random.int(1, bytes.length - 1));
  }
  return [...cuts].sort((a, b) => a - b);
}

/** Hits on a byte that was dropped anyway did nothing. */
function countOverlap(hits: ReadonlySet<number> | ReadonlyMap<number, unknown>, dropped: ReadonlySet<number>): number {
  let n = 0;
  for (const offset of hits.keys()) if (dropped.has(offset)) n++;
  return n;
}

import { fixedLead, urcReader } from './grammar/urc-values.js';
import { lineMatcher } from './grammar/line-parse.js';
import { RECV_BYTES_LINE, URC_SHAPES, type UrcShape } from './messages.js';
import type { FinalResult, HostEvent, Urc } from './types.js';

/** Lines that end a command (esp-at.md §7 item 1). */
const FINALS: ReadonlySet<string> = new Set<FinalResult>(['OK', 'ERROR', 'FAIL', 'SEND OK', 'SEND FAIL', 'SEND CANCELLED', 'SET OK']);

const SHAPES = (Object.keys(URC_SHAPES) as Urc['kind'][]).flatMap((kind) =>
  URC_SHAPES[kind].map((shape): [Urc['kind'], UrcShape] => [kind, shape]),
);

/** URC lines without fields, by their text (the common case, looked up at once). */
const FIXED_URCS: ReadonlyMap<string, Urc> = new Map(
  SHAPES.filter(([, shape]) => shape.line.fields.length === 0).map(([kind, shape]) => [
    `${shape.line.lead ?? ''}${shape.line.tail ?? ''}`,
    { kind, ...shape.constants } as Urc,
  ]),
);

const URC_READERS = SHAPES.filter(([, shape]) => shape.line.fields.length > 0).map(([kind, shape]) => urcReader(kind, shape));
const RECV_BYTES = lineMatcher(RECV_BYTES_LINE, fixedLead(RECV_BYTES_LINE));

const INFO = /^\+([A-Za-z0-9_]+):(.*)$/s;

function matchUrc(text: string): Urc | null {
  for (const read of URC_READERS) {
    const urc = read(text);
    if (urc !== null) return urc;
  }
  return null;
}

/** Turns one complete, non-empty line (no CR/LF) into its host event; URCs as messages.ts declares them. */
export function classifyLine(text: string): HostEvent {
  if (FINALS.has(text)) return { type: 'final', result: text as FinalResult };
  const urc = FIXED_URCS.get(text) ?? matchUrc(text);
  if (urc !== null) return { type: 'urc', urc };
  const recv = text.startsWith('Recv ') ? RECV_BYTES(text) : null;
  if (recv !== null) return { type: 'recv-bytes', count: recv.count as number };
  const info = INFO.exec(text);
  if (info !== null) return { type: 'info', name: info[1], text: info[2] };
  return { type: 'line', text };
}

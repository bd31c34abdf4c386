import { NinaReplyParser, NinaRequestParser, type NinaReplyEvent, type NinaRequestEvent } from '../../firmware-protocol/nina/index.js';

/** `'E0 20 00 EE'` → bytes. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

export function requestEvents(parser: NinaRequestParser, chunks: readonly Uint8Array[]): NinaRequestEvent[] {
  const events: NinaRequestEvent[] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (let e = parser.next(); e !== undefined; e = parser.next()) events.push(e);
  }
  return events;
}

export function replyEvents(parser: NinaReplyParser, chunks: readonly Uint8Array[]): NinaReplyEvent[] {
  const events: NinaReplyEvent[] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (let e = parser.next(); e !== undefined; e = parser.next()) events.push(e);
  }
  return events;
}

/** Splits `bytes` at the given cut points (any order, duplicates and out-of-range ones ignored). */
export function cut(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const sorted = [...new Set(points.filter((p) => p > 0 && p < bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of sorted) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

/** Events with parameters as plain arrays, for toEqual. */
export function plainEvents<T extends { type: string }>(events: readonly T[]): unknown[] {
  return events.map((e) =>
    'params' in e ? { ...e, params: (e as unknown as { params: Uint8Array[] }).params.map((p) => Array.from(p)) } : e,
  );
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TelnetDecoder, escapeTelnetData, subnegotiationFrame } from '../../emulator/transport/telnet-codec.js';

type Event = { data: number[] } | { verb: number; option: number } | { sub: number; payload: number[] };

/** Decodes `chunks` and returns events with adjacent data runs merged (chunking may split runs). */
function decode(chunks: Uint8Array[]): Event[] {
  const events: Event[] = [];
  const decoder = new TelnetDecoder({
    data: (bytes) => {
      const last = events[events.length - 1];
      if (last && 'data' in last) last.data.push(...bytes);
      else events.push({ data: [...bytes] });
    },
    negotiation: (verb, option) => events.push({ verb, option }),
    subnegotiation: (sub, payload) => events.push({ sub, payload: [...payload] }),
  });
  for (const chunk of chunks) decoder.push(chunk);
  return events;
}

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

describe('Telnet codec', () => {
  it('separates data, IAC IAC, negotiation and subnegotiation in stream order', () => {
    const stream = Buffer.from([
      0x41, 0xff, 0xff, 0x42, // A, 0xFF, B
      0xff, 0xfd, 0x01, // DO ECHO
      0x43,
      0xff, 0xfa, 0x2c, 0x01, 0x00, 0x01, 0xff, 0xff, 0xff, 0xf0, // SB 44: 01 00 01 FF (FF doubled), IAC SE
      0xff, 0xf1, // NOP: ignored
      0x44,
    ]);
    expect(decode([stream])).toEqual([
      { data: [0x41, 0xff, 0x42] },
      { verb: 0xfd, option: 0x01 },
      { data: [0x43] },
      { sub: 0x2c, payload: [0x01, 0x00, 0x01, 0xff] },
      { data: [0x44] },
    ]);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const piece = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 8 }).map((data) => escapeTelnetData(data)),
      fc.tuple(fc.constantFrom(0xfb, 0xfc, 0xfd, 0xfe), fc.integer({ min: 0, max: 255 })).map(([verb, option]) =>
        Buffer.from([0xff, verb, option]),
      ),
      fc.tuple(fc.integer({ min: 0, max: 254 }), fc.uint8Array({ maxLength: 6 })).map(([option, payload]) =>
        subnegotiationFrame(option, payload),
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), (pieces, cuts) => {
        const stream = Buffer.concat(pieces);
        expect(decode(split(stream, cuts))).toEqual(decode([stream]));
        expect(decode([...stream].map((byte) => Uint8Array.of(byte)))).toEqual(decode([stream]));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any payload through escapeTelnetData', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (payload) => {
        const events = decode([escapeTelnetData(payload)]);
        const data = events.flatMap((event) => ('data' in event ? event.data : []));
        expect(data).toEqual([...payload]);
        expect(events.every((event) => 'data' in event)).toBe(true);
      }),
    );
    expect([...escapeTelnetData(Buffer.from([0xff, 0x00, 0xff]))]).toEqual([0xff, 0xff, 0x00, 0xff, 0xff]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_FRAME_LENGTH,
  NINA_COMMANDS,
  NinaReplyParser,
  NinaRequestParser,
  formatErrorReply,
  formatReply,
  formatRequest,
} from '../../firmware-protocol/nina/index.js';
import { concat, cut, plainEvents, replyEvents, requestEvents } from './nina-helpers.js';

const RUNS = { numRuns: 200 };

const command = fc.constantFrom(...NINA_COMMANDS.map((c) => c.code));
const params = fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 5 });
/** Padding as hosts really fill it: 0xFF, 0x00, or stale buffer bytes that may hold START/END. */
const padding = fc.oneof(
  fc.constant<number | ((i: number) => number)>(0xff),
  fc.constant<number | ((i: number) => number)>(0x00),
  fc.array(fc.constantFrom(0xe0, 0xee, 0xef, 0x00, 0x42), { minLength: 3, maxLength: 3 }).map((stale) => (i: number) => stale[i]),
);
const request = fc.tuple(command, params, padding).map(([c, p, pad]) => formatRequest(c, p, { pad }));
const reply = fc.oneof(
  fc.tuple(command, params).map(([c, p]) => formatReply(c, p)),
  fc.constant(formatErrorReply()),
);
const cuts = fc.array(fc.nat({ max: 2000 }), { maxLength: 12 });
const garbage = fc.uint8Array({ maxLength: 3000 });

describe('NINA codec properties', () => {
  it('request parser: any chunking gives the same events', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(request, request, garbage.map((g) => g.subarray(0, 20))), { maxLength: 8 }), cuts, (pieces, points) => {
        const stream = concat(pieces);
        const whole = requestEvents(new NinaRequestParser(), [stream]);
        const chunked = requestEvents(new NinaRequestParser(), cut(stream, points));
        const byteByByte = requestEvents(new NinaRequestParser(), Array.from(stream, (b) => Uint8Array.of(b)));
        expect(plainEvents(chunked)).toEqual(plainEvents(whole));
        expect(plainEvents(byteByByte)).toEqual(plainEvents(whole));
      }),
      RUNS,
    );
  });

  it('request parser: formatted requests come back exactly, whatever their padding', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(command, params, padding), { minLength: 1, maxLength: 6 }), cuts, (requests, points) => {
        const stream = concat(requests.map(([c, p, pad]) => formatRequest(c, p, { pad })));
        const events = requestEvents(new NinaRequestParser(), cut(stream, points));
        expect(plainEvents(events)).toEqual(
          requests.map(([c, p]) => ({
            type: 'request',
            command: c,
            params: p.map((x) => Array.from(x)),
            length: 4 + p.reduce((n, x) => n + x.length + (c === 0x40 || c === 0x44 || c === 0x45 || c === 0x46 || c === 0x77 || c === 0x79 ? 2 : 1), 0),
          })),
        );
      }),
      RUNS,
    );
  });

  it('reply parser: any chunking gives the same events, and formatted replies come back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(command, params), { maxLength: 6 }), cuts, (replies, points) => {
        const stream = concat(replies.map(([c, p]) => formatReply(c, p)));
        const events = replyEvents(new NinaReplyParser(), cut(stream, points));
        expect(plainEvents(events)).toEqual(
          replies.map(([c, p]) => ({ type: 'reply', command: c, replyFlag: true, params: p.map((x) => Array.from(x)) })),
        );
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(reply, garbage.map((g) => g.subarray(0, 16))), { maxLength: 8 }), cuts, (pieces, points) => {
        const stream = concat(pieces);
        const whole = replyEvents(new NinaReplyParser(), [stream]);
        const chunked = replyEvents(new NinaReplyParser(), cut(stream, points));
        expect(plainEvents(chunked)).toEqual(plainEvents(whole));
      }),
      RUNS,
    );
  });

  it('random garbage never throws and memory stays bounded', () => {
    fc.assert(
      fc.property(fc.array(garbage, { maxLength: 20 }), (chunks) => {
        const requests = new NinaRequestParser();
        const replies = new NinaReplyParser();
        for (const chunk of chunks) {
          requests.push(chunk);
          replies.push(chunk);
          for (let e = requests.next(); e !== undefined; e = requests.next()) {
            if (e.type === 'request') expect(e.length).toBeLessThanOrEqual(MAX_FRAME_LENGTH);
          }
          for (let e = replies.next(); e !== undefined; e = replies.next()) {
            if (e.type === 'reply') expect(e.params.reduce((n, p) => n + p.length, 0)).toBeLessThan(MAX_FRAME_LENGTH);
          }
          // Drained: nothing unread, and a partial frame never holds more than one frame's worth.
          expect(requests.unreadLength).toBe(0);
          expect(replies.unreadLength).toBe(0);
          expect(requests.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME_LENGTH);
          expect(replies.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME_LENGTH);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('frames that begin with START inside garbage with huge 16-bit lengths stay bounded', () => {
    // E0 44 FF then lengths FF FF …: a frame declaring ~16 MB; fed 64 KiB it must hold at most one frame.
    const parser = new NinaRequestParser();
    parser.push(Uint8Array.of(0xe0, 0x44, 0xff));
    for (let i = 0; i < 16; i++) {
      parser.push(new Uint8Array(4096).fill(0xff));
      expect(parser.next()).toBeUndefined();
      expect(parser.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME_LENGTH);
    }
  });
});

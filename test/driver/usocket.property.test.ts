import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUsocket } from '../../src/usocket/module.js';
import { FakeBackend } from './fake-backend.js';
import type { FakeLink } from './fake-backend.js';

describe('usocket properties', () => {
  it('inet_pton/inet_ntop round-trip every IPv4 and IPv6 address', () => {
    const usocket = createUsocket(new FakeBackend());
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bin) => {
        expect(Array.from(usocket.inet_pton(usocket.AF_INET, usocket.inet_ntop(usocket.AF_INET, bin)))).toEqual(Array.from(bin));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bin) => {
        expect(Array.from(usocket.inet_pton(usocket.AF_INET6, usocket.inet_ntop(usocket.AF_INET6, bin)))).toEqual(Array.from(bin));
      }),
    );
  });

  it('any mix of readline/read/recv returns the stream unchanged, however it was split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }).map((b) => b.map((x) => (x % 7 === 0 ? 0x0a : x))),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.oneof(fc.constant('line' as const), fc.integer({ min: 1, max: 50 }), fc.constant('recv' as const)), { minLength: 1, maxLength: 30 }),
        async (data, cuts, ops) => {
          const backend = new FakeBackend();
          const usocket = createUsocket(backend);
          const s = usocket.socket();
          await s.connect(['127.0.0.1', 1]);
          const link = backend.links[0] as FakeLink;
          for (let at = 0, i = 0; at < data.length; i++) {
            const n = cuts[i % cuts.length];
            link.peerWrite(data.subarray(at, at + n));
            at += n;
          }
          link.peerClose();
          const out: number[] = [];
          for (let i = 0; ; i++) {
            const op = ops[i % ops.length];
            const chunk = op === 'line' ? await s.readline() : op === 'recv' ? await s.recv(17) : await s.read(op);
            if (!chunk || chunk.length === 0) break;
            if (op === 'line') {
              const nl = chunk.indexOf(0x0a);
              expect(nl === -1 || nl === chunk.length - 1).toBe(true);
            }
            out.push(...chunk);
          }
          expect(out).toEqual(Array.from(data));
        },
      ),
      { numRuns: 200 },
    );
  });
});

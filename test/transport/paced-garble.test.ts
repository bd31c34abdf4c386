import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { garbleUartBytes, ratesInterwork, receiveByte } from '../../emulator/transport/uart-garble.js';

/** The baud-mismatch model: deterministic, chunking-independent, unusable garbage, never a crash. */

const rate = fc.integer({ min: 80, max: 5_000_000 });

describe('8N1 receiver model', () => {
  it('decodes every byte intact at equal rates and within the ±5 % a real UART tolerates', () => {
    for (let byte = 0; byte < 256; byte++) {
      expect(receiveByte(byte, 115200, 115200)).toEqual([byte]);
      expect(receiveByte(byte, 115200, 111000)).toEqual([byte]);
      expect(receiveByte(byte, 115200, 119500)).toEqual([byte]);
    }
    expect(ratesInterwork(115200, 115000)).toBe(true);
    expect(ratesInterwork(115200, 921600)).toBe(false);
    expect(ratesInterwork(115200, 57600)).toBe(false);
    expect(ratesInterwork(9600, 115200)).toBe(false);
  });

  it('turns an answer into garbage at a wrong rate (both directions, several ratios)', () => {
    const answer = Buffer.from('AT+GMR\r\nAT version:2.2.0.0\r\n\r\nOK\r\n');
    for (const [sender, receiver] of [
      [921600, 115200],
      [115200, 921600],
      [115200, 57600],
      [57600, 115200],
      [115200, 9600],
      [230400, 115200],
    ]) {
      const got = garbleUartBytes(answer, sender, receiver);
      expect(got.includes('OK'), `${sender}→${receiver}`).toBe(false);
      expect(got.includes('AT'), `${sender}→${receiver}`).toBe(false);
    }
    // What users actually see: a host 8× too slow mostly loses bytes, 8× too fast reads 0x80/0x00-ish bytes.
    expect(garbleUartBytes(Buffer.from('\r\nOK\r\n'), 115200, 921600)).toEqual(Buffer.alloc(11, 0x80));
  });

  it('is deterministic and does not depend on how the bytes were chunked', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(200), rate, rate, (bytes, cut, sender, receiver) => {
        const data = Buffer.from(bytes);
        const whole = garbleUartBytes(data, sender, receiver);
        const at = Math.min(cut, data.length);
        const parts = Buffer.concat([
          garbleUartBytes(data.subarray(0, at), sender, receiver),
          garbleUartBytes(data.subarray(at), sender, receiver),
        ]);
        expect(parts).toEqual(whole);
        expect(garbleUartBytes(data, sender, receiver)).toEqual(whole);
        // A sender frame has at most five falling edges: at most five bytes come out per byte in.
        expect(whole.length).toBeLessThanOrEqual(5 * data.length);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever the rates (odd, tiny, huge, not integers)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.oneof(rate, fc.double(), fc.integer()), rate, (bytes, sender, receiver) => {
        const out = garbleUartBytes(Buffer.from(bytes), sender, receiver);
        expect(Buffer.isBuffer(out)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

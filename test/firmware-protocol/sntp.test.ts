import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asctimeText, shownTimezone, sntpAnswer, sntpRequest, sntpTransmitTime, timezoneOffsetMinutes } from '../../firmware-protocol/sntp.js';

describe('SNTP codec and the time texts', () => {
  it('builds a 48-byte v4 client request and reads a server answer back to the millisecond', () => {
    expect(Buffer.from(sntpRequest()).toString('hex')).toBe(`23${'00'.repeat(47)}`);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (unixMs) => {
        expect(Math.abs((sntpTransmitTime(sntpAnswer(unixMs)) ?? 0) - unixMs)).toBeLessThanOrEqual(1);
      }),
    );
    expect(sntpTransmitTime(sntpRequest())).toBeNull();
    expect(sntpTransmitTime(new Uint8Array(47))).toBeNull();
  });

  it('reads both time zone formats as the docs describe them', () => {
    expect(timezoneOffsetMinutes(8)).toBe(480);
    expect(timezoneOffsetMinutes(-12)).toBe(-720);
    expect(timezoneOffsetMinutes(14)).toBe(840);
    expect(timezoneOffsetMinutes(800)).toBe(480);
    expect(timezoneOffsetMinutes(-500)).toBe(-300);
    expect(timezoneOffsetMinutes(1245)).toBe(765);
    expect(timezoneOffsetMinutes(530)).toBe(330);
    expect(timezoneOffsetMinutes(15)).toBe(15);
    expect(timezoneOffsetMinutes(1260)).toBeNull();
    expect(timezoneOffsetMinutes(1500)).toBeNull();
    expect(timezoneOffsetMinutes(-1300)).toBeNull();
    expect([shownTimezone(765), shownTimezone(15), shownTimezone(-300), shownTimezone(330)]).toEqual([12, 0, -5, 5]);
  });

  it("prints C's asctime: the day space-padded (2.x) or zero-padded (NonOS 1.7)", () => {
    expect(asctimeText(128_000, 0)).toBe('Thu Jan  1 00:02:08 1970');
    expect(asctimeText(Date.UTC(2021, 9, 19, 9, 47, 56), 480)).toBe('Tue Oct 19 17:47:56 2021');
    expect(asctimeText(Date.UTC(2022, 10, 4, 15, 0, 22), 0, '0')).toBe('Fri Nov 04 15:00:22 2022');
  });
});

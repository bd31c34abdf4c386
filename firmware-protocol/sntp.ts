/**
 * SNTP (RFC 4330) as the module's lwIP client uses it, and the time texts ESP-AT prints: pure
 * codecs, no I/O. A client request is 48 bytes, LI 0, version 4, mode 3; a server answer carries
 * its transmit time at bytes 40..47 (seconds since 1900, then a 32-bit fraction).
 */

export const SNTP_PACKET_LENGTH = 48;
/** Seconds from 1900-01-01 (NTP) to 1970-01-01 (Unix). */
const NTP_UNIX_OFFSET = 2_208_988_800;

export function sntpRequest(): Uint8Array {
  const packet = new Uint8Array(SNTP_PACKET_LENGTH);
  packet[0] = (0 << 6) | (4 << 3) | 3;
  return packet;
}

/** The answer's transmit time in Unix ms, or null when it is no server answer (short, wrong mode, zero time). */
export function sntpTransmitTime(answer: Uint8Array): number | null {
  if (answer.length < SNTP_PACKET_LENGTH) return null;
  const mode = answer[0] & 0x07;
  if (mode !== 4 && mode !== 5) return null;
  const view = new DataView(answer.buffer, answer.byteOffset, answer.byteLength);
  const seconds = view.getUint32(40);
  const fraction = view.getUint32(44);
  if (seconds === 0) return null;
  // RFC 4330 §3: with the high bit clear the time is in era 1 (from 2036-02-07 on).
  const era = seconds < 0x8000_0000 ? 2 ** 32 : 0;
  return (seconds + era - NTP_UNIX_OFFSET) * 1000 + Math.floor((fraction * 1000) / 2 ** 32);
}

/** A server's answer at `unixMs` (for tests and tools): mode 4, stratum 2, the same transmit time. */
export function sntpAnswer(unixMs: number): Uint8Array {
  const packet = new Uint8Array(SNTP_PACKET_LENGTH);
  packet[0] = (0 << 6) | (4 << 3) | 4;
  packet[1] = 2;
  const view = new DataView(packet.buffer);
  const seconds = (Math.floor(unixMs / 1000) + NTP_UNIX_OFFSET) % 2 ** 32;
  const fraction = Math.floor(((unixMs % 1000) / 1000) * 2 ** 32);
  for (const offset of [16, 24, 32, 40]) {
    view.setUint32(offset, seconds);
    view.setUint32(offset + 4, fraction);
  }
  return packet;
}

/**
 * AT+CIPSNTPCFG's `<timezone>`: whole hours in [-12,14], else a UTC offset `[+|-][hh]mm` with hh in
 * [-12,14] and mm in [0,59] (`530` is UTC+05:30, `-500` UTC-05:00; `015` reads as 15 → UTC+00:15).
 * Returns the offset in minutes, or null when the value is neither.
 */
export function timezoneOffsetMinutes(value: number): number | null {
  if (!Number.isInteger(value)) return null;
  if (value >= -12 && value <= 14) return value * 60;
  const sign = value < 0 ? -1 : 1;
  const hours = Math.floor(Math.abs(value) / 100);
  const minutes = Math.abs(value) % 100;
  if (minutes > 59 || sign * hours < -12 || sign * hours > 14) return null;
  return sign * (hours * 60 + minutes);
}

/** What AT+CIPSNTPCFG? reports for an offset: the whole hours (the docs' `015` → 0). */
export function shownTimezone(offsetMinutes: number): number {
  return Math.trunc(offsetMinutes / 60);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * C's asctime() of the UTC time `unixMs + offset` without its newline: `Thu Jan  1 00:02:08 1970`
 * (day of month space-padded, as ESP-AT 2.x prints it; NonOS 1.7 zero-pads it: `Thu Jan 01`).
 */
export function asctimeText(unixMs: number, offsetMinutes: number, dayPadding: ' ' | '0' = ' '): string {
  const date = new Date(unixMs + offsetMinutes * 60_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, dayPadding);
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${day} ${time} ${date.getUTCFullYear()}`;
}

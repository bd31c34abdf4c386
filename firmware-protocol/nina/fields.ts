/**
 * Parameter values as they sit in NINA frames. The byte order differs per field (peers.md §1.5):
 * addresses in network order, request ports big-endian, reply integers little-endian, MAC/BSSID
 * byte-reversed. Both the emulator and the host back end encode and decode through these.
 */

export function u8(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff);
}

export function u16be(value: number): Uint8Array {
  return Uint8Array.of((value >> 8) & 0xff, value & 0xff);
}

export function u16le(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >> 8) & 0xff);
}

export function u32le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, true);
  return out;
}

export function i32le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value | 0, true);
  return out;
}

/** PING's round trip: int16, the ESP32's little-endian memcpy (-1: no echo). */
export function i16le(value: number): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setInt16(0, value, true);
  return out;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads a field of exactly `size` bytes; throws when the parameter has another size. */
function sized(bytes: Uint8Array, size: number, what: string): DataView {
  if (bytes.length !== size) throw new RangeError(`${what}: expected ${size} bytes, got ${bytes.length}`);
  return view(bytes);
}

export function readU8(bytes: Uint8Array): number {
  return sized(bytes, 1, 'u8').getUint8(0);
}

export function readU16be(bytes: Uint8Array): number {
  return sized(bytes, 2, 'u16be').getUint16(0, false);
}

export function readU16le(bytes: Uint8Array): number {
  return sized(bytes, 2, 'u16le').getUint16(0, true);
}

export function readU32le(bytes: Uint8Array): number {
  return sized(bytes, 4, 'u32le').getUint32(0, true);
}

export function readI16le(bytes: Uint8Array): number {
  return sized(bytes, 2, 'int16').getInt16(0, true);
}

export function readI32le(bytes: Uint8Array): number {
  return sized(bytes, 4, 'i32le').getInt32(0, true);
}

/** `a.b.c.d` → 4 bytes in network order. */
export function ipv4Bytes(address: string): Uint8Array {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new RangeError(`not an IPv4 address: ${address}`);
  }
  return Uint8Array.from(parts);
}

export function ipv4Text(bytes: Uint8Array): string {
  sized(bytes, 4, 'ipv4');
  return Array.from(bytes).join('.');
}

/** `aa:bb:cc:dd:ee:ff` → 6 bytes reversed, as nina-fw sends MAC and BSSID. */
export function macBytesReversed(mac: string): Uint8Array {
  const parts = mac.split(':').map((p) => Number.parseInt(p, 16));
  if (parts.length !== 6 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new RangeError(`not a MAC address: ${mac}`);
  }
  return Uint8Array.from(parts.reverse());
}

/** The byte-reversed 6 bytes of a reply → `aa:bb:cc:dd:ee:ff`. */
export function macFromReversed(bytes: Uint8Array): string {
  sized(bytes, 6, 'mac');
  return Array.from(bytes)
    .reverse()
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(':');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Names (SSID, passphrase, host name) travel as their UTF-8 bytes, without a terminator. */
export function textBytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Bytes → text; a trailing NUL (GET_FW_VERSION's C string) and anything after it is dropped. */
export function bytesText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return decoder.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

/** A C string: the UTF-8 bytes and a NUL (GET_FW_VERSION's 6 bytes for "2.0.0"). */
export function cString(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

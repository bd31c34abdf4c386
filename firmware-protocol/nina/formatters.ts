import { replyLengthWidth, requestLengthWidth, type LengthWidth } from './command-table.js';
import { END_BYTE, ERROR_BYTE, REPLY_FLAG, REQUEST_ALIGNMENT, START_BYTE } from './constants.js';

/** What fills a request's padding: a byte, or a byte per padding position (0-based). */
export type RequestPadding = number | ((index: number) => number);

export interface FormatRequestOptions {
  /** Default 0xFF, as WiFiNINA and MicroPython pad. */
  readonly pad?: RequestPadding;
}

export class NinaFormatError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'NinaFormatError';
  }
}

function framedLength(width: LengthWidth, params: readonly Uint8Array[]): number {
  let length = 4; // START, command, count, END
  for (const param of params) length += width / 8 + param.length;
  return length;
}

function writeFrame(out: Uint8Array, commandByte: number, width: LengthWidth, params: readonly Uint8Array[]): number {
  if (params.length > 255) throw new NinaFormatError(`a frame holds at most 255 parameters, got ${params.length}`);
  const maxParam = width === 8 ? 0xff : 0xffff;
  let at = 0;
  out[at++] = START_BYTE;
  out[at++] = commandByte;
  out[at++] = params.length;
  for (const param of params) {
    if (param.length > maxParam) {
      throw new NinaFormatError(`parameter of ${param.length} bytes does not fit a ${width}-bit length`);
    }
    if (width === 16) out[at++] = param.length >> 8;
    out[at++] = param.length & 0xff;
    out.set(param, at);
    at += param.length;
  }
  out[at++] = END_BYTE;
  return at;
}

/**
 * Host side: one request frame, padded to a multiple of 4 bytes counted from START as the ESP32's
 * SPI-slave DMA wants (and as the module on a byte stream expects). Parameter length widths come
 * from the command table.
 */
export function formatRequest(command: number, params: readonly Uint8Array[] = [], options: FormatRequestOptions = {}): Uint8Array {
  if (!Number.isInteger(command) || command < 0 || command > 0x7f) {
    throw new NinaFormatError(`a request's command byte is 0x00..0x7f, got ${command}`);
  }
  const width = requestLengthWidth(command);
  const length = framedLength(width, params);
  const padded = Math.ceil(length / REQUEST_ALIGNMENT) * REQUEST_ALIGNMENT;
  const out = new Uint8Array(padded);
  writeFrame(out, command, width, params);
  const pad = options.pad ?? 0xff;
  for (let i = length; i < padded; i++) out[i] = typeof pad === 'number' ? pad : pad(i - length);
  return out;
}

/** Module side: one reply frame, unpadded (a byte stream carries the frame exactly). */
export function formatReply(command: number, params: readonly Uint8Array[] = []): Uint8Array {
  const code = command & ~REPLY_FLAG;
  const width = replyLengthWidth(code);
  const out = new Uint8Array(framedLength(width, params));
  writeFrame(out, code | REPLY_FLAG, width, params);
  return out;
}

/**
 * The firmware's error reply `EF 00 EE` as it travels on a byte stream: without nina-fw's zero
 * padding to 4 bytes (host-mapping.md: module → host frames are unpadded).
 */
export function formatErrorReply(): Uint8Array {
  return Uint8Array.of(ERROR_BYTE, 0x00, END_BYTE);
}

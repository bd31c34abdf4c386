/**
 * What a UART receiving at one rate makes of bytes sent at another: the garbage a host sees
 * after AT+UART_CUR switched the module and the host stayed behind.
 *
 * The model is a small, exact simulation of 8N1 framing, one byte at a time:
 * - the sender's frame is start bit 0, eight data bits LSB first, stop bit 1, with the line idle
 *   (1) before and after it (each byte is framed on its own, so the result never depends on how
 *   the bytes were chunked or timed: the same bytes at the same two rates always give the same
 *   garbage);
 * - the receiver waits for a falling edge, checks the start bit half a bit later, samples eight
 *   data bits and the stop bit in the middle of its own bit times, and then waits for the next
 *   falling edge;
 * - a frame whose stop bit reads 0 is a framing error and is dropped (serialport opens ports
 *   with IGNPAR), a start bit that reads 1 is a glitch and is ignored.
 *
 * So one byte sent becomes 0 to 5 bytes received (a sender frame has at most 5 falling edges).
 * Rates within about ±5 % of each other decode correctly, as real UARTs tolerate; a host at
 * 115200 reading a module at 921600 mostly sees nothing or 0xFF, the reverse mostly 0x00 and
 * 0x80-ish bytes. Time is kept in integer units of 1/(2·sender·receiver) s, so the result is
 * exact and the same on every machine.
 */

/** Bits in one 8N1 frame: start, 8 data, stop. */
export const FRAME_BITS = 10;

function senderLevel(byte: number, t: number, senderBitUnits: number): number {
  if (t < 0) return 1;
  const bit = Math.floor(t / senderBitUnits);
  if (bit === 0) return 0;
  if (bit >= 1 && bit <= 8) return (byte >> (bit - 1)) & 1;
  return 1; // stop bit and the idle line after it
}

/** What a receiver at `receiverRate` decodes from one byte sent at `senderRate`. */
export function receiveByte(byte: number, senderRate: number, receiverRate: number): number[] {
  const senderBit = 2 * receiverRate; // one sender bit, in units of 1/(2·s·r) s
  const halfReceiverBit = senderRate; // half a receiver bit in the same units
  const edges: number[] = [];
  for (let bit = 0; bit < FRAME_BITS; bit++) {
    const before = senderLevel(byte, bit * senderBit - 1, senderBit);
    const after = senderLevel(byte, bit * senderBit, senderBit);
    if (before === 1 && after === 0) edges.push(bit * senderBit);
  }
  const received: number[] = [];
  let readyAt = 0;
  for (const edge of edges) {
    if (edge < readyAt) continue; // the receiver was still busy with a frame
    const sample = (bit: number): number => senderLevel(byte, edge + (2 * bit + 1) * halfReceiverBit, senderBit);
    if (sample(0) !== 0) {
      readyAt = edge + halfReceiverBit; // a glitch, not a start bit
      continue;
    }
    let data = 0;
    for (let k = 0; k < 8; k++) data |= sample(k + 1) << k;
    if (sample(9) === 1) received.push(data);
    readyAt = edge + 19 * halfReceiverBit; // edge detection resumes after the stop bit's middle
  }
  return received;
}

type GarbleTable = readonly Buffer[];

const tables = new Map<string, GarbleTable>();
const MAX_TABLES = 16;

function tableFor(senderRate: number, receiverRate: number): GarbleTable {
  const key = `${senderRate}/${receiverRate}`;
  let table = tables.get(key);
  if (!table) {
    const entries: Buffer[] = [];
    for (let byte = 0; byte < 256; byte++) entries.push(Buffer.from(receiveByte(byte, senderRate, receiverRate)));
    table = entries;
    if (tables.size >= MAX_TABLES) tables.delete(tables.keys().next().value as string);
    tables.set(key, table);
  }
  return table;
}

/** Rates are line rates in baud (positive integers); anything else is taken as a match. */
function usable(rate: number): boolean {
  return Number.isInteger(rate) && rate > 0;
}

/**
 * The bytes a receiver at `receiverRate` gets from `bytes` sent at `senderRate`. Equal rates
 * (or a rate that is not a positive integer) return `bytes` itself.
 */
export function garbleUartBytes(bytes: Buffer, senderRate: number, receiverRate: number): Buffer {
  if (senderRate === receiverRate || !usable(senderRate) || !usable(receiverRate)) return bytes;
  const table = tableFor(senderRate, receiverRate);
  const parts: Buffer[] = [];
  let total = 0;
  for (const byte of bytes) {
    const out = table[byte];
    if (out.length === 0) continue;
    parts.push(out);
    total += out.length;
  }
  return Buffer.concat(parts, total);
}

/** Whether a receiver at one rate decodes every byte sent at the other intact (both ways). */
export function ratesInterwork(a: number, b: number): boolean {
  if (a === b || !usable(a) || !usable(b)) return true;
  const there = tableFor(a, b);
  const back = tableFor(b, a);
  for (let byte = 0; byte < 256; byte++) {
    if (there[byte].length !== 1 || there[byte][0] !== byte) return false;
    if (back[byte].length !== 1 || back[byte][0] !== byte) return false;
  }
  return true;
}

/**
 * The stream half of a MicroPython socket (read, readinto, readline, write), built only on
 * recv/send/unread so it follows the socket's timeout rule. MicroPython's stream conventions:
 * no short reads or writes while blocking; in non-blocking mode whatever was possible is
 * returned, and null when nothing was (MicroPython returns None there).
 *
 * One deliberate improvement: when a blocking read fails part-way (ETIMEDOUT, reset) the bytes
 * already read are put back in front of the stream before the error is raised, so a retry loses
 * nothing (MicroPython drops them).
 */
import { isOSError } from '../errors.js';

export interface ByteStream {
  recv(bufsize: number): Promise<Uint8Array>;
  send(data: Uint8Array): Promise<number>;
  unread(bytes: Uint8Array): void;
}

/** Chunk asked of recv() when the caller gave no size. */
const CHUNK = 4096;

function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

export async function readAll(stream: ByteStream, size?: number): Promise<Uint8Array | null> {
  if (size !== undefined && (!Number.isInteger(size) || size < 0)) {
    // MicroPython: read(-1) reads to EOF.
    if (size === -1) size = undefined;
    else throw new RangeError('size must be a non-negative integer');
  }
  const parts: Uint8Array[] = [];
  let got = 0;
  while (size === undefined || got < size) {
    let chunk: Uint8Array;
    try {
      chunk = await stream.recv(size === undefined ? CHUNK : size - got);
    } catch (err) {
      if (isOSError(err, 'EAGAIN')) {
        if (got > 0) break;
        return null;
      }
      if (got > 0) stream.unread(concat(parts));
      throw err;
    }
    if (chunk.length === 0) break;
    parts.push(chunk);
    got += chunk.length;
  }
  return parts.length === 0 ? new Uint8Array(0) : concat(parts);
}

export async function readIntoBuffer(stream: ByteStream, buf: Uint8Array, nbytes?: number): Promise<number | null> {
  const want = Math.min(nbytes ?? buf.length, buf.length);
  const data = await readAll(stream, want);
  if (data === null) return null;
  buf.set(data, 0);
  return data.length;
}

export async function readLine(stream: ByteStream): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  for (;;) {
    let chunk: Uint8Array;
    try {
      chunk = await stream.recv(CHUNK);
    } catch (err) {
      if (isOSError(err, 'EAGAIN')) return parts.length > 0 ? concat(parts) : null;
      if (parts.length > 0) stream.unread(concat(parts));
      throw err;
    }
    if (chunk.length === 0) return parts.length === 0 ? new Uint8Array(0) : concat(parts);
    const newline = chunk.indexOf(0x0a);
    if (newline >= 0) {
      parts.push(chunk.subarray(0, newline + 1));
      stream.unread(chunk.subarray(newline + 1));
      return concat(parts);
    }
    parts.push(chunk);
  }
}

export async function writeAll(stream: ByteStream, data: Uint8Array): Promise<number | null> {
  let sent = 0;
  while (sent < data.length) {
    try {
      sent += await stream.send(data.subarray(sent));
    } catch (err) {
      if (isOSError(err, 'EAGAIN')) return sent > 0 ? sent : null;
      throw err;
    }
  }
  return sent;
}

/**
 * setsockopt() for usocket sockets: the options MicroPython's lwIP ports accept, plus copro's
 * SO_PASSTHROUGH (a TCP/TLS socket that takes the module's transparent mode, docs/driver.md).
 */
import type { BackendInfo } from '../backend.js';
import { osError } from '../errors.js';
import { SOCK_STREAM, SO_BROADCAST, SO_KEEPALIVE, SO_PASSTHROUGH, SO_REUSEADDR, SOL_SOCKET } from './constants.js';

/** Keep-alive interval used when SO_KEEPALIVE is turned on (seconds). */
const KEEPALIVE_SEC = 60;

/** Bytes the socket API accepts: binary buffers, or text (sent as UTF-8). */
export type BytesLike = Uint8Array | string;

export function toBytes(data: BytesLike): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return data;
  throw new TypeError('expected bytes (Uint8Array/Buffer) or a string');
}

/** An option value as the reference passes it: a number, or bytes holding a little-endian int. */
function optionNumber(value: number | Uint8Array): number {
  if (typeof value === 'number') return value;
  return value.length >= 4 ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).readInt32LE(0) : (value[0] ?? 0);
}

export class SocketOptions {
  /** TCP keep-alive for the next connect (0 = off). */
  keepAliveSec = 0;
  /** The next connect takes the module's transparent mode. */
  passthrough = false;

  /** Applies one setsockopt(); `fresh` = not connected, listening or bound to a link yet. */
  set(level: number, optname: number, value: number | Uint8Array, socket: { type: number; fresh: boolean; info: BackendInfo }): void {
    const n = optionNumber(value);
    if (level === SOL_SOCKET && (optname === SO_REUSEADDR || optname === SO_BROADCAST)) return;
    if (level === SOL_SOCKET && optname === SO_KEEPALIVE) {
      this.keepAliveSec = n ? KEEPALIVE_SEC : 0;
      return;
    }
    if (level === SOL_SOCKET && optname === SO_PASSTHROUGH) {
      if (socket.type !== SOCK_STREAM) throw osError('EOPNOTSUPP', 'SO_PASSTHROUGH is for SOCK_STREAM sockets');
      if (!socket.info.passthrough) throw osError('EOPNOTSUPP', `${socket.info.name} has no transparent mode`);
      if (!socket.fresh) throw osError('EISCONN', 'set SO_PASSTHROUGH before connect()');
      this.passthrough = n !== 0;
      return;
    }
    throw osError('EOPNOTSUPP', `socket option ${level}/${optname}`);
  }
}

import { StackError, type StackErrorCode } from './types.js';

/** Node's errno codes as lwIP would have reported them; anything unlisted is 'io'. */
const CODES: Readonly<Record<string, StackErrorCode>> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  EADDRINUSE: 'addr-in-use',
  ERR_STREAM_DESTROYED: 'closed',
  ERR_STREAM_WRITE_AFTER_END: 'closed',
  ERR_SOCKET_DGRAM_NOT_RUNNING: 'closed',
};

/** The errno-style code of a Node error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Any error from node:net/dgram/dns as a StackError (StackErrors pass through). */
export function toStackError(error: unknown, context: string): StackError {
  if (error instanceof StackError) return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return new StackError((code && CODES[code]) || 'io', `${context}: ${message}`);
}

/** True for the errors by which a TCP peer ends a connection (RST), as opposed to local failures. */
export function isPeerReset(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED';
}

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

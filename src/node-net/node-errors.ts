/**
 * The driver's OSError, dressed as the error Node's own networking would raise in the same place:
 * `code` (`ECONNREFUSED`, `ENOTFOUND`, ...), a negative `errno` (libuv's number, as Node sets it),
 * `syscall`, `address`/`port` or `hostname`, and the message shape Node uses
 * (`connect ECONNREFUSED 127.0.0.1:9`), so libraries that branch on `err.code` behave as they do on
 * a real socket. The OSError stays as `cause`: its errno and its explanation (which AT command,
 * what the module said) are not lost.
 */
import { getSystemErrorMap } from 'node:util';
import { errnoName, isOSError } from '../errors.js';
import type { OSError } from '../errors.js';

export type NetSyscall = 'connect' | 'getaddrinfo' | 'read' | 'write' | 'listen' | 'bind' | 'send' | 'recv' | 'close';

export interface NetErrorContext {
  readonly syscall: NetSyscall;
  readonly address?: string;
  readonly port?: number;
  /** getaddrinfo: the name that did not resolve. */
  readonly hostname?: string;
}

/** An error shaped like the ones node:net, node:dns and node:dgram raise. */
export class NodeNetError extends Error {
  readonly code: string;
  readonly errno: number | undefined;
  readonly syscall: NetSyscall;
  declare readonly address?: string;
  declare readonly port?: number;
  declare readonly hostname?: string;

  constructor(code: string, context: NetErrorContext, cause?: unknown) {
    super(`${context.syscall} ${code}${where(context)}`, cause === undefined ? undefined : { cause });
    this.code = code;
    this.errno = uvErrno(code === 'ENOTFOUND' ? 'EAI_NONAME' : code);
    this.syscall = context.syscall;
    // Only the fields Node itself sets for this syscall (an absent field is not an undefined one).
    if (context.address !== undefined) Object.assign(this, { address: context.address });
    if (context.port !== undefined) Object.assign(this, { port: context.port });
    if (context.hostname !== undefined) Object.assign(this, { hostname: context.hostname });
  }
}

function where(context: NetErrorContext): string {
  if (context.hostname !== undefined) return ` ${context.hostname}`;
  if (context.address === undefined) return '';
  return context.port === undefined ? ` ${context.address}` : ` ${context.address}:${context.port}`;
}

let uvNumbers: Map<string, number> | null = null;

/** libuv's (negative) number for a code name, as Node puts in `err.errno`. */
function uvErrno(code: string): number | undefined {
  if (!uvNumbers) {
    uvNumbers = new Map();
    for (const [n, [name]] of getSystemErrorMap()) uvNumbers.set(name, n);
  }
  return uvNumbers.get(code);
}

/**
 * The Node code for a driver failure in `syscall`. The same name as the OSError's errno, except:
 * - name resolution: EAI_NONAME is Node's `ENOTFOUND`;
 * - a write on a link the peer has closed (the driver's ENOTCONN): the data cannot be delivered,
 *   and a TCP peer answers such data with a reset — `ECONNRESET`, as Node reports a write to a
 *   connection that went away. ESP-AT and nina-fw report a peer's reset and its orderly close
 *   alike (`<id>,CLOSED`), so the reading side sees an end of stream either way.
 */
export function nodeCodeOf(err: OSError, syscall: NetSyscall): string {
  const name = errnoName(err.errno);
  if (name === 'EAI_NONAME') return 'ENOTFOUND';
  if (name === 'ENOTCONN' && (syscall === 'write' || syscall === 'send')) return 'ECONNRESET';
  return name;
}

/** `err` as Node would raise it; anything that is not an OSError is returned unchanged. */
export function toNodeError(err: unknown, context: NetErrorContext): Error {
  if (!isOSError(err)) return err instanceof Error ? err : new Error(String(err));
  return new NodeNetError(nodeCodeOf(err, context.syscall), context, err);
}

/** A failure Node itself raises with a code of its own (no OSError behind it). */
export function nodeError(code: string, context: NetErrorContext, detail?: string): NodeNetError {
  const err = new NodeNetError(code, context);
  if (detail) err.message += `: ${detail}`;
  return err;
}

/**
 * The argument forms of `net.connect()` / `socket.connect()` — `(options[, listener])`,
 * `(port[, host][, listener])`, `(path[, listener])` — reduced to one options object, with Node's
 * own checks (a bad port is a RangeError `ERR_SOCKET_BAD_PORT`, thrown at the call).
 */

/** What copro reads of Node's connect options (the rest are accepted and ignored: docs/driver.md). */
export interface ModuleConnectOptions {
  readonly port?: number | string;
  /** A name is resolved by the module (AT+CIPDOMAIN, nina-fw REQ_HOST_BY_NAME). Default `localhost`. */
  readonly host?: string;
  /** IPC paths do not exist on a module: refused. */
  readonly path?: string;
  /** 4 or 0; 6 is refused (the module is used with IPv4 only). */
  readonly family?: number;
  /** Idle timeout in ms: `'timeout'` is emitted, nothing is closed (as `socket.setTimeout()`). */
  readonly timeout?: number;
  readonly keepAlive?: boolean;
  readonly keepAliveInitialDelay?: number;
  readonly noDelay?: boolean;
  readonly allowHalfOpen?: boolean;
  /**
   * copro's addition: give up a connect the module has not finished within this many ms — the
   * socket is destroyed with `ETIMEDOUT` (the usocket layer's `settimeout()` on connect). The
   * module finishes in the background and the link is closed at once. Default: no limit of our
   * own (the driver's per-command limit holds: 30 s for TCP, 45 s for TLS on ESP-AT).
   */
  readonly connectTimeout?: number;
}

export type ConnectArgs =
  | [options: ModuleConnectOptions, listener?: () => void]
  | [port: number | string, host?: string | (() => void), listener?: () => void]
  | [path: string, listener?: () => void];

export interface NormalizedConnect {
  readonly options: ModuleConnectOptions;
  readonly listener?: () => void;
}

export interface Target {
  readonly host: string;
  readonly port: number;
}

class BadPortError extends RangeError {
  readonly code = 'ERR_SOCKET_BAD_PORT';
}

/** Node's normalizeArgs(): one options object and the optional listener. */
export function normalizeConnectArgs(args: readonly unknown[]): NormalizedConnect {
  const [first, second, third] = args;
  const listener = [second, third].find((a): a is () => void => typeof a === 'function');
  if (first !== null && typeof first === 'object') return { options: first as ModuleConnectOptions, listener };
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { options: { path: first }, listener };
  const host = typeof second === 'string' ? second : undefined;
  return { options: { port: first as number | string, ...(host !== undefined ? { host } : {}) }, listener };
}

/** The port as a number, checked as Node checks it (0 only where Node allows it: bind, listen). */
export function checkPort(port: unknown, allowZero = false): number {
  const n = typeof port === 'string' && /^\s*\d+\s*$/.test(port) ? Number(port) : port;
  const min = allowZero ? 0 : 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > 65535) {
    const shown = typeof port === 'string' ? `type string ('${port}')` : String(port);
    throw new BadPortError(`Port should be ${allowZero ? '>=' : '>'} 0 and < 65536. Received ${shown}.`);
  }
  return n;
}

/** Where to connect; throws at the call for what cannot be done (as Node does for bad arguments). */
export function targetOf(options: ModuleConnectOptions): Target {
  if (options.path !== undefined && options.port === undefined) {
    throw new TypeError(`IPC paths (${options.path}) do not exist on a network module: connect to a host and port`);
  }
  return { host: options.host || 'localhost', port: checkPort(options.port) };
}

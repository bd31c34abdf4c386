/**
 * The driver's only error type and the only place errno values are defined.
 *
 * Numbers are MicroPython's `uerrno` values (the Linux numbering its ports share), so code that
 * compares `e.errno` or `e.args[0]` against `errno.ETIMEDOUT` behaves as on a board. Name
 * resolution failures use a separate, negative namespace (the reference's getaddrinfo rule); the
 * values are glibc's EAI_* codes, which MicroPython's Unix port raises unchanged.
 */

export const errno = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  /** The module is taken by a transparent-mode socket (SO_PASSTHROUGH). */
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  EDESTADDRREQ: 89,
  EMSGSIZE: 90,
  EPROTONOSUPPORT: 93,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRINUSE: 98,
  ENETUNREACH: 101,
  ECONNABORTED: 103,
  ECONNRESET: 104,
  ENOBUFS: 105,
  EISCONN: 106,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
  EALREADY: 114,
  EINPROGRESS: 115,
} as const;

/** getaddrinfo() failures (negative, their own namespace). */
export const gaiErrno = {
  /** The name does not resolve. */
  EAI_NONAME: -2,
  /** Temporary failure (the module could not reach a resolver, or timed out). */
  EAI_AGAIN: -3,
  /** Non-recoverable failure (the module has no IP, or answered nonsense). */
  EAI_FAIL: -4,
  /** Address family not supported. */
  EAI_FAMILY: -6,
  /** Port (service) not valid. */
  EAI_SERVICE: -8,
} as const;

export type ErrnoName = keyof typeof errno;
export type GaiErrnoName = keyof typeof gaiErrno;

const namesByNumber = new Map<number, string>([
  ...Object.entries(errno).map(([name, n]) => [n, name] as [number, string]),
  ...Object.entries(gaiErrno).map(([name, n]) => [n, name] as [number, string]),
]);

/** `ETIMEDOUT` for 110; the number itself for unknown values. */
export function errnoName(n: number): string {
  return namesByNumber.get(n) ?? String(n);
}

/**
 * MicroPython's OSError: `errno` and `args[0]` carry the number. `args[1]`, when present, is a
 * human explanation (why the module reset, which AT command failed) — MicroPython itself often
 * has none, so code should branch on the number only.
 */
export class OSError extends Error {
  readonly errno: number;
  readonly args: readonly [number] | readonly [number, string];

  /** `cause`: the error this one reports (a failed write, a closed port), kept for whoever debugs it. */
  constructor(code: number, detail?: string, cause?: unknown) {
    super(detail ? `[Errno ${code}] ${errnoName(code)}: ${detail}` : `[Errno ${code}] ${errnoName(code)}`, cause === undefined ? undefined : { cause });
    this.name = 'OSError';
    this.errno = code;
    this.args = detail ? [code, detail] : [code];
  }

  /** The explanation, without the number (for one-line CLI messages). */
  get detail(): string | undefined {
    return this.args[1];
  }
}

/**
 * The one way src/ builds an OSError: `osError('ETIMEDOUT', 'why')`, with `cause` when it reports
 * another error (a failed write, a closed port: the original stays reachable as `err.cause`).
 */
export function osError(name: ErrnoName | GaiErrnoName, detail?: string, cause?: unknown): OSError {
  const code = name in errno ? errno[name as ErrnoName] : gaiErrno[name as GaiErrnoName];
  return new OSError(code, detail, cause);
}

export function isOSError(err: unknown, name?: ErrnoName | GaiErrnoName): err is OSError {
  if (!(err instanceof OSError)) return false;
  if (name === undefined) return true;
  return err.errno === (name in errno ? errno[name as ErrnoName] : gaiErrno[name as GaiErrnoName]);
}

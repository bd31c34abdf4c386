/**
 * What one soak operation came to, and which failures are the right ones.
 *
 *   ok        completed, every byte checked (sha256 / byte compare)
 *   detected  failed with an OSError whose errno fits what was being done
 *   cut       a stream ended early (EOF) with a correct prefix: the module said `CLOSED` — ESP-AT
 *             reports a peer's reset, a WiFi loss and an orderly close alike, so the application
 *             sees a short stream, never wrong bytes; a failure it can see (the length was known)
 *   silent    bytes delivered that differ from what was sent (wrong, reordered, duplicated) with no
 *             error: the one outcome that must never happen — except on a noisy serial line,
 *             where the ESP-AT stream has no checksum (see `noise`)
 *   wrong-errno an OSError, but not one that makes sense here (EBADF on a socket nobody closed…)
 *   crash     something other than an OSError escaped (a TypeError: a driver bug)
 *   hang      the operation did not settle within its bound
 */
import { OSError, errnoName } from '../src/errors.js';

export type OutcomeKind = 'ok' | 'detected' | 'cut' | 'silent' | 'wrong-errno' | 'crash' | 'hang';

export interface Outcome {
  readonly kind: OutcomeKind;
  /** The operation's name (echo, download, …). */
  readonly op: string;
  /** Bytes compared and found right (ok, and the correct prefix of a cut stream). */
  readonly verified: number;
  /** The errno's name for detected / wrong-errno. */
  readonly errno?: string;
  readonly detail?: string;
  /** A serial byte fault (drop, corrupt, dup) hit this module's line while the operation ran. */
  readonly noise?: boolean;
  readonly ms?: number;
  /** How long the call that failed took, ms (a failure must come within the socket timeout). */
  readonly callMs?: number;
  /** The soak cycle (1-based) the operation ran in: its fault plan is in the module's record. */
  readonly cycle?: number;
}

/** The phase an error happened in decides which errno numbers make sense there. */
export type Phase = 'resolve' | 'connect' | 'transfer' | 'close';

const SENSIBLE: Readonly<Record<Phase, ReadonlySet<string>>> = {
  // getaddrinfo's own namespace, or the module going away under it.
  resolve: new Set(['EAI_NONAME', 'EAI_AGAIN', 'EAI_FAIL', 'ETIMEDOUT', 'ECONNABORTED', 'EIO']),
  connect: new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ECONNABORTED', 'ETIMEDOUT', 'ENFILE', 'EIO', 'ECONNRESET', 'EADDRINUSE']),
  transfer: new Set(['ECONNABORTED', 'ECONNRESET', 'ETIMEDOUT', 'EIO', 'ENOTCONN', 'EHOSTUNREACH', 'ENOBUFS']),
  close: new Set(['ECONNABORTED', 'ETIMEDOUT', 'EIO']),
};

/** Classifies an error thrown in `phase` of operation `op`. */
export function classifyError(op: string, phase: Phase, err: unknown, verified = 0, callMs?: number): Outcome {
  if (err instanceof OSError) {
    const name = errnoName(err.errno);
    const kind = SENSIBLE[phase].has(name) ? 'detected' : 'wrong-errno';
    return { kind, op, verified, errno: name, detail: `${phase}: ${err.message}`, callMs };
  }
  const detail = err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 3).join(' | ') : String(err);
  return { kind: 'crash', op, verified, detail: `${phase}: ${detail}` };
}

/**
 * Compares what arrived with what was due: ok when equal, cut when it is a shorter correct prefix
 * and the stream ended, silent otherwise.
 */
export function compareStream(op: string, got: Uint8Array, want: Uint8Array, ended: boolean): Outcome {
  const n = Math.min(got.length, want.length);
  const same = Buffer.compare(Buffer.from(got.buffer, got.byteOffset, n), Buffer.from(want.buffer, want.byteOffset, n)) === 0;
  if (same && got.length === want.length) return { kind: 'ok', op, verified: got.length };
  if (same && got.length < want.length && ended) return { kind: 'cut', op, verified: got.length, detail: `stream ended after ${got.length} of ${want.length} bytes` };
  const at = firstDifference(got, want);
  return { kind: 'silent', op, verified: 0, detail: `${got.length} bytes arrived for ${want.length}; first difference at byte ${at}` };
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

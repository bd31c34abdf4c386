import type { FaultKind } from './fault-spec.js';

/** Where the fault layers say what they did: the trace (`FAULT` notes) and the counters. */
export interface FaultReporter {
  /** `count` injections of `kind` happened (several bytes of a chunk count one each). */
  injected(kind: FaultKind, detail: string, count?: number): void;
  /** Something worth a trace line that is not an injection (a held buffer overflowed...). */
  note(detail: string): void;
}

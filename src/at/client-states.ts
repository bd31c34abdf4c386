/**
 * The AtClient's states, named, and the only moves between them (at-client.ts acts on them,
 * client-job.ts holds one command's). A move not listed here is a bug in the engine: it throws.
 *
 * The client (one per module):
 *   ready     commands go out one at a time, nothing is owed by the module;
 *   draining  a command timed out: its late answer may still come, and is thrown away before the
 *             next command goes out (drain.ts);
 *   late      the drain gave up (the module was mute): commands go out, but an earlier one of
 *             ours may still run in the module, so a `busy p...` means ours was refused;
 *   raw       transparent transmission: every byte is data until leaveRaw(); no command goes out;
 *   closed    the port is gone or the owner closed it: every command fails with the reason.
 *
 * One command (a Job):
 *   queued       waiting for its turn;
 *   sent         its line is with the module, its answer awaited;
 *   refused      `busy p...` while an earlier timed-out command ran: the module threw our line
 *                away; it goes out again after that command's result;
 *   probe-armed  an unclear `busy`: after a quiet moment the probe goes out (busy-probe.ts), or,
 *                for a CIPSEND, the line itself again;
 *   probe-sent   the probe is out: whichever answer comes first says whether ours was refused;
 *   payload      CIPSEND: its `>` came and the payload was written; SEND OK / SEND FAIL awaited;
 *   settled      answered, failed or timed out.
 *
 * What the client knows about echo (EchoState): `unknown` after a `ready` or at open (nothing is
 * assumed), `off` once ATE0 succeeded in this boot (an echo then means the module restarted), `on`
 * when the module was seen echoing again (results are then matched by echo until ATE0).
 */

export type ClientMode =
  | { readonly kind: 'ready' }
  | { readonly kind: 'draining' }
  | { readonly kind: 'late' }
  | { readonly kind: 'raw'; readonly sink: (bytes: Uint8Array) => void }
  | { readonly kind: 'closed'; readonly reason: Error };

export type ClientModeKind = ClientMode['kind'];

const MODE_MOVES: Readonly<Record<ClientModeKind, readonly ClientModeKind[]>> = {
  ready: ['draining', 'raw', 'closed', 'ready'],
  draining: ['ready', 'late', 'closed'],
  late: ['ready', 'draining', 'raw', 'closed', 'late'],
  raw: ['ready', 'closed'],
  closed: [],
};

/** The mode after `from` → `to`; throws on a move the engine never makes. */
export function moveMode(from: ClientMode, to: ClientMode): ClientMode {
  if (!MODE_MOVES[from.kind].includes(to.kind)) throw new Error(`AtClient: no move from ${from.kind} to ${to.kind}`);
  return to;
}

export type JobState = 'queued' | 'sent' | 'refused' | 'probe-armed' | 'probe-sent' | 'payload' | 'settled';

const JOB_MOVES: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ['sent', 'settled'],
  sent: ['refused', 'probe-armed', 'payload', 'settled'],
  refused: ['sent', 'payload', 'settled'],
  'probe-armed': ['sent', 'probe-armed', 'probe-sent', 'payload', 'settled'],
  'probe-sent': ['sent', 'probe-armed', 'payload', 'settled'],
  payload: ['settled'],
  settled: ['settled'],
};

/** Whether a job may move from `from` to `to`. */
export function jobMoveAllowed(from: JobState, to: JobState): boolean {
  return JOB_MOVES[from].includes(to);
}

/** The job's line is with the module and no prompt came yet. */
export function lineOut(state: JobState): boolean {
  return state === 'sent' || state === 'refused' || state === 'probe-armed' || state === 'probe-sent';
}

export type EchoState = 'unknown' | 'on' | 'off';

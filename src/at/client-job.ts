/**
 * One command in the AtClient (at-client.ts): the request, what came back so far, and where it
 * is (client-states.ts). Its state changes only through moveJob().
 */
import type { ClockTimer } from '../clock.js';
import type { RemoteInfo, Urc } from '../../firmware-protocol/at/types.js';
import type { AtReply, AtRequest } from './at-request.js';
import { jobMoveAllowed } from './client-states.js';
import type { JobState } from './client-states.js';

export interface JobReply {
  infos: { name: string; text: string }[];
  lines: string[];
  received: { data: Uint8Array; remote: RemoteInfo | null }[];
  /** Counted payloads of the command (`+HTTPCLIENT:<len>,…`, `+FS:<len>,…`), in order. */
  pieces: Uint8Array[];
  urcs: Urc[];
}

export interface Job {
  readonly request: AtRequest;
  /** The line without CR LF, as the echo shows it. */
  readonly text: string;
  /** CIPSEND or the passthrough entry: an OK comes before the prompt, and no probe may follow the line. */
  readonly sending: boolean;
  readonly reply: JobReply;
  readonly state: JobState;
  /** The receive turn during which the line was last written (busy-probe.ts: a busy of that turn predates it). */
  sentInTurn: number;
  /** The module echoed the line since it was last written (it does after every boot until ATE0). */
  echoed: boolean;
  /** The wait before the next probe after an unclear busy (doubles up to 2 s). */
  retryDelayMs: number;
  deadline?: ClockTimer;
  retry?: ClockTimer;
  resolve(reply: AtReply): void;
  reject(err: Error): void;
}

export function createJob(request: AtRequest, retryDelayMs: number, resolve: (reply: AtReply) => void, reject: (err: Error) => void): Job {
  return {
    request,
    text: Buffer.from(request.line).toString('latin1').replace(/\r\n$/, ''),
    sending: request.payload !== undefined || request.entersRaw === true,
    reply: { infos: [], lines: [], received: [], pieces: [], urcs: [] },
    state: 'queued',
    sentInTurn: -1,
    echoed: false,
    retryDelayMs,
    resolve,
    reject,
  };
}

/** The one place a job's state changes; throws on a move the engine never makes. */
export function moveJob(job: Job, to: JobState): void {
  if (!jobMoveAllowed(job.state, to)) throw new Error(`AtClient: ${job.text} cannot move from ${job.state} to ${to}`);
  (job as { state: JobState }).state = to;
}

/**
 * select.poll over usocket sockets: which sockets are ready now, and a wait for the first of
 * several to become ready under the one timeout rule (timeout.ts). Readiness comes from each
 * socket's own view (Socket.readiness()); nothing is read or sent.
 */
import type { Readiness } from '../backend.js';
import { isOSError } from '../errors.js';
import { POLLERR, POLLHUP, POLLNVAL } from './poll-events.js';
import type { Socket } from './socket.js';
import { Deadline, waitUntil } from './timeout.js';

export { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from './poll-events.js';

/** A socket and the events asked for (POLLIN | POLLOUT). */
export type PollEntry = readonly [socket: Socket, events: number];

/** Reported whatever was asked for, as poll(2) and MicroPython do. */
const ALWAYS = POLLERR | POLLHUP | POLLNVAL;

function readyNow(entries: readonly PollEntry[]): PollEntry[] {
  const ready: PollEntry[] = [];
  for (const [socket, events] of entries) {
    const revents = socket.readiness() & (events | ALWAYS);
    if (revents !== 0) ready.push([socket, revents]);
  }
  return ready;
}

/**
 * The entries that are ready, as `[socket, revents]`, once at least one is or the time is up
 * (then an empty list, as poll() returns). `timeoutMs`: 0 checks without waiting; negative or
 * null waits as long as it takes.
 */
export async function poll(entries: readonly PollEntry[], timeoutMs: number | null): Promise<PollEntry[]> {
  const ready = readyNow(entries);
  if (ready.length > 0 || timeoutMs === 0) return ready;
  const limitMs = timeoutMs === null || timeoutMs < 0 ? null : timeoutMs;
  // The sockets of one poll belong to one module: its clock times the wait.
  const first = entries.at(0);
  const deadline = first ? first[0].deadlineIn(limitMs) : new Deadline(limitMs === null ? null : limitMs / 1000);
  const sources: Readiness[] = entries.map(([socket]) => ({ onChange: (listener) => socket.watch(listener) }));
  try {
    await waitUntil(() => readyNow(entries).length > 0, { sources, deadline });
  } catch (err) {
    // The time is up: poll() says so with an empty list, not an error.
    if (isOSError(err, 'ETIMEDOUT')) return [];
    throw err;
  }
  return readyNow(entries);
}

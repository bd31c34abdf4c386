/**
 * A fix for serialport's Unix poller, which can leave a write waiting forever.
 *
 * serialport (bindings-cpp 13.0.0, src/poller.cpp `Poller::poll`) watches a port's fd with one
 * uv_poll handle for both directions. A read or write that hits EAGAIN asks it to watch for
 * 'readable' or 'writable'. The native poll() records the union of what is awaited, but restarts
 * the handle with only the event just asked for. So a write that asks for 'writable' stops the
 * reads (the host no longer hears the module until the write can go on), and a read that asks for
 * 'readable' while a write waits drops the write's interest: the write then waits until some byte
 * arrives from the module, while the module waits for the rest of the write (an AT+CIPSENDL
 * payload, say) and sends nothing.
 *
 * It happens on any Unix port whose kernel buffer fills (a PTY under load, a USB-serial adapter at
 * line rate) while the driver still reads. Seen in `npm run bench`'s upload: a 64 KiB CIPSENDL
 * stopped after 13.8 KiB, about once in ten 16 MiB uploads.
 *
 * The fix: every poll asks again for all the events that still have a waiter. The JS poller
 * registers its waiters with `once()` and its handler runs them. That it dropped them is the bug
 * we work around, not a rule of the binding.
 */

/** libuv's UV_READABLE, UV_WRITABLE, UV_DISCONNECT (bindings-cpp dist/poller.js EVENTS). */
const INTEREST: readonly (readonly [event: string, flag: number])[] = [
  ['readable', 0b0001],
  ['writable', 0b0010],
  ['disconnect', 0b0100],
];

interface UnixPoller {
  poll(eventFlag?: number): void;
  listenerCount(event: string): number;
}

function isUnixPoller(value: unknown): value is UnixPoller {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'poll' | 'listenerCount', unknown>>;
  return typeof candidate.poll === 'function' && typeof candidate.listenerCount === 'function';
}

/**
 * Makes the poller of an open serialport binding (`port.port`) keep every awaited event. Returns
 * false where there is no Unix poller (Windows, a mock binding): nothing to fix.
 */
export function keepPollerInterest(binding: unknown): boolean {
  if (typeof binding !== 'object' || binding === null || !('poller' in binding)) return false;
  const poller = binding.poller;
  if (!isUnixPoller(poller)) return false;
  const poll = poller.poll.bind(poller);
  poller.poll = (eventFlag = 0) => {
    let flags = eventFlag;
    for (const [event, flag] of INTEREST) if (poller.listenerCount(event) > 0) flags |= flag;
    poll(flags);
  };
  return true;
}

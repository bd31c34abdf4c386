import type { ModuleTransport } from '../transport/types.js';
import type { Endpoint } from '../network/types.js';
import type { Link } from './link-table.js';
import type { ModuleCore } from './module-core.js';

/**
 * The firmware's receive path blocks while the UART cannot take more: data of a TCP/SSL link
 * that would not fit stops the link being read (its TCP window closes, the peer slows down)
 * instead of overrunning the output queue. Two marks decide:
 *
 * - what still waits for the wire (LineBackpressure: a paced line, a stalled one) above UART_HOLD_BYTES;
 * - bytes not yet taken by the host (OutputFlow: every carrier, paced or not) above
 *   OUTPUT_HOLD_BYTES. A fast peer and a host that
 *   reads slower than loopback TCP (every host) would otherwise overflow the queue's 64 KiB.
 *
 * A socket read can be larger than the room left (up to 64 KiB): what does not fit is carried
 * here, the link paused, and handed on in order as the queue drains — as the firmware's task
 * blocks in the middle of a write. A host that never reads leaves the link paused (the peer
 * stalls); the queue stays bounded and still drops its oldest bytes if other output (URCs)
 * overflows it. UDP is not held: a datagram the module cannot take is simply lost.
 */

/** Queued line bytes above which a link is held (≈ 0.7 s at 115200, 90 ms at 921600). */
export const UART_HOLD_BYTES = 8 * 1024;

/** Host-bound bytes not yet taken by the carrier above which link data waits (half the 64 KiB queue). */
export const OUTPUT_HOLD_BYTES = 32 * 1024;

/** Routes one piece of a link's data to the host (+IPD, raw passthrough output...). */
export type LinkDataRoute = (core: ModuleCore, link: Link, data: Buffer, from: Endpoint) => void;

interface Gate {
  /** Data read from the link that did not fit yet, in order. */
  carry: { data: Buffer; from: Endpoint }[];
  /** The link is paused by us and a drain is awaited. */
  waiting: boolean;
  /** The link's close, reported while data before it was still carried: runs once that is out. */
  closed: (() => void) | null;
}

const gates = new WeakMap<Link, Gate>();

/**
 * Hands `data` to `route` as far as the host's queue has room; the rest waits (link paused)
 * until it drains. Call for every chunk a link delivers while it is the module's to print.
 */
export function deliverLinkData(core: ModuleCore, link: Link, data: Buffer, from: Endpoint, route: LinkDataRoute): void {
  if (link.type === 'UDP') {
    route(core, link, data, from);
    return;
  }
  let gate = gates.get(link);
  if (!gate) {
    gate = { carry: [], waiting: false, closed: null };
    gates.set(link, gate);
  }
  gate.carry.push({ data, from });
  pump(core, link, gate, route);
}

/**
 * The peer's close comes after its data: if some of that is still carried, `onClosed` runs once
 * it is out (a socket reports its end as soon as its last chunk was read, paused or not).
 * Returns false when nothing is carried: close now.
 */
export function deferCloseAfterData(link: Link, onClosed: () => void): boolean {
  const gate = gates.get(link);
  if (!gate || gate.carry.length === 0) return false;
  gate.closed = onClosed;
  return true;
}

function pump(core: ModuleCore, link: Link, gate: Gate, route: LinkDataRoute): void {
  const transport = core.transport;
  while (gate.carry.length > 0 && !gate.waiting) {
    const room = outputRoom(transport);
    if (room <= 0) break;
    const head = gate.carry[0];
    const part = head.data.length > room ? head.data.subarray(0, room) : head.data;
    if (part.length === head.data.length) gate.carry.shift();
    else head.data = head.data.subarray(part.length);
    route(core, link, part, head.from);
    // The route may have ended the link (or the mode): what it carried is the link's business no more.
    if (core.links.get(link.id) !== link) {
      gate.carry = [];
      gate.closed = null;
      return;
    }
  }
  if (gate.carry.length === 0 && gate.closed) {
    const closed = gate.closed;
    gate.closed = null;
    closed();
    return;
  }
  if (gate.waiting || (gate.carry.length === 0 && !mustHold(transport))) return;
  gate.waiting = true;
  link.vlink.pause();
  void drainedEnough(transport).then(() => {
    gate.waiting = false;
    if (core.links.get(link.id) !== link) {
      gate.carry = [];
      gate.closed = null;
      return;
    }
    const closing = gate.closed !== null;
    pump(core, link, gate, route);
    if (gate.waiting || closing) return;
    // Held by passive receive for its own reason (window full), or the peer is gone: leave it be.
    if (link.peerClosed || link.passive.isFull) return;
    link.vlink.resume();
  });
}

function outputRoom(transport: ModuleTransport): number {
  if (transport.lineQueuedBytes() >= UART_HOLD_BYTES) return 0;
  return OUTPUT_HOLD_BYTES - transport.pendingBytes();
}

function mustHold(transport: ModuleTransport): boolean {
  return outputRoom(transport) <= 0;
}

async function drainedEnough(transport: ModuleTransport): Promise<void> {
  if (transport.lineQueuedBytes() >= UART_HOLD_BYTES) await transport.lineDrained();
  await transport.drained();
}

/** Resolves once the host's queue has room again (at once when it has): for output not tied to a link. */
export async function waitForOutputRoom(transport: ModuleTransport): Promise<void> {
  while (mustHold(transport)) await drainedEnough(transport);
}

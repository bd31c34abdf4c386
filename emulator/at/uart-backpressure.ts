import { hasLineBackpressure } from '../transport/line-control.js';
import type { Link } from './link-table.js';
import type { ModuleCore } from './module-core.js';

/**
 * The firmware's receive path blocks while the UART cannot take more: on a paced line, data of a
 * TCP/SSL link that is still waiting for the wire stops the link being read (its TCP window
 * closes, the peer slows down) instead of overrunning the output queue. Unpaced lines never
 * hold anything back. UDP is not held: a datagram the module cannot take is simply lost.
 */

/** Queued line bytes above which a link is held (≈ 0.7 s at 115200, 90 ms at 921600). */
export const UART_HOLD_BYTES = 8 * 1024;

const held = new WeakSet<Link>();

/** Call after writing a link's data to the host. */
export function holdLinkForUart(core: ModuleCore, link: Link): void {
  const transport = core.transport;
  if (link.type === 'UDP' || held.has(link) || !hasLineBackpressure(transport)) return;
  if (transport.lineQueuedBytes() < UART_HOLD_BYTES) return;
  held.add(link);
  link.vlink.pause();
  void transport.lineDrained().then(() => {
    held.delete(link);
    // Gone, or held by passive receive for its own reason (window full): leave it be.
    if (core.links.get(link.id) !== link || link.peerClosed || link.passive.isFull) return;
    link.vlink.resume();
  });
}

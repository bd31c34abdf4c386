/**
 * CIPSEND for one link: chunks the module accepts, and what each outcome means for the socket.
 * SEND OK means the module's stack took the data, not that the peer got it (esp-at.md §7.9).
 */
import { isIPv4 } from 'node:net';
import type { Address } from '../backend.js';
import { isOSError, osError } from '../errors.js';
import type { AtReply, AtRequest } from './at-client.js';
import type { AtLink } from './at-link.js';
import type { AtRequests } from './requests.js';

export interface SenderEngine {
  command(request: AtRequest): Promise<AtReply>;
  readonly requests: AtRequests;
  /** Largest CIPSEND length. */
  readonly maxSend: number;
}

/** Sends a prefix of `data` (at most maxSend bytes; UDP: the whole datagram) and returns its length. */
export async function transmit(engine: SenderEngine, link: AtLink, data: Uint8Array, to?: Address): Promise<number> {
  const id = link.id;
  if (id === null) throw link.failure ?? osError('ENOTCONN', 'the link is gone');
  const max = engine.maxSend;
  let destination: Address | undefined;
  if (link.kind === 'udp') {
    if (data.length > max) throw osError('EMSGSIZE', `a datagram holds at most ${max} bytes on this module`);
    destination = to ?? link.remote ?? undefined;
    if (!destination) throw osError('EDESTADDRREQ');
    if (!isIPv4(destination.ip)) throw osError('EAFNOSUPPORT', 'the module is used with IPv4 only');
  }
  const chunk = data.subarray(0, max);
  let reply: AtReply;
  try {
    reply = await engine.command(engine.requests.send(id, chunk, destination));
  } catch (err) {
    // No SEND OK in time: how much left is unknown, so the stream cannot be trusted (as E7).
    if (isOSError(err, 'ETIMEDOUT') && link.kind === 'tcp') {
      link.fail(osError('EIO', 'the module did not confirm a send in time: an unknown part of the data was sent'));
    }
    throw err;
  }
  if (reply.result === 'SEND OK') return chunk.length;
  if (reply.result === 'SEND FAIL') {
    // Part of the data may have left (peers.md E7): a stream can no longer be trusted.
    const err = osError('EIO', 'the module reported SEND FAIL: an unknown part of the data was sent');
    if (link.kind === 'tcp') link.fail(err);
    throw err;
  }
  if (link.failure) throw link.failure;
  if (link.state !== 'open') throw osError('ENOTCONN', 'the peer closed the connection');
  throw osError('ECONNRESET', `the module refused to send on link ${id} (AT+CIPSEND answered ${reply.result})`);
}

/**
 * CIPSEND for one link: chunks the module accepts, and what each outcome means for the socket.
 * SEND OK means the module's stack took the data, not that the peer got it (esp-at.md §7.9).
 *
 * A stream send is one chain of CIPSENDs of the largest length the firmware takes (maxSend),
 * each queued from the previous one's SEND OK in the same turn (AtRequest.settled), so the next
 * `AT+CIPSEND=` line leaves as soon as the protocol allows. Not sooner: while a send is still in
 * progress — after `Recv N bytes`, before SEND OK — the module throws a new line away with
 * `busy p...` (esp-at.md §4 CIPSEND), so pipelining further would only add re-sends. Where the
 * firmware has AT+CIPSENDL, a send longer than one CIPSEND on a TCP or SSL link goes as CIPSENDLs of
 * up to 64 KiB: the module hands each to the network while the UART still brings it, one round trip
 * per 64 KiB.
 */
import { isIPv4 } from 'node:net';
import type { Address } from '../backend.js';
import { isOSError, osError } from '../errors.js';
import type { OSError } from '../errors.js';
import type { AtReply, AtRequest } from './at-client.js';
import type { AtLink } from './at-link.js';
import type { AtRequests } from './requests.js';
import { hasCommand } from '../../firmware-protocol/at/command-table.js';

export interface SenderEngine {
  /** The first command of a send (waits for the module to be synchronised). */
  command(request: AtRequest): Promise<AtReply>;
  /** A follow-up queued from a settled hook: straight into the client's queue. */
  runNow(request: AtRequest): Promise<AtReply>;
  readonly requests: AtRequests;
  /** Largest CIPSEND length. */
  readonly maxSend: number;
}

/** One AT+CIPSENDL's payload at most: the module keeps nothing of it, the driver holds it until SEND OK. */
export const LONG_SEND_BYTES = 64 * 1024;

/** What a CIPSEND's outcome means for the link; null = SEND OK. */
function sendFailure(link: AtLink, id: number, outcome: AtReply | Error): OSError | Error | null {
  if (outcome instanceof Error) {
    // No SEND OK in time: how much left is unknown, so the stream cannot be trusted (as E7).
    if (isOSError(outcome, 'ETIMEDOUT') && link.kind !== 'udp') {
      link.fail(osError('EIO', 'the module did not confirm a send in time: an unknown part of the data was sent'));
    }
    return outcome;
  }
  if (outcome.result === 'SEND OK') return null;
  if (outcome.result === 'SEND FAIL') {
    // Part of the data may have left (peers.md E7): a stream can no longer be trusted. Its CLOSED
    // came first (a long send reads the whole payload before it answers): the peer reset it.
    const err =
      link.state !== 'open' && link.kind !== 'udp'
        ? osError('ECONNRESET', 'the connection was reset while the module was sending (SEND FAIL after CLOSED)')
        : osError('EIO', 'the module reported SEND FAIL: an unknown part of the data was sent');
    if (link.kind !== 'udp') link.fail(err);
    return err;
  }
  if (link.failure) return link.failure;
  if (link.state !== 'open') return osError('ENOTCONN', 'the peer closed the connection');
  return osError('ECONNRESET', `the module refused to send on link ${id} (AT+CIPSEND answered ${outcome.result})`);
}

/** One datagram: a single CIPSEND to `to` or the link's destination. */
async function sendDatagram(engine: SenderEngine, link: AtLink, id: number, data: Uint8Array, to?: Address): Promise<number> {
  const max = engine.maxSend;
  if (data.length > max) throw osError('EMSGSIZE', `a datagram holds at most ${max} bytes on this module`);
  const destination = to ?? link.remote ?? undefined;
  if (!destination) throw osError('EDESTADDRREQ');
  if (!isIPv4(destination.ip)) throw osError('EAFNOSUPPORT', 'the module is used with IPv4 only');
  let outcome: AtReply | Error;
  try {
    outcome = await engine.command(engine.requests.send(id, data, destination));
  } catch (err) {
    outcome = err as Error;
  }
  const failure = sendFailure(link, id, outcome);
  if (failure) throw failure;
  return data.length;
}

/**
 * Sends `data` on a stream link as a chain of CIPSENDs and resolves with the count once the last
 * SEND OK came. A failure part-way rejects (the stream is failed: an unknown part left).
 */
function sendStream(engine: SenderEngine, link: AtLink, id: number, data: Uint8Array): Promise<number> {
  // More than one CIPSEND's worth, where the firmware has AT+CIPSENDL: long sends in parallel with the UART.
  const long = (link.kind === 'tcp' || link.kind === 'tls') && data.length > engine.maxSend && hasCommand(engine.requests.profile, 'CIPSENDL');
  const max = long ? LONG_SEND_BYTES : engine.maxSend;
  return new Promise<number>((resolve, reject) => {
    let offset = 0;
    const queue = (first: boolean): void => {
      const chunk = data.subarray(offset, offset + max);
      const request: AtRequest = {
        ...(long ? engine.requests.sendLong(id, chunk) : engine.requests.send(id, chunk)),
        settled: (outcome) => {
          const failure = sendFailure(link, id, outcome);
          if (failure) return reject(failure);
          offset += chunk.length;
          if (offset >= data.length) return resolve(offset);
          // Stopped meanwhile (closed, peer gone, module reset): report what was confirmed.
          if (link.id !== id || link.state !== 'open' || link.failure) return resolve(offset);
          queue(false);
        },
      };
      // The outcome is handled by `settled`; a rejection without it (the engine closed before the
      // command was queued) ends the send too — rejecting an already settled send does nothing.
      (first ? engine.command(request) : engine.runNow(request)).catch((err: Error) => reject(err));
    };
    queue(true);
  });
}

/**
 * Sends `data` (TCP/TLS: all of it, chunked; UDP: one datagram) and returns the count sent.
 */
export async function transmit(engine: SenderEngine, link: AtLink, data: Uint8Array, to?: Address): Promise<number> {
  const id = link.id;
  if (id === null) throw link.failure ?? osError('ENOTCONN', 'the link is gone');
  if (link.kind === 'udp') return sendDatagram(engine, link, id, data, to);
  if (data.length === 0) return 0;
  return sendStream(engine, link, id, data);
}

/**
 * Shared by the driver's TLS tests: a rig whose emulated module holds a certificate store, the
 * loopback TLS peers of test/helpers/tls-lab.ts, and small assertions. Everything is stopped by
 * `stopTls()` (call it in afterEach, after the harness's stopAll).
 */
import { createHash } from 'node:crypto';
import type { WorldConfig } from '../../emulator/world-config.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { OSError } from '../../src/errors.js';
import type { Socket } from '../../src/usocket/socket.js';
import { TlsPeer, tlsWorld } from '../helpers/tls-lab.js';
import type { Pem, TlsPeerOptions } from '../helpers/tls-lab.js';
import { startRig } from './emulator-harness.js';
import type { Carrier, Rig } from './emulator-harness.js';

const stoppers: (() => Promise<void> | void)[] = [];

export async function stopTls(): Promise<void> {
  for (const stop of stoppers.splice(0).reverse()) await stop();
}

export async function tlsPeer(options: TlsPeerOptions): Promise<TlsPeer> {
  const peer = await TlsPeer.start(options);
  stoppers.push(() => peer.close());
  return peer;
}

export interface TlsRig extends Rig {
  /** The driver's AT trace so far. */
  readonly trace: string[];
  /** Only the commands the driver sent (`AT+...`), without the `> `. */
  sent(): string[];
}

/**
 * An emulated module whose store holds `caCerts` / `clientCerts`, joined; `peer.lab` and
 * `other.lab` both name 127.0.0.1 in its world.
 */
export async function tlsRig(
  store: { caCerts?: readonly string[]; clientCerts?: readonly Pem[] },
  carrier: Carrier = 'pair',
  profile?: ProfileId,
): Promise<TlsRig> {
  const made = tlsWorld(store);
  stoppers.push(() => made.dispose());
  const world: WorldConfig = { ...made.world, hosts: { ...made.world.hosts, 'other.lab': '127.0.0.1' } };
  const trace: string[] = [];
  const rig = await startRig(carrier, profile, true, { world, trace: (line) => trace.push(line) });
  return {
    ...rig,
    trace,
    sent: () => trace.filter((l) => l.startsWith('> AT')).map((l) => l.slice(2)),
  };
}

export async function errOf(p: Promise<unknown>): Promise<OSError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OSError) return err;
    throw err;
  }
  throw new Error('expected an OSError');
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Sends `payload` and reads as many bytes back at the same time (an echo peer). */
export async function echoThrough(sock: Socket, payload: Uint8Array): Promise<Buffer> {
  const back: Buffer[] = [];
  let got = 0;
  const reading = (async () => {
    while (got < payload.length) {
      const chunk = await sock.recv(16384);
      if (chunk.length === 0) throw new Error(`EOF after ${got} of ${payload.length} bytes`);
      back.push(Buffer.from(chunk));
      got += chunk.length;
    }
  })();
  await sock.sendall(payload);
  await reading;
  return Buffer.concat(back);
}

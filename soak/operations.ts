/**
 * The operations a soak (and the resilience tests) run through a driver: sockets opened, bytes
 * moved and checked, sockets closed. Each one returns an Outcome (outcome.ts) instead of throwing,
 * and closes what it opened whatever happens.
 *
 *   echo      TCP to the echo peer: N random bytes written while they are read back
 *   download  TCP from the source peer: N seeded bytes to EOF, checked against the same stream
 *   upload    TCP to the sink peer: N random bytes, the peer answers with the sha256 it computed
 *   parallel  two or three echoes at once on separate links
 *   udp       datagrams to the UDP echo peer, each answered with itself
 *   resolve   getaddrinfo() of a name from the world's hosts table
 *   churn     several sockets opened and closed without data
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SeededRandom } from '../emulator/faults/prng.js';
import type { Coprocessor } from '../src/open.js';
import type { Socket } from '../src/usocket/socket.js';
import type { Outcome, Phase } from './outcome.js';
import { classifyError, compareStream } from './outcome.js';
import type { SoakPeers } from './peers.js';
import { seededBytes, sourceRequest } from './peers.js';

export interface OperationContext {
  readonly copro: Coprocessor;
  readonly peers: SoakPeers;
  readonly random: SeededRandom;
  /** Socket timeout (settimeout) for every socket, seconds. */
  readonly timeoutSec: number;
  /** Largest TCP transfer. */
  readonly maxBytes: number;
  /** Milliseconds on the soak's clock (calls are timed on it). */
  readonly now: () => number;
}

export type OperationName = 'echo' | 'download' | 'upload' | 'parallel' | 'udp' | 'resolve' | 'churn';

export const OPERATIONS: readonly OperationName[] = ['echo', 'download', 'upload', 'parallel', 'udp', 'resolve', 'churn'];

/** Thrown inside an operation to say which phase failed. */
class PhaseError {
  constructor(
    readonly phase: Phase,
    readonly error: unknown,
    readonly verified = 0,
    /** How long the failing call took. */
    readonly callMs?: number,
  ) {}
}

async function phase<T>(context: OperationContext, name: Phase, run: () => Promise<T>, verified = 0): Promise<T> {
  const started = context.now();
  try {
    return await run();
  } catch (error) {
    throw new PhaseError(name, error, verified, context.now() - started);
  }
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function connectTcp(context: OperationContext, port: number): Promise<Socket> {
  const { usocket } = context.copro;
  const socket = usocket.socket();
  socket.settimeout(context.timeoutSec);
  try {
    await phase(context, 'connect', () => socket.connect(['127.0.0.1', port]));
  } catch (error) {
    await socket.close().catch(() => undefined);
    throw error;
  }
  return socket;
}

/** Reads until `want` bytes or EOF; an error carries how many correct bytes had arrived. */
async function readUpTo(context: OperationContext, socket: Socket, want: Uint8Array): Promise<{ got: Uint8Array; ended: boolean }> {
  const parts: Uint8Array[] = [];
  let got = 0;
  for (;;) {
    if (got >= want.length) return { got: Buffer.concat(parts), ended: false };
    let chunk: Uint8Array;
    const started = context.now();
    try {
      chunk = await socket.recv(Math.min(8192, want.length - got));
    } catch (error) {
      const sofar = Buffer.concat(parts);
      const prefix = compareStream('read', sofar, want.subarray(0, sofar.length), false);
      // Wrong bytes first and an error later is still wrong bytes delivered.
      if (prefix.kind === 'silent') return { got: sofar, ended: false };
      throw new PhaseError('transfer', error, got, context.now() - started);
    }
    if (chunk.length === 0) return { got: Buffer.concat(parts), ended: true };
    parts.push(Buffer.from(chunk));
    got += chunk.length;
  }
}

function size(context: OperationContext, min = 1): number {
  // Mostly small, sometimes up to the maximum: both shapes find different bugs.
  const r = context.random.next();
  const max = r < 0.6 ? Math.min(2048, context.maxBytes) : context.maxBytes;
  return context.random.int(min, Math.max(min, max));
}

async function echoOn(context: OperationContext, name: string): Promise<Outcome> {
  const data = randomBytes(size(context));
  const socket = await connectTcp(context, context.peers.echo);
  try {
    const writing = phase(context, 'transfer', () => socket.write(data));
    // The writer's failure shows up in the reader too (the link is failed); keep it from being unhandled.
    writing.catch(() => undefined);
    const { got, ended } = await readUpTo(context, socket, data);
    await writing;
    return compareStream(name, got, data, ended);
  } finally {
    await phase(context, 'close', () => socket.close());
  }
}

async function download(context: OperationContext): Promise<Outcome> {
  const length = size(context);
  const seed = context.random.nextUint32();
  const want = seededBytes(length, seed);
  const socket = await connectTcp(context, context.peers.source);
  try {
    await phase(context, 'transfer', () => socket.write(sourceRequest(length, seed)));
    const { got, ended } = await readUpTo(context, socket, want);
    if (!ended && got.length === want.length) {
      // Nothing may follow the stream: the source ends it.
      const extra = await phase(context, 'transfer', () => socket.recv(16), got.length);
      if (extra.length > 0) return { kind: 'silent', op: 'download', verified: 0, detail: `${extra.length} bytes after the end of the stream` };
    }
    return compareStream('download', got, want, ended);
  } finally {
    await phase(context, 'close', () => socket.close());
  }
}

async function upload(context: OperationContext): Promise<Outcome> {
  const data = randomBytes(size(context));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(data.length, 0);
  const socket = await connectTcp(context, context.peers.sink);
  try {
    await phase(context, 'transfer', () => socket.write(Buffer.concat([header, data])));
    const { got, ended } = await readUpTo(context, socket, Buffer.alloc(32));
    if (got.length < 32) return { kind: 'cut', op: 'upload', verified: 0, detail: `the sink's answer ended after ${got.length} bytes${ended ? '' : ' (no EOF)'}` };
    if (Buffer.from(got).toString('hex') !== sha256(data)) {
      return { kind: 'silent', op: 'upload', verified: 0, detail: `the sink got other bytes than the ${data.length} sent (sha256 differs)` };
    }
    return { kind: 'ok', op: 'upload', verified: data.length };
  } finally {
    await phase(context, 'close', () => socket.close());
  }
}

async function parallel(context: OperationContext): Promise<Outcome> {
  const n = context.random.int(2, 3);
  const results = await Promise.all(Array.from({ length: n }, () => run(context, 'echo').then((o) => o)));
  // The worst one speaks for the group; verified bytes add up.
  const order: Outcome['kind'][] = ['silent', 'crash', 'wrong-errno', 'hang', 'detected', 'cut', 'ok'];
  results.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const verified = results.reduce((sum, o) => sum + o.verified, 0);
  return { ...results[0], op: 'parallel', verified };
}

async function udp(context: OperationContext): Promise<Outcome> {
  const { usocket } = context.copro;
  const socket = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
  socket.settimeout(context.timeoutSec);
  try {
    await phase(context, 'connect', () => socket.connect(['127.0.0.1', context.peers.udp]));
    const sent = new Set<string>();
    let verified = 0;
    for (let i = context.random.int(1, 4); i > 0; i--) {
      const datagram = randomBytes(context.random.int(1, 1400));
      sent.add(datagram.toString('hex'));
      await phase(context, 'transfer', () => socket.send(datagram), verified);
      // A late echo of an earlier datagram (after a timeout) is not wrong; anything else is.
      for (;;) {
        const back = Buffer.from(await phase(context, 'transfer', () => socket.recv(2048), verified));
        if (back.equals(datagram)) break;
        if (!sent.has(back.toString('hex'))) return { kind: 'silent', op: 'udp', verified, detail: `a ${back.length}-byte datagram nobody sent` };
      }
      verified += datagram.length;
    }
    return { kind: 'ok', op: 'udp', verified };
  } finally {
    await phase(context, 'close', () => socket.close());
  }
}

async function resolve(context: OperationContext): Promise<Outcome> {
  const info = await phase(context, 'resolve', () => context.copro.usocket.getaddrinfo('copro.local', context.peers.echo));
  const address = info[0]?.[4];
  if (!address || address[0] !== '127.0.0.1') return { kind: 'silent', op: 'resolve', verified: 0, detail: `copro.local resolved to ${JSON.stringify(address)}` };
  return { kind: 'ok', op: 'resolve', verified: 0 };
}

async function churn(context: OperationContext): Promise<Outcome> {
  const sockets: Socket[] = [];
  try {
    for (let i = context.random.int(1, 4); i > 0; i--) sockets.push(await connectTcp(context, context.peers.echo));
    return { kind: 'ok', op: 'churn', verified: 0 };
  } finally {
    for (const socket of sockets.reverse()) await phase(context, 'close', () => socket.close());
  }
}

const BODIES: Readonly<Record<OperationName, (context: OperationContext) => Promise<Outcome>>> = {
  echo: (context) => echoOn(context, 'echo'),
  download,
  upload,
  parallel,
  udp,
  resolve,
  churn,
};

/** Runs one operation; never throws. */
export async function run(context: OperationContext, name: OperationName): Promise<Outcome> {
  const started = context.now();
  let outcome: Outcome;
  try {
    outcome = await BODIES[name](context);
  } catch (error) {
    outcome = error instanceof PhaseError ? classifyError(name, error.phase, error.error, error.verified, error.callMs) : classifyError(name, 'transfer', error);
  }
  return { ...outcome, ms: context.now() - started };
}

/**
 * Shared by the node-net tests: the back ends every suite runs over (the emulator through a real
 * PTY, speaking ESP-AT or nina-fw frames), and small bounded waits on Node event emitters.
 */
import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { startRig } from '../driver/emulator-harness.js';
import type { Carrier, Protocol, Rig, RigOptions } from '../driver/emulator-harness.js';
import { withTimeout } from '../helpers/deadline.js';

/** Every suite runs over both protocols, through a real PTY opened with serialport. */
export const BACKENDS: readonly { readonly protocol: Protocol }[] = [{ protocol: 'at' }, { protocol: 'nina' }];

export function startNetRig(protocol: Protocol, options: Omit<RigOptions, 'protocol'> = {}, carrier: Carrier = 'pty'): Promise<Rig> {
  return startRig(carrier, undefined, true, { ...options, protocol });
}

export type NodeStyleError = Error & { code?: string; errno?: number; syscall?: string; cause?: unknown };

/** The next `event` of `emitter` (its arguments), failing after `ms`. */
export function next<T extends unknown[] = unknown[]>(emitter: EventEmitter, event: string, ms = 10_000): Promise<T> {
  return withTimeout(new Promise<T>((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args as T))), ms, `'${event}'`);
}

export async function errorOf(emitter: EventEmitter, ms = 10_000): Promise<NodeStyleError> {
  const [err] = await next<[NodeStyleError]>(emitter, 'error', ms);
  return err;
}

/** Everything `stream` delivers until it ends. */
export function readToEnd(stream: Readable, ms = 30_000): Promise<Buffer> {
  const parts: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => parts.push(chunk));
  return withTimeout(
    new Promise<Buffer>((resolve, reject) => {
      stream.once('end', () => resolve(Buffer.concat(parts)));
      stream.once('error', reject);
    }),
    ms,
    'the end of the stream',
  );
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Events of `emitter` named in `names`, in the order they fire. */
export function recordEvents(emitter: EventEmitter, names: readonly string[]): string[] {
  const seen: string[] = [];
  for (const name of names) emitter.on(name, () => seen.push(name));
  return seen;
}

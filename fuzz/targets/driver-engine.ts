import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { PROFILES } from '../../firmware-protocol/at/profiles.js';
import type { SeededRandom } from '../../emulator/faults/prng.js';
import { AtClient } from '../../src/at/at-client.js';
import type { AtReply } from '../../src/at/at-client.js';
import { OSError } from '../../src/errors.js';
import type { HostPort } from '../../src/host-port/types.js';
import { describeInput, type FuzzTarget, type TargetStats } from '../campaign.js';
import { mutate, noise } from '../at-corpus.js';
import { moduleOutput } from './host-parser.js';

/**
 * The driver's AT engine (AtClient: matching results to commands, busy handling, the probe, the
 * drain after a timeout, restarts seen by `ready` or echo) with commands in flight while module
 * output — well formed, damaged, or noise — arrives in random pieces. Nothing may escape, every
 * command must settle with a reply or an OSError in bounded time, and after well-formed output a
 * fresh command must get its own answer (answers line up again).
 *
 * The module on the other side is a stub: it answers the engine's probe (`AT+UART_CUR?`) and the
 * final check command correctly; everything else it "says" is the fuzz input.
 */

/** A command settling later than this is a hang (its deadline is at most 60 ms; a drain up to 6 s). */
const SETTLE_BOUND_MS = 8000;

class StubPort implements HostPort {
  readonly path = 'fuzz:';
  private listener: ((bytes: Uint8Array) => void) | null = null;
  private input = '';

  emit(bytes: Uint8Array): void {
    this.listener?.(bytes);
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.input = (this.input + Buffer.from(bytes).toString('latin1')).slice(-4096);
    for (let end = this.input.indexOf('\r\n'); end >= 0; end = this.input.indexOf('\r\n')) {
      const line = this.input.slice(0, end);
      this.input = this.input.slice(end + 2);
      if (line === 'AT+UART_CUR?') setImmediate(() => this.emit(Buffer.from('+UART_CUR:115200,8,1,0,0\r\n\r\nOK\r\n')));
      if (line === 'AT+FUZZCHECK') setImmediate(() => this.emit(Buffer.from('+FUZZCHECK:1\r\n\r\nOK\r\n')));
    }
  }

  onData(listener: (bytes: Uint8Array) => void): void {
    this.listener = listener;
  }

  onClose(): void {}

  async close(): Promise<void> {
    this.listener = null;
  }
}

const COMMANDS = ['AT', 'AT+CIPRECVLEN?', 'AT+CIPRECVDATA=0,2048', 'AT+CIPSTART=1,"TCP","127.0.0.1",7', 'AT+CIPCLOSE=2', 'AT+CWJAP="a","b"'];

function request(random: SeededRandom): { line: Uint8Array; timeoutMs: number; payload?: Uint8Array } {
  const timeoutMs = random.int(5, 60);
  if (random.next() < 0.3) {
    const payload = Buffer.alloc(random.int(1, 64), 0x61);
    return { line: Buffer.from(`AT+CIPSEND=0,${payload.length}\r\n`), timeoutMs, payload };
  }
  return { line: Buffer.from(`${COMMANDS[random.int(0, COMMANDS.length - 1)]}\r\n`), timeoutMs };
}

const settleWithin = <T>(promise: Promise<T>, ms: number): Promise<T | 'hang'> =>
  Promise.race([promise, new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), ms).unref())]);

async function runOne(random: SeededRandom, input: Uint8Array, wellFormed: boolean): Promise<string | null> {
  const profiles = Object.values(PROFILES);
  const port = new StubPort();
  const client = new AtClient(
    port,
    new HostResponseParser(profiles[random.int(0, profiles.length - 1)]),
    { onUrc: () => undefined, onIpd: () => undefined, onReset: () => undefined, onPortClosed: () => undefined },
    { busyRetryMs: 5 },
  );
  const runs: Promise<AtReply | Error>[] = [];
  for (let i = random.int(1, 3); i > 0; i--) runs.push(client.run(request(random)).catch((err: unknown) => err as Error));
  for (let offset = 0; offset < input.length; ) {
    const size = random.int(1, 300);
    port.emit(input.subarray(offset, offset + size));
    offset += size;
    if (random.next() < 0.3) await new Promise((resolve) => setImmediate(resolve));
  }
  try {
    for (const run of runs) {
      const outcome = await settleWithin(run, SETTLE_BOUND_MS);
      if (outcome === 'hang') return `a command did not settle within ${SETTLE_BOUND_MS} ms`;
      if (outcome instanceof Error && !(outcome instanceof OSError)) return `a command failed with ${outcome.name}: ${outcome.message}`;
    }
    if (!wellFormed) return null;
    // Well-formed output (its pieces may still be read with the other profile's or remote-info
    // grammar, as on a real line after a reset): within two commands answers must line up again —
    // the first may meet the leftovers, time out and make the engine drain; the second is clean.
    port.emit(Buffer.from('\r\n'));
    let last = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      const check = await settleWithin(
        client.run({ line: Buffer.from('AT+FUZZCHECK\r\n'), timeoutMs: 500 }).catch((err: unknown) => err as Error),
        SETTLE_BOUND_MS,
      );
      if (check === 'hang') return 'the check command did not settle';
      if (!(check instanceof Error) && check.result === 'OK' && check.infos.some((info) => info.name === 'FUZZCHECK')) return null;
      last = check instanceof Error ? check.message : `${check.result} ${JSON.stringify(check.infos)}`;
    }
    return `two check commands in a row did not get their own answer (last: ${last})`;
  } finally {
    client.shutdown(new Error('done'));
  }
}

export const driverEngineTarget: FuzzTarget = {
  name: 'driver-engine',
  description: "the driver's AtClient with commands in flight, on module output, mutated, and noise",
  weight: 1,
  async run(context): Promise<TargetStats> {
    const profiles = Object.values(PROFILES);
    let inputs = 0;
    let bytes = 0;
    while (context.more(inputs)) {
      const good = moduleOutput(context.random, profiles[context.random.int(0, profiles.length - 1)]);
      const roll = context.random.next();
      const wellFormed = roll < 0.4;
      const input = wellFormed ? good : roll < 0.9 ? Buffer.from(mutate(good, context.random)) : Buffer.from(noise(context.random, context.random.int(1, 2000)));
      bytes += input.length;
      try {
        const problem = await runOne(context.random, input, wellFormed);
        if (problem) context.found({ kind: 'invariant', detail: problem, input: inputs, sample: describeInput(input) });
      } catch (error) {
        context.found({ kind: 'exception', detail: (error as Error).message, input: inputs, sample: describeInput(input) });
      }
      inputs++;
    }
    return { inputs, bytes };
  },
};

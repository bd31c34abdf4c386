/**
 * Issue 5, driver resilience: for each fault kind, a driver session against the in-process
 * emulator with that fault armed (fixed seed): sockets opened and closed, data moved and checked
 * (sha256 / byte compare, both directions), then the faults cleared and a fresh socket must work.
 * Every operation must end one of three ways: completed with every byte right; an OSError whose
 * errno fits what was being done, raised within the socket timeout; or a stream cut short by the
 * module's `CLOSED` (a correct prefix: ESP-AT reports a reset peer like a closing one). No hang, no
 * crash, no unhandled rejection (vitest fails the file on one).
 *
 * Serial byte faults (drop, corrupt, dup): ESP-AT has no checksum, so a payload byte changed on
 * the line cannot be seen by any host — there only "no hang, no crash, the session works
 * afterwards" is asserted, and wrong bytes are allowed only while line noise hit the module.
 *
 * Everything runs on one ManualClock (test/helpers/fake-time.ts): socket timeouts, stalls and
 * command deadlines take fake time, and "within the socket timeout" is measured on it.
 *
 * RESILIENCE_SEED=N runs the same cases under another seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../emulator/faults/fault-spec.js';
import type { OperationName } from '../../soak/operations.js';
import type { SoakPeers } from '../../soak/peers.js';
import { startPeers } from '../../soak/peers.js';
import { SoakModule } from '../../soak/soak-module.js';
import { onFakeTime } from '../helpers/fake-time.js';
import { ManualClock } from '../helpers/manual-clock.js';

const TIMEOUT_SEC = 2;
/** A failure may come this much after the socket timeout on a loaded machine. */
const SLACK_MS = 1500;

interface Case {
  readonly kind: FaultKind;
  readonly plan: string[];
  readonly operations?: OperationName[];
  /** Serial byte faults: payload corruption is the documented limit. */
  readonly noisy?: boolean;
}

const CASES: Case[] = [
  { kind: 'reset', plan: ['reset@#25'] },
  { kind: 'busy-p', plan: ['busy-p@0.08'] },
  { kind: 'busy-p', plan: ['busy-p@0.15:after-ok'] },
  { kind: 'busy-s', plan: ['busy-s@0.15:after-ok', 'split@0.3:pieces=3'] },
  { kind: 'wifi-drop', plan: ['wifi-drop@#20'] },
  { kind: 'tcp-reset', plan: ['tcp-reset@#6'] },
  { kind: 'dns-fail', plan: ['dns-fail@#2:after=30ms'], operations: ['resolve', 'echo', 'resolve', 'download'] },
  { kind: 'delay', plan: ['delay@0.3:by=1ms..60ms'] },
  { kind: 'stall', plan: ['stall@0.03:for=400ms'] },
  { kind: 'split', plan: ['split@0.6:pieces=8,gap=1ms'] },
  { kind: 'drop', plan: ['drop@1/6000'], noisy: true },
  { kind: 'corrupt', plan: ['corrupt@1/6000'], noisy: true },
  { kind: 'dup', plan: ['dup@1/6000'], noisy: true },
];

let peers: SoakPeers;
beforeAll(async () => {
  peers = await startPeers();
});
afterAll(async () => {
  await peers.close();
});

describe('the driver under each fault (in-process emulator, seed 11)', () => {
  it.each(CASES)('$kind: $plan', async ({ kind, plan, operations, noisy }) => {
    // The module, its faults, the driver and the soak's bounds on one fake clock.
    const clock = new ManualClock();
    const module = await onFakeTime(clock, SoakModule.start(
      {
        name: kind,
        seed: Number(process.env.RESILIENCE_SEED ?? 11),
        plan,
        timeoutSec: TIMEOUT_SEC,
        maxBytes: 12 * 1024,
        opsPerCycle: 7,
        hangMs: 20_000,
        recoverMs: 15_000,
        maxCommandMs: 3000,
        clock,
        ...(operations ? { operations } : {}),
      },
      peers,
    ), 'the module');
    try {
      await onFakeTime(clock, module.runWhile((done) => done < 14), 'the session', { maxFakeMs: 10 * 60_000 });
    } finally {
      await onFakeTime(clock, module.close(), 'close');
    }
    const record = module.record;
    const describe = (o: (typeof record.outcomes)[number]): string => `${o.op} ${o.kind} ${o.errno ?? ''} ${o.detail ?? ''}`;
    // The fault really fired, and the session still did useful work.
    expect(record.injected[kind] ?? 0).toBeGreaterThan(0);
    expect(record.outcomes.filter((o) => o.kind === 'ok').length).toBeGreaterThan(0);
    // No hang, no module that never came back: after each cycle a fresh socket worked.
    expect(record.problems).toEqual([]);
    expect(record.recoveries).toBe(record.cycles);
    for (const outcome of record.outcomes) {
      const allowed = noisy && outcome.noise ? ['ok', 'detected', 'cut', 'silent'] : ['ok', 'detected', 'cut'];
      expect(allowed, describe(outcome)).toContain(outcome.kind);
      // Calls under the socket timeout (connect, send, recv): getaddrinfo() and close() have none.
      const timed = /^(connect|transfer):/.test(outcome.detail ?? '');
      if (outcome.kind === 'detected' && timed && outcome.callMs !== undefined) {
        expect(outcome.callMs, describe(outcome)).toBeLessThan(TIMEOUT_SEC * 1000 + SLACK_MS);
      }
    }
  }, 90_000);
});

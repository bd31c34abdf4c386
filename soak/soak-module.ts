/**
 * One virtual module under soak: an emulated ESP-AT module on the in-process pair with a seeded
 * fault injector, the host driver opened on it, and a loop of cycles:
 *
 *   arm the fault plan → run operations (operations.ts), each bounded in time → clear the faults →
 *   recovery check: a fresh socket must work again within `recoverMs` (the engine resyncs by itself)
 *
 * Every outcome is recorded with whether line noise (a serial byte fault) hit the module while it
 * ran, so a wrong byte can be told apart: with noise it is the documented limit of an unchecked
 * serial line, without noise it is a silent corruption — a driver bug.
 */
import type { FaultInjector } from '../emulator/faults/injector.js';
import type { FaultKind } from '../emulator/faults/fault-spec.js';
import { SeededRandom, deriveSeed } from '../emulator/faults/prng.js';
import type { ProfileId } from '../firmware-protocol/at/profile.js';
import type { TraceSink } from '../src/at/trace.js';
import type { Coprocessor } from '../src/open.js';
import { LAB_AP as AP, openDriver, startFaultyModule } from './driver.js';
import { NoiseWatch } from './noise-watch.js';
import { keepAliveClock } from '../runtime/clock.js';
import type { Clock, ClockTimer } from '../runtime/clock.js';
import { OPERATIONS, run } from './operations.js';
import type { OperationContext, OperationName } from './operations.js';
import type { Outcome } from './outcome.js';
import { classifyError } from './outcome.js';
import type { SoakPeers } from './peers.js';

export interface SoakModuleOptions {
  readonly name: string;
  readonly seed: number;
  /** Faults armed during each cycle (`KIND[@TRIGGER][:PARAMS]`), or a seeded choice per cycle. */
  readonly plan: readonly string[] | ((random: SeededRandom) => string[]);
  readonly profile?: ProfileId;
  /** settimeout() of every socket, seconds. */
  readonly timeoutSec: number;
  /** Largest TCP transfer, bytes. */
  readonly maxBytes: number;
  readonly opsPerCycle: number;
  /** An operation that has not settled after this long is a hang. */
  readonly hangMs: number;
  /** After the faults are cleared, a fresh socket must work within this long. */
  readonly recoverMs: number;
  /** Operations to pick from (default: all). */
  readonly operations?: readonly OperationName[];
  readonly driverTrace?: TraceSink;
  /** The driver's per-command deadline bound (driver.ts; default 8 s). */
  readonly maxCommandMs?: number;
  /** The time of the module, its faults, the driver and the soak's own bounds (default real time). */
  readonly clock?: Clock;
}

/** What a module's run produced (the soak adds them up). */
export interface ModuleRecord {
  readonly outcomes: Outcome[];
  /** Problems beyond single outcomes: a recovery that never came, a join that kept failing. */
  readonly problems: string[];
  /** The plan of each cycle, in order (a finding names its cycle's plan). */
  readonly plans: string[];
  readonly injected: Partial<Record<FaultKind, number>>;
  cycles: number;
  recoveries: number;
  /** Longest time from clearing the faults to a working fresh socket, ms. */
  slowestRecoveryMs: number;
  joins: number;
}

/** Resolves with the promise's value, or with `onTimeout()` when it takes longer than `ms` on `clock`. */
async function bounded<T>(clock: Clock, promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: ClockTimer | undefined;
  const late = new Promise<T>((resolve) => {
    timer = clock.setTimeout(() => resolve(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    if (timer) clock.clearTimeout(timer);
  }
}

export class SoakModule {
  readonly record: ModuleRecord = { outcomes: [], problems: [], plans: [], injected: {}, cycles: 0, recoveries: 0, slowestRecoveryMs: 0, joins: 0 };
  private readonly random: SeededRandom;
  /** The plan's own stream: which faults a cycle gets does not depend on what the operations drew. */
  private readonly planRandom: SeededRandom;
  private stopped = false;
  private readonly clock: Clock;

  private constructor(
    readonly options: SoakModuleOptions,
    readonly copro: Coprocessor,
    readonly faults: FaultInjector,
    private readonly noise: NoiseWatch,
    private readonly peers: SoakPeers,
  ) {
    this.clock = options.clock ?? keepAliveClock;
    this.random = new SeededRandom(options.seed);
    this.planRandom = new SeededRandom(deriveSeed(options.seed, 'plan'));
    faults.onInjected((kind, _detail, count) => {
      this.record.injected[kind] = (this.record.injected[kind] ?? 0) + count;
    });
  }

  /** Starts the module with its faults disarmed, opens the driver on it and joins the AP. */
  static async start(options: SoakModuleOptions, peers: SoakPeers): Promise<SoakModule> {
    const noise = new NoiseWatch();
    const { port, faults } = await startFaultyModule(options.seed, options.profile, noise, options.clock);
    noise.watch(faults);
    const copro = await openDriver(port, { trace: options.driverTrace, maxCommandMs: options.maxCommandMs, ...(options.clock ? { clock: options.clock } : {}) });
    const module = new SoakModule(options, copro, faults, noise, peers);
    await copro.wlan.connect(AP.ssid, AP.key);
    return module;
  }

  /** Runs cycles while `more(operationsDone)` says so. */
  async runWhile(more: (done: number) => boolean): Promise<void> {
    while (!this.stopped && more(this.record.outcomes.length)) {
      this.record.cycles += 1;
      const plan = typeof this.options.plan === 'function' ? this.options.plan(this.planRandom) : this.options.plan;
      this.record.plans.push(plan.join(' '));
      for (const spec of plan) this.faults.apply(spec);
      for (let i = 0; i < this.options.opsPerCycle && !this.stopped && more(this.record.outcomes.length); i++) {
        await this.ensureJoined();
        const name = this.pick();
        await this.runOne(name);
      }
      this.faults.clear();
      if (!this.stopped) await this.recover();
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.faults.clear();
    await this.copro.close();
  }

  private pick(): OperationName {
    const names = this.options.operations ?? OPERATIONS;
    return names[this.random.int(0, names.length - 1)];
  }

  private context(): OperationContext {
    const clock = this.clock;
    return { copro: this.copro, peers: this.peers, random: this.random, timeoutSec: this.options.timeoutSec, maxBytes: this.options.maxBytes, now: () => clock.now() };
  }

  private async runOne(name: OperationName): Promise<Outcome> {
    const noiseBefore = this.noise.count;
    let hung = false;
    const outcome = await bounded(this.clock, run(this.context(), name), this.options.hangMs, () => {
      hung = true;
      return { kind: 'hang', op: name, verified: 0, detail: `not settled after ${this.options.hangMs} ms` } satisfies Outcome;
    });
    const recorded = { ...outcome, noise: this.noise.count !== noiseBefore, cycle: this.record.cycles };
    this.record.outcomes.push(recorded);
    if (hung) {
      // The operation still holds sockets nobody will close: this module cannot be trusted any more.
      this.record.problems.push(`${this.options.name}: ${name} hung (${this.options.hangMs} ms); module stopped`);
      this.stopped = true;
    }
    return recorded;
  }

  /** After a reset or a WiFi loss the station must join again, as an application would. */
  private async ensureJoined(): Promise<void> {
    if (this.copro.wlan.isconnected()) return;
    this.record.joins += 1;
    const joining = this.copro.wlan.connect(AP.ssid, AP.key).then(
      () => null,
      (err: unknown) => classifyError('join', 'connect', err),
    );
    const failure = await bounded(this.clock, joining, this.options.hangMs, () => ({ kind: 'hang', op: 'join', verified: 0 }) satisfies Outcome);
    if (failure && failure.kind !== 'detected') this.record.outcomes.push(failure);
  }

  /**
   * Faults off: within recoverMs the module must give a working fresh socket (joining again if
   * the station lost its AP). Stale output of the faults (a held stall) may still arrive first.
   */
  private async recover(): Promise<void> {
    const started = this.clock.now();
    const deadline = started + this.options.recoverMs;
    let last = '';
    while (this.clock.now() < deadline) {
      await this.ensureJoined();
      const outcome = await bounded(this.clock, run(this.context(), 'echo'), this.options.hangMs, () => ({ kind: 'hang', op: 'echo', verified: 0 }) satisfies Outcome);
      if (outcome.kind === 'ok') {
        this.record.recoveries += 1;
        this.record.slowestRecoveryMs = Math.max(this.record.slowestRecoveryMs, this.clock.now() - started);
        return;
      }
      if (outcome.kind === 'silent' || outcome.kind === 'crash' || outcome.kind === 'wrong-errno') {
        this.record.outcomes.push({ ...outcome, op: 'recovery-echo', noise: false });
      }
      last = `${outcome.kind}${outcome.errno ? ` ${outcome.errno}` : ''}: ${outcome.detail ?? ''}`;
      await this.clock.sleep(100);
    }
    this.record.problems.push(`${this.options.name}: no working socket ${this.options.recoverMs} ms after the faults were cleared (last: ${last})`);
    this.stopped = true;
  }
}

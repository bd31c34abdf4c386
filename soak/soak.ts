/**
 * The soak: several virtual modules at once (one process, each on its own in-process pair), each
 * running cycles of operations under a seeded fault plan (soak-module.ts), all talking to one set
 * of loopback peers. It is a fuzz campaign target (fuzz/campaign.ts), so it gets the campaign's
 * seed derivation, time and count budget, and its capture of anything that escapes (an unhandled
 * rejection is a finding). The tally separates:
 *   - failures the application was told about (OSError with a fitting errno, a stream cut short
 *     by a `CLOSED`), expected under faults;
 *   - silent corruptions: wrong bytes without an error on a line without byte faults — must be 0;
 *   - wrong bytes on a noisy line (a byte fault hit the module's serial line while the operation
 *     ran): the documented limit of ESP-AT (no checksum), counted apart;
 *   - hangs, crashes (non-OSError), nonsense errnos, modules that never recovered — must be 0.
 */
import type { Clock } from '../runtime/clock.js';
import { deriveSeed } from '../emulator/faults/prng.js';
import type { FaultKind } from '../emulator/faults/fault-spec.js';
import type { ProfileId } from '../firmware-protocol/at/profile.js';
import type { FuzzContext, FuzzTarget, TargetStats } from '../fuzz/campaign.js';
import type { OperationName } from './operations.js';
import type { Outcome } from './outcome.js';
import { cyclePlan } from './plans.js';
import type { LineKind } from './plans.js';
import { startPeers } from './peers.js';
import { SoakModule } from './soak-module.js';
import { DEFAULT_PROFILE } from '../firmware-protocol/at/profiles.js';

export interface SoakConfig {
  /** Virtual modules running at once. */
  readonly modules: number;
  /** settimeout() of every socket, seconds. */
  readonly timeoutSec: number;
  /** Largest TCP transfer, bytes. */
  readonly maxBytes: number;
  readonly opsPerCycle: number;
  readonly hangMs: number;
  readonly recoverMs: number;
  /** Every module's line kind, round robin (default: clean, noisy). */
  readonly lines?: readonly LineKind[];
  /** Firmware profiles, paired with each line kind in turn (default: ESP-AT 2.x only). */
  readonly profiles?: readonly ProfileId[];
  readonly operations?: readonly OperationName[];
  /** The driver's per-command deadline bound (soak/driver.ts; default 8 s). */
  readonly maxCommandMs?: number;
  /** Every module's time (SoakModuleOptions.clock; default real time). */
  readonly clock?: Clock;
}

export const DEFAULT_SOAK: SoakConfig = {
  modules: 4,
  timeoutSec: 5,
  maxBytes: 48 * 1024,
  opsPerCycle: 12,
  hangMs: 90_000,
  recoverMs: 60_000,
};

export interface SoakTally {
  operations: number;
  ok: number;
  /** OSError with a fitting errno, by errno name. */
  detected: Record<string, number>;
  /** Streams cut short by a CLOSED (correct prefix). */
  cut: number;
  bytesVerified: number;
  /** Wrong bytes without an error on a clean line, or on a noisy line while no byte fault hit it. */
  silent: Outcome[];
  /** Wrong bytes while a serial byte fault hit the line: the documented limit. */
  noiseCorrupted: number;
  /** Operations during which a serial byte fault hit their module's line. */
  noiseHit: number;
  wrongErrno: Outcome[];
  crashes: Outcome[];
  hangs: Outcome[];
  /** Failures raised later than the socket timeout allows. */
  late: Outcome[];
  problems: string[];
  injected: Partial<Record<FaultKind, number>>;
  cycles: number;
  recoveries: number;
  slowestRecoveryMs: number;
  joins: number;
  byOperation: Record<string, { runs: number; ok: number }>;
  modules: { name: string; line: LineKind; profile: ProfileId; operations: number; plans: number }[];
}

export function emptyTally(): SoakTally {
  return {
    operations: 0,
    ok: 0,
    detected: {},
    cut: 0,
    bytesVerified: 0,
    silent: [],
    noiseCorrupted: 0,
    noiseHit: 0,
    wrongErrno: [],
    crashes: [],
    hangs: [],
    late: [],
    problems: [],
    injected: {},
    cycles: 0,
    recoveries: 0,
    slowestRecoveryMs: 0,
    joins: 0,
    byOperation: {},
    modules: [],
  };
}

/** Slack on top of the socket timeout for a failure to count as "within its timeout" (a loaded machine). */
export const LATE_SLACK_MS = 2000;

/** Adds one module's outcomes to the tally. */
export function addOutcome(tally: SoakTally, outcome: Outcome, timeoutSec: number, where: string): void {
  const tagged = { ...outcome, detail: `${where}: ${outcome.detail ?? ''}` };
  tally.operations += 1;
  const op = (tally.byOperation[outcome.op] ??= { runs: 0, ok: 0 });
  op.runs += 1;
  tally.bytesVerified += outcome.verified;
  if (outcome.noise) tally.noiseHit += 1;
  switch (outcome.kind) {
    case 'ok':
      tally.ok += 1;
      op.ok += 1;
      break;
    case 'detected':
      tally.detected[outcome.errno ?? '?'] = (tally.detected[outcome.errno ?? '?'] ?? 0) + 1;
      if (outcome.callMs !== undefined && outcome.callMs > timeoutSec * 1000 + LATE_SLACK_MS && outcome.errno !== undefined) tally.late.push(tagged);
      break;
    case 'cut':
      tally.cut += 1;
      break;
    case 'silent':
      if (outcome.noise) tally.noiseCorrupted += 1;
      else tally.silent.push(tagged);
      break;
    case 'wrong-errno':
      tally.wrongErrno.push(tagged);
      break;
    case 'crash':
      tally.crashes.push(tagged);
      break;
    case 'hang':
      tally.hangs.push(tagged);
      break;
  }
}

/** Findings the campaign reports (and the exit status counts). */
function report(context: FuzzContext, tally: SoakTally): void {
  const all = [
    ...tally.silent.map((o) => ['silent-corruption', o] as const),
    ...tally.crashes.map((o) => ['crash', o] as const),
    ...tally.wrongErrno.map((o) => ['wrong-errno', o] as const),
    ...tally.hangs.map((o) => ['hang', o] as const),
  ];
  for (const [kind, o] of all) context.found({ kind, detail: `${o.op}${o.errno ? ` ${o.errno}` : ''}: ${o.detail ?? ''}`, input: tally.operations });
  for (const problem of tally.problems) context.found({ kind: 'stuck', detail: problem, input: tally.operations });
}

/**
 * The soak as a campaign target. `sink` receives the full tally when the run ends (the campaign's
 * own report keeps only counts and findings).
 */
export function soakTarget(config: SoakConfig, sink: (tally: SoakTally) => void): FuzzTarget {
  return {
    name: 'soak',
    description: `${config.modules} virtual modules, links opening and closing, sha256-checked transfers, seeded faults`,
    weight: 1,
    async run(context): Promise<TargetStats> {
      const tally = emptyTally();
      const peers = await startPeers();
      const lines = config.lines ?? ['clean', 'noisy'];
      const profiles = config.profiles ?? [DEFAULT_PROFILE.id];
      const modules: SoakModule[] = [];
      let done = 0;
      const more = (): boolean => context.more(done);
      try {
        const started = await Promise.all(
          Array.from({ length: config.modules }, async (_, i) => {
            const line = lines[i % lines.length];
            // Every pairing of line kind and profile: m0 clean/first, m1 noisy/first, m2 clean/second…
            const profile = profiles[Math.floor(i / lines.length) % profiles.length];
            const name = `m${i}-${line}`;
            const module = await SoakModule.start(
              {
                name,
                seed: deriveSeed(context.seed, name),
                plan: (random) => cyclePlan(random, line),
                profile,
                timeoutSec: config.timeoutSec,
                maxBytes: config.maxBytes,
                opsPerCycle: config.opsPerCycle,
                hangMs: config.hangMs,
                recoverMs: config.recoverMs,
                operations: config.operations,
                maxCommandMs: config.maxCommandMs,
                ...(config.clock ? { clock: config.clock } : {}),
              },
              peers,
            );
            modules.push(module);
            return { module, line, profile, name };
          }),
        );
        await Promise.all(
          started.map(async ({ module, line, profile, name }) => {
            let seen = 0;
            const counting = (): boolean => {
              const now = module.record.outcomes.length;
              done += now - seen;
              seen = now;
              return more();
            };
            await module.runWhile(counting);
            counting();
            const record = module.record;
            for (const outcome of record.outcomes) {
              const plan = outcome.cycle ? record.plans[outcome.cycle - 1] : '';
              addOutcome(tally, outcome, config.timeoutSec, `${name} cycle ${outcome.cycle ?? '?'} [${plan}]`);
            }
            tally.problems.push(...record.problems);
            for (const [kind, n] of Object.entries(record.injected)) tally.injected[kind as FaultKind] = (tally.injected[kind as FaultKind] ?? 0) + (n ?? 0);
            tally.cycles += record.cycles;
            tally.recoveries += record.recoveries;
            tally.slowestRecoveryMs = Math.max(tally.slowestRecoveryMs, record.slowestRecoveryMs);
            tally.joins += record.joins;
            tally.modules.push({ name, line, profile, operations: record.outcomes.length, plans: record.plans.length });
          }),
        );
      } finally {
        for (const module of modules) await module.close().catch(() => undefined);
        await peers.close();
      }
      report(context, tally);
      sink(tally);
      const injected = Object.values(tally.injected).reduce((sum, n) => sum + (n ?? 0), 0);
      return {
        inputs: tally.operations,
        bytes: tally.bytesVerified,
        figures: { 'faults injected': injected, 'silent corruptions': tally.silent.length },
      };
    },
  };
}

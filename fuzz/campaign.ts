import { escapeBytes } from '../emulator/trace.js';
import { SeededRandom, deriveSeed } from '../emulator/faults/prng.js';

/**
 * A fuzz campaign: targets run one after another within a shared budget (time and input count),
 * each with its own random stream derived from the campaign seed, so `--seed N` replays a run.
 * Anything that escapes — a thrown error, an unhandled rejection, an uncaught exception — is a
 * finding of the target that was running. Soak runs (issue 5) reuse this: a soak is a target.
 */

export interface Finding {
  readonly target: string;
  /** Short class of the problem: 'exception', 'unhandled-rejection', 'unresponsive', 'session-failed', 'memory'... */
  readonly kind: string;
  readonly detail: string;
  /** Index of the input that showed it (replay: same seed, same index). */
  readonly input: number;
  /** The input's bytes, escaped and cut to a readable length. */
  readonly sample?: string;
}

export interface FuzzContext {
  readonly target: string;
  readonly seed: number;
  readonly random: SeededRandom;
  /** Whether the target should start another input (budget left). */
  more(inputsDone: number): boolean;
  /** Records a problem; the campaign goes on. */
  found(finding: Omit<Finding, 'target'>): void;
  /** A progress line (printed unless quiet). */
  log(text: string): void;
}

export interface TargetStats {
  readonly inputs: number;
  readonly bytes: number;
  /** Target-specific figures worth printing (sessions checked, answers seen...). */
  readonly figures?: Readonly<Record<string, number>>;
}

export interface FuzzTarget {
  readonly name: string;
  readonly description: string;
  /** Share of the campaign's time budget (weights are normalised). */
  readonly weight: number;
  run(context: FuzzContext): Promise<TargetStats>;
}

export interface CampaignOptions {
  readonly seed: number;
  /** Wall-clock budget for the whole campaign. */
  readonly seconds: number;
  /** Upper bound of inputs per target (whichever of time and count ends first). */
  readonly maxInputs: number;
  readonly targets: readonly FuzzTarget[];
  readonly log?: (text: string) => void;
}

export interface TargetReport extends TargetStats {
  readonly name: string;
  readonly seconds: number;
  readonly findings: readonly Finding[];
}

export interface CampaignReport {
  readonly seed: number;
  readonly seconds: number;
  readonly targets: readonly TargetReport[];
  readonly findings: readonly Finding[];
}

/** At most this many findings are kept per target (the first ones: the rest are usually the same). */
const KEEP_FINDINGS = 50;

export function describeInput(bytes: Uint8Array, max = 160): string {
  const text = escapeBytes(bytes.subarray(0, max));
  return bytes.length > max ? `${text}… (${bytes.length} bytes)` : text;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const totalWeight = options.targets.reduce((sum, target) => sum + target.weight, 0) || 1;
  const reports: TargetReport[] = [];
  for (const target of options.targets) {
    const budgetMs = (options.seconds * 1000 * target.weight) / totalWeight;
    reports.push(await runTarget(target, options, budgetMs, log));
  }
  return {
    seed: options.seed,
    seconds: (performance.now() - started) / 1000,
    targets: reports,
    findings: reports.flatMap((report) => report.findings),
  };
}

async function runTarget(target: FuzzTarget, options: CampaignOptions, budgetMs: number, log: (text: string) => void): Promise<TargetReport> {
  const findings: Finding[] = [];
  let dropped = 0;
  let current = 0;
  const found = (finding: Omit<Finding, 'target'>): void => {
    if (findings.length < KEEP_FINDINGS) findings.push({ target: target.name, ...finding });
    else dropped++;
  };
  // What escapes the target's own awaits lands here, attributed to the input being run.
  const onRejection = (reason: unknown): void => found({ kind: 'unhandled-rejection', detail: describeError(reason), input: current });
  const onException = (error: unknown): void => found({ kind: 'uncaught-exception', detail: describeError(error), input: current });
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  const seed = deriveSeed(options.seed, target.name);
  const started = performance.now();
  const deadline = started + budgetMs;
  log(`${target.name}: ${target.description} (seed ${seed}, ${(budgetMs / 1000).toFixed(0)} s)`);
  let stats: TargetStats = { inputs: 0, bytes: 0 };
  try {
    stats = await target.run({
      target: target.name,
      seed,
      random: new SeededRandom(seed),
      more: (done) => {
        current = done;
        return done < options.maxInputs && performance.now() < deadline;
      },
      found,
      log: (text) => log(`${target.name}: ${text}`),
    });
  } catch (error) {
    found({ kind: 'exception', detail: describeError(error), input: current });
  } finally {
    // Let late rejections of the last input surface while the handlers still listen.
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  }
  if (dropped > 0) findings.push({ target: target.name, kind: 'more', detail: `${dropped} more findings not kept`, input: current });
  return { name: target.name, ...stats, seconds: (performance.now() - started) / 1000, findings };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ');
  return String(error);
}

const formatBytes = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`);

export function formatReport(report: CampaignReport): string {
  const lines = [`fuzz: seed ${report.seed}, ${report.seconds.toFixed(1)} s`];
  for (const target of report.targets) {
    const figures = Object.entries(target.figures ?? {})
      .map(([name, value]) => `${value} ${name}`)
      .join(', ');
    lines.push(
      `  ${target.name.padEnd(16)} ${String(target.inputs).padStart(8)} inputs  ${formatBytes(target.bytes).padStart(9)}  ${target.seconds.toFixed(1).padStart(6)} s  ${target.findings.length} findings${figures ? `  (${figures})` : ''}`,
    );
  }
  const total = report.targets.reduce((sum, target) => sum + target.inputs, 0);
  lines.push(`  total ${total} inputs, ${report.findings.length} findings`);
  for (const finding of report.findings) {
    lines.push(`  FOUND ${finding.target} #${finding.input} ${finding.kind}: ${finding.detail}`);
    if (finding.sample) lines.push(`        input: ${finding.sample}`);
  }
  return lines.join('\n');
}

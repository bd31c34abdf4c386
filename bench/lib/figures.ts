/**
 * One measured figure and the ratio it is judged by (issue 6: every figure is printed with its
 * ratio). Baselines (raw PTY with no protocol) have no target: other figures are judged
 * against them.
 */
export interface Judgement {
  /** value ÷ reference; null for a baseline. */
  readonly ratio: number | null;
  /** What the ratio divides by, in words ("raw PTY ping-pong p50", "line rate 11520 B/s"). */
  readonly against: string;
  /** The target as text ("≥ 0.97", "≤ 1.5") and whether this run met it; absent for baselines. */
  readonly target?: string;
  readonly met?: boolean;
}

export interface Figure {
  /** Stable key for comparing runs across commits, e.g. `paced.921600.emu-to-host`. */
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  readonly judged: Judgement;
  /** How it was measured (sizes, iterations), when the label does not say. */
  readonly detail?: string;
}

export function baseline(against = 'baseline'): Judgement {
  return { ratio: null, against };
}

/** Judges `value / reference` against `≥ min` and/or `≤ max`. */
export function judge(value: number, reference: number, against: string, bounds: { min?: number; max?: number }): Judgement {
  const ratio = reference > 0 ? value / reference : Number.NaN;
  const parts: string[] = [];
  if (bounds.min !== undefined) parts.push(`≥ ${bounds.min}`);
  if (bounds.max !== undefined) parts.push(`≤ ${bounds.max}`);
  const met =
    Number.isFinite(ratio) &&
    (bounds.min === undefined || ratio >= bounds.min) &&
    (bounds.max === undefined || ratio <= bounds.max);
  return { ratio, against, target: parts.join(' and '), met };
}

/** Sorted-sample percentile (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

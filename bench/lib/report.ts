import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Figure } from './figures.js';

export interface Machine {
  readonly nproc: number;
  readonly cpu: string;
  readonly node: string;
  readonly platform: string;
}

export interface BenchReport {
  readonly command: string;
  readonly commit: string | null;
  readonly date: string;
  readonly machine: Machine;
  readonly figures: readonly Figure[];
}

export function describeMachine(): Machine {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function currentCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function formatValue(figure: Figure): string {
  const { value, unit } = figure;
  if (!Number.isFinite(value)) return `— ${unit}`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

function formatRatio(figure: Figure): string {
  const ratio = figure.judged.ratio;
  if (ratio === null) return 'baseline';
  return Number.isFinite(ratio) ? `${ratio.toFixed(3)}` : '—';
}

function verdict(figure: Figure): string {
  if (figure.judged.met === undefined) return '';
  return figure.judged.met ? 'met' : 'MISSED';
}

/** The table `npm run bench` prints (also pasted into docs/performance.md). */
export function formatTable(figures: readonly Figure[]): string {
  const header = ['figure', 'value', 'ratio', 'judged against', 'target', ''];
  const rows = figures.map((figure) => [
    figure.label,
    formatValue(figure),
    formatRatio(figure),
    figure.judged.against,
    figure.judged.target ?? '',
    verdict(figure),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export async function writeReport(file: string, report: BenchReport): Promise<void> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, or COPRO_BENCH_PROF_DIR for the bench's helper
 * processes): self time per function and per source file, heaviest first.
 *
 *   node dist/bench/profile-summary.js FILE.cpuprofile [--top 25]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

function where(url: string): string {
  if (url === '') return '(native)';
  const at = url.indexOf('/dist/');
  if (at >= 0) return url.slice(at + '/dist/'.length);
  if (url.startsWith('node:')) return url;
  const modules = url.indexOf('node_modules/');
  return modules >= 0 ? url.slice(modules + 'node_modules/'.length).split('/').slice(0, 2).join('/') : path.basename(url);
}

function summarise(file: string, top: number): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = profile.endTime - profile.startTime;
  const perFunction = new Map<string, number>();
  const perFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const name = `${frame.functionName || '(anonymous)'} ${where(frame.url)}:${frame.lineNumber + 1}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + us);
    const source = where(frame.url);
    perFile.set(source, (perFile.get(source) ?? 0) + us);
  }
  const rows = (map: Map<string, number>): string[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `  ${((us / totalUs) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  return [
    `${path.basename(file)}: ${(totalUs / 1e6).toFixed(2)} s profiled`,
    'self time by function:',
    ...rows(perFunction),
    'self time by file:',
    ...rows(perFile),
  ].join('\n');
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
if (args.length === 0) {
  process.stderr.write('usage: node dist/bench/profile-summary.js FILE.cpuprofile... [--top N]\n');
  process.exit(2);
}
for (const file of args) process.stdout.write(`${summarise(file, top)}\n\n`);

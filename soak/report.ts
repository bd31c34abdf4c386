/** The soak's printed report: what ran, what was injected, what was verified, what failed and how. */
import type { SoakTally } from './soak.js';

const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
const bytes = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`);

function counts(record: Readonly<Record<string, number | undefined>>): string {
  const entries = Object.entries(record).filter(([, n]) => (n ?? 0) > 0);
  return entries.length === 0 ? 'none' : entries.map(([name, n]) => `${name} ${n}`).join(', ');
}

export function formatSoak(tally: SoakTally, seconds: number, seed: number): string {
  const detected = Object.values(tally.detected).reduce((sum, n) => sum + n, 0);
  const injected = Object.values(tally.injected).reduce((sum, n) => sum + (n ?? 0), 0);
  const lines = [
    `soak: seed ${seed}, ${seconds.toFixed(1)} s, ${tally.modules.length} modules (${tally.modules.map((m) => `${m.name} ${m.profile}`).join(', ')})`,
    `  operations         ${tally.operations} in ${tally.cycles} cycles (${Object.entries(tally.byOperation)
      .map(([op, r]) => `${op} ${r.ok}/${r.runs}`)
      .join(', ')} ok/run)`,
    `  faults injected    ${injected}: ${counts(tally.injected)}`,
    `  bytes verified     ${bytes(tally.bytesVerified)} (sha256 or byte compare, both directions)`,
    `  completed          ${tally.ok}`,
    `  detected failures  ${detected + tally.cut}: OSError ${detected} (${counts(tally.detected)}), stream cut by CLOSED ${tally.cut}`,
    `  recoveries         ${tally.recoveries} of ${tally.cycles} cycles (fresh socket after the faults were cleared; slowest ${duration(tally.slowestRecoveryMs)}), station rejoins ${tally.joins}`,
    `  wrong bytes on a noisy line: ${tally.noiseCorrupted} of ${tally.noiseHit} operations a serial byte fault hit (ESP-AT has no checksum: the documented limit)`,
    `  SILENT CORRUPTIONS ${tally.silent.length}`,
    `  hangs ${tally.hangs.length}, crashes ${tally.crashes.length}, wrong errno ${tally.wrongErrno.length}, late failures ${tally.late.length}, stuck modules ${tally.problems.length}`,
  ];
  const show = (title: string, list: readonly { op: string; errno?: string; detail?: string; callMs?: number }[]): void => {
    for (const o of list.slice(0, 10)) lines.push(`  ${title} ${o.op}${o.errno ? ` ${o.errno}` : ''}${o.callMs ? ` after ${Math.round(o.callMs)} ms` : ''}: ${o.detail ?? ''}`);
    if (list.length > 10) lines.push(`  … ${list.length - 10} more`);
  };
  show('SILENT', tally.silent);
  show('HANG', tally.hangs);
  show('CRASH', tally.crashes);
  show('WRONG-ERRNO', tally.wrongErrno);
  show('LATE', tally.late);
  for (const problem of tally.problems) lines.push(`  STUCK ${problem}`);
  return lines.join('\n');
}

/** Whether the run passed: no silent corruption, hang, crash, nonsense errno or stuck module. */
export function soakPassed(tally: SoakTally): boolean {
  return tally.silent.length + tally.hangs.length + tally.crashes.length + tally.wrongErrno.length + tally.problems.length === 0;
}

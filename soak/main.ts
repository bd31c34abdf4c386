#!/usr/bin/env node
/**
 * `npm run soak [-- --minutes 10 | --seconds N] [--modules N] [--seed N] [--operations N] [--quiet]`:
 * several virtual ESP-AT modules driven by the host driver under seeded faults (soak.ts), then one
 * report. Exit status 1 when a silent corruption, hang, crash, nonsense errno, unrecovered module
 * or escaped error was seen. The same seed gives the same fault plans and operations (what the
 * faults hit still depends on timing).
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { ProfileId } from '../firmware-protocol/at/profile.js';
import { PROFILE_IDS } from '../firmware-protocol/at/profiles.js';
import { formatReport, runCampaign } from '../fuzz/campaign.js';
import { formatSoak, soakPassed } from './report.js';
import { DEFAULT_SOAK, soakTarget } from './soak.js';
import type { SoakTally } from './soak.js';

const USAGE =
  'usage: node dist/soak/main.js [--minutes 10 | --seconds N] [--modules 4] [--seed N] [--operations N] [--timeout 5] [--profiles ID,... (default: every profile)] [--quiet]';

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number\n${USAGE}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      seconds: { type: 'string' },
      modules: { type: 'string' },
      seed: { type: 'string' },
      operations: { type: 'string' },
      timeout: { type: 'string' },
      profiles: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const seconds = positive('seconds', values.seconds) ?? (positive('minutes', values.minutes) ?? 10) * 60;
  const modules = Math.trunc(positive('modules', values.modules) ?? DEFAULT_SOAK.modules);
  const maxInputs = positive('operations', values.operations) ?? Number.MAX_SAFE_INTEGER;
  const timeoutSec = positive('timeout', values.timeout) ?? DEFAULT_SOAK.timeoutSec;
  const profiles = (values.profiles ?? PROFILE_IDS.join(',')).split(',').map((name) => {
    if (!PROFILE_IDS.includes(name as ProfileId)) throw new Error(`unknown profile ${name} (${PROFILE_IDS.join(', ')})`);
    return name as ProfileId;
  });
  const seed = values.seed === undefined ? randomInt(0, 0xffffffff) : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error('--seed needs an integer 0..4294967295');
  const log = values.quiet ? undefined : (text: string) => process.stderr.write(`${text}\n`);
  log?.(`soak: seed ${seed}, ${seconds} s, ${modules} modules`);

  let tally: SoakTally | null = null;
  const target = soakTarget({ ...DEFAULT_SOAK, modules, timeoutSec, profiles }, (t) => (tally = t));
  const report = await runCampaign({ seed, seconds, maxInputs, targets: [target], log });
  const finished = tally as SoakTally | null;
  if (finished) process.stdout.write(`${formatSoak(finished, report.seconds, seed)}\n`);
  // Escaped errors (unhandled rejections) and the soak's own findings, as the campaign saw them.
  const escaped = report.findings.filter((f) => f.kind === 'unhandled-rejection' || f.kind === 'uncaught-exception' || f.kind === 'exception');
  if (escaped.length > 0 || !finished) process.stdout.write(`${formatReport(report)}\n`);
  const args = values.seconds ? `--seconds ${seconds}` : `--minutes ${seconds / 60}`;
  process.stdout.write(
    `replay: npm run soak -- --seed ${seed} ${args} --modules ${modules} --profiles ${profiles.join(',')}${values.operations ? ` --operations ${values.operations}` : ''}\n`,
  );
  return finished && soakPassed(finished) && escaped.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${(error as Error).message}\n`);
    process.exit(2);
  },
);

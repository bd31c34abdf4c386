#!/usr/bin/env node
/**
 * `npm run fuzz [-- --seconds N --inputs N --seed N --target NAME...]`: random and mutated AT
 * traffic into the emulator and into the codec's parsers for a while, then one report: how many
 * inputs each target ran and what was found. Exit status 1 when anything was found.
 * The same seed replays the same inputs (finding #k of a target is input k of its stream).
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { formatReport, runCampaign } from './campaign.js';
import { FUZZ_TARGETS } from './targets/index.js';

const USAGE = `usage: node dist/fuzz/main.js [--seconds 60] [--inputs N] [--seed N] [--target NAME]... [--quiet]
targets: ${FUZZ_TARGETS.map((target) => `${target.name} (${target.description})`).join('; ')}`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      inputs: { type: 'string' },
      seed: { type: 'string' },
      target: { type: 'string', multiple: true },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const names = values.target ?? FUZZ_TARGETS.map((target) => target.name);
  const targets = names.map((name) => {
    const target = FUZZ_TARGETS.find((candidate) => candidate.name === name);
    if (!target) throw new Error(`unknown target ${name}\n${USAGE}`);
    return target;
  });
  const seed = values.seed === undefined ? randomInt(0, 0xffffffff) : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error('--seed needs an integer 0..4294967295');
  const seconds = positive('seconds', values.seconds, 60);
  const maxInputs = positive('inputs', values.inputs, Number.MAX_SAFE_INTEGER);
  const log = values.quiet ? undefined : (text: string) => process.stderr.write(`${text}\n`);
  log?.(`fuzz: seed ${seed}, ${seconds} s, targets ${names.join(', ')}`);
  const report = await runCampaign({ seed, seconds, maxInputs, targets, log });
  process.stdout.write(`${formatReport(report)}\n`);
  process.stdout.write(`replay: npm run fuzz -- --seed ${seed} --seconds ${seconds}${values.inputs ? ` --inputs ${values.inputs}` : ''}${values.target ? values.target.map((t) => ` --target ${t}`).join('') : ''}\n`);
  return report.findings.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${(error as Error).message}\n`);
    process.exit(2);
  },
);

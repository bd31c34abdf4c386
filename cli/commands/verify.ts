/**
 * `copro verify FILE [--profile P]`: the transcript's host side against a fresh emulator in a
 * world built from the transcript; every difference from what the real module answered,
 * classified (src/verify/verifier.ts). Exit 0 when there is none, 1 when there are.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { PROFILES } from '../../firmware-protocol/at/profiles.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import type { Difference, DifferenceClass } from '../../src/transcript/compare.js';
import { NORMALISATION_RULES } from '../../src/transcript/compare.js';
import { parseTranscript } from '../../src/transcript/reader.js';
import { verifyTranscript } from '../../src/verify/verifier.js';
import type { VerifyResult } from '../../src/verify/verifier.js';
import { reportAndExit } from '../fail.js';

interface VerifyCliOptions {
  readonly profile?: ProfileId;
  readonly json?: boolean;
}

const CLASSES: readonly DifferenceClass[] = ['missing-command', 'format', 'value', 'timing'];

export function formatVerifyReport(file: string, result: VerifyResult): string {
  const counts = CLASSES.map((kind) => [kind, result.differences.filter((d) => d.kind === kind).length] as const).filter(([, n]) => n > 0);
  const summary = counts.length === 0 ? 'no differences' : `${result.differences.length} differences (${counts.map(([k, n]) => `${k} ${n}`).join(', ')})`;
  const lines = [`copro verify: ${file} against ${result.profile.title}: ${result.exchanges} exchanges, ${summary}`];
  for (const difference of result.differences) lines.push(`  ${describeDifference(difference)}`);
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}

function describeDifference(difference: Difference): string {
  const where = difference.exchange > 0 ? `#${difference.exchange} ${difference.command ?? ''}` : 'session';
  return `${where}: ${difference.kind}: ${difference.detail}`;
}

async function runVerify(file: string, opts: VerifyCliOptions): Promise<number> {
  const transcript = parseTranscript(await readFile(file, 'utf8'), file);
  const result = await verifyTranscript(transcript, { profile: opts.profile });
  if (opts.json) process.stdout.write(`${JSON.stringify({ file, profile: result.profile.id, exchanges: result.exchanges, differences: result.differences, notes: result.notes })}\n`);
  else process.stdout.write(formatVerifyReport(file, result));
  return result.differences.length === 0 ? 0 : 1;
}

export function registerVerify(program: Command): void {
  program
    .command('verify <file>')
    .description("play a transcript's host side against a fresh emulator and list every difference from what the real module answered")
    .addOption(new Option('--profile <id>', 'firmware to emulate (default: the one the transcript\'s AT+GMR answer looks like)').choices(Object.keys(PROFILES)))
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
The world is built from the transcript: the access points it scanned and joined (the address
the module got, its MAC), the names it resolved, and the far end of every TCP and UDP link it
opened, stood up on 127.0.0.1 and playing what the real peer sent, when it sent it. Nothing
leaves loopback: a destination the transcript does not show is unreachable.

Each difference is classified:
  missing-command  copro answered ERROR to a command the module answered, and has no such command or form
  format           the same information in another shape (quoting, FAIL vs ERROR, prompt bytes, echo)
  value            other information (a final result, a field, data)
  timing           an answer took far longer or shorter than recorded (measured transcripts only)
Values verify cannot rebuild are compared through declared rules:
${NORMALISATION_RULES.map((rule) => `  ${rule.name}: ${rule.reason}`).join('\n')}
  AT+GMR lines: compared by what each line is, not the build it names
Exit status 0 when there is no difference, 1 otherwise. See docs/transcripts.md.`,
    )
    .action(async (file: string, opts: VerifyCliOptions) => {
      try {
        process.exit(await runVerify(file, opts));
      } catch (err) {
        reportAndExit(err);
      }
    });
}

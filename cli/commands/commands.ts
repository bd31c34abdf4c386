/**
 * `copro commands`: the command table as a person reads it — the same table the emulator
 * dispatches on and the driver formats from, so this listing cannot drift from the code.
 * `--markdown` prints the table docs/emulator.md embeds (a test keeps the two equal).
 */
import type { Command } from 'commander';
import { coverageMarkdown } from './coverage-markdown.js';
import { COMMANDS, commandsOf, type CommandEntry } from '../../firmware-protocol/at/command-table.js';
import type { CommandForm } from '../../firmware-protocol/at/types.js';
import type { ParamSpec, SetSignature } from '../../firmware-protocol/at/command-spec.js';
import { DEFAULT_PROFILE, PROFILE_IDS, findProfile } from '../../firmware-protocol/at/profiles.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';

const FORM_SYNTAX: Record<CommandForm, (name: string) => string> = {
  exec: (n) => (n.startsWith('AT') ? n : `AT+${n}`),
  query: (n) => `AT+${n}?`,
  test: (n) => `AT+${n}=?`,
  set: (n) => `AT+${n}=…`,
};

function describeParam(p: ParamSpec): string {
  let text = p.type === 'string' ? `"${p.name}"` : p.name;
  if (p.oneOf) text = p.oneOf.map((v) => `"${v}"`).join('\\|');
  else if (p.type === 'int' && p.min !== undefined) text += p.max !== undefined ? `(${p.min}..${p.max})` : `(≥${p.min})`;
  return p.optional ? `[${text}]` : text;
}

/** Numbered places beyond this many (`cipher_suite1`..`cipher_suite80`) are shown as a range. */
const PLACES_SHOWN = 8;

/** The parameters, a long run of numbered optional places (`[x1]`..`[x80]`) shortened to `[x1],…,[x80]`. */
function describeParams(params: readonly ParamSpec[]): string[] {
  const texts: string[] = [];
  for (let i = 0; i < params.length; ) {
    const stem = /^(.*?)1$/.exec(params[i].name)?.[1];
    let end = i + 1;
    while (stem !== undefined && end < params.length && params[end].name === `${stem}${end - i + 1}` && params[end].optional) end += 1;
    if (stem !== undefined && end - i > PLACES_SHOWN) {
      texts.push(describeParam(params[i]), '…', describeParam(params[end - 1]));
    } else {
      for (let k = i; k < end; k += 1) texts.push(describeParam(params[k]));
    }
    i = end;
  }
  return texts;
}

function describeSignature(sig: SetSignature): string {
  const when = sig.mux === 'any' ? '' : sig.mux === 'multi' ? 'CIPMUX=1: ' : 'CIPMUX=0: ';
  return `${when}${describeParams(sig.params).join(',')}`;
}

/** One row per (name, profile set): a command whose forms differ per firmware gets one row each. */
export function commandTableMarkdown(): string {
  const profileHeads = PROFILE_IDS.map((id) => `\`${id}\``);
  const rows = [
    `| command | forms | set parameters | ${profileHeads.join(' | ')} | what it does |`,
    `|---|---|---|${PROFILE_IDS.map(() => ':-:').join('|')}|---|`,
  ];
  for (const spec of COMMANDS) rows.push(row(spec));
  return `${rows.join('\n')}\n`;
}

function row(spec: CommandEntry): string {
  const forms = spec.forms.map((f) => `\`${FORM_SYNTAX[f](spec.name)}\``).join(' ');
  const set = (spec.set ?? []).map((s) => `\`${describeSignature(s)}\``).join('<br>') || '–';
  const has = PROFILE_IDS.map((id) => (spec.profiles.includes(id) ? '✓' : ''));
  return `| ${spec.name} | ${forms} | ${set} | ${has.join(' | ')} | ${spec.summary} |`;
}

function commandTableText(profile: FirmwareProfile): string {
  return commandsOf(profile)
    .map((c) => `${c.name.padEnd(18)} ${c.forms.map((f) => FORM_SYNTAX[f](c.name)).join('  ').padEnd(60)} ${c.summary}`)
    .join('\n');
}

export function registerCommands(program: Command): void {
  program
    .command('commands')
    .description('list the AT commands the emulator answers (and the driver can send)')
    .option('--profile <id>', `firmware profile: ${PROFILE_IDS.join(', ')}`, DEFAULT_PROFILE.id)
    .option('--markdown', 'print the table of every profile as Markdown (as in docs/emulator.md)')
    .option('--coverage', "per profile, the firmware's documented commands that are not emulated, and why")
    .action((opts: { profile: string; markdown?: boolean; coverage?: boolean }) => {
      if (opts.markdown || opts.coverage) {
        process.stdout.write(opts.coverage ? coverageMarkdown() : commandTableMarkdown());
        return;
      }
      const profile = findProfile(opts.profile);
      if (profile === undefined) throw new Error(`unknown profile ${opts.profile} (choose ${PROFILE_IDS.join(', ')})`);
      process.stdout.write(`${commandTableText(profile)}\n`);
    });
}

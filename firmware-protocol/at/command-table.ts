import type { CommandSpec, VariantDecl } from './command-spec.js';
import type { VariantName } from './commands/command-types.js';
import { COMMAND_NAMES, commandDecl, type CommandName } from './commands/index.js';
import type { ProfileCommand } from './commands/profile-commands.js';
import type { FirmwareProfile, Persistence } from './profile.js';
import { PROFILE_LIST, PROFILES, type ProfileId } from './profiles/index.js';

export { bindSetParams } from './bind-params.js';
export type { BindResult } from './bind-params.js';
export { CONNECTION_TYPES } from './commands/index.js';

/**
 * THE ESP-AT command table, as each profile has it: the declarations (`commands/`) seen through a
 * profile's command list (`profiles/`). A form a profile's variant does not list is answered with
 * ERROR, like an unknown command. ESP-AT 2.x documents no test (`=?`) forms for these commands;
 * NonOS 1.7 has them for CWMODE.
 */

type ProfileRef = FirmwareProfile | ProfileId;

function profileOf(ref: ProfileRef): FirmwareProfile {
  return typeof ref === 'string' ? PROFILES[ref] : ref;
}

function entryOf(profile: FirmwareProfile, command: CommandName): ProfileCommand | undefined {
  return (profile.commands as Readonly<Record<string, ProfileCommand | undefined>>)[command];
}

function variantDecl(command: CommandName, variant: string): VariantDecl {
  const decl = commandDecl(command);
  if (variant === 'default') return decl;
  const found = decl.variants?.[variant];
  if (found === undefined) throw new Error(`command table: ${command} has no variant ${variant}`);
  return found;
}

function buildSpecs(profile: FirmwareProfile, command: CommandName, entry: ProfileCommand): CommandSpec[] {
  const variant = entry.variant ?? 'default';
  const decl = variantDecl(command, variant);
  const base = {
    command,
    variant,
    area: commandDecl(command).area,
    forms: decl.forms,
    ...(decl.set === undefined ? {} : { set: decl.set }),
    ...(commandDecl(command).codes === undefined ? {} : { codes: commandDecl(command).codes }),
  };
  const summary = decl.summary ?? commandDecl(command).summary;
  const names = entry.names ?? { [command]: { save: profile.saving } };
  return Object.entries(names).map(([name, rule]) => ({
    ...base,
    name,
    summary: rule.note === undefined ? summary : `${summary} (${rule.note})`,
    save: rule.save,
    shows: rule.shows ?? 'current',
  }));
}

interface ProfileTable {
  readonly list: CommandSpec[];
  readonly byName: ReadonlyMap<string, CommandSpec>;
  readonly byCommand: ReadonlyMap<CommandName, CommandSpec[]>;
}

const BY_PROFILE = new WeakMap<FirmwareProfile, ProfileTable>();

function tableOf(profile: FirmwareProfile): ProfileTable {
  let table = BY_PROFILE.get(profile);
  if (table === undefined) {
    const list = COMMAND_NAMES.flatMap((command) => {
      const entry = entryOf(profile, command);
      return entry === undefined ? [] : buildSpecs(profile, command, entry);
    });
    const byName = new Map<string, CommandSpec>();
    const byCommand = new Map<CommandName, CommandSpec[]>();
    for (const spec of list) {
      if (byName.has(spec.name)) throw new Error(`command table: ${spec.name} listed twice for ${profile.id}`);
      byName.set(spec.name, spec);
      byCommand.set(spec.command, [...(byCommand.get(spec.command) ?? []), spec]);
    }
    table = { list, byName, byCommand };
    BY_PROFILE.set(profile, table);
  }
  return table;
}

/** The profile's entry for `name` (exact, case-sensitive, without `AT+`), if its firmware has it. */
export function findCommand(name: string, profile: ProfileRef): CommandSpec | undefined {
  return tableOf(profileOf(profile)).byName.get(name);
}

/** Every command the profile's firmware knows, in table order, one entry per name. */
export function commandsOf(profile: ProfileRef): CommandSpec[] {
  return tableOf(profileOf(profile)).list;
}

export function hasCommand(profile: ProfileRef, command: CommandName): boolean {
  return entryOf(profileOf(profile), command) !== undefined;
}

/** Which variant of `command` the profile has (undefined: none). */
export function variantOf<C extends CommandName>(profile: ProfileRef, command: C): VariantName<C> | undefined {
  const entry = entryOf(profileOf(profile), command);
  return entry === undefined ? undefined : ((entry.variant ?? 'default') as VariantName<C>);
}

/**
 * The name to send `command` under: the one that saves as `save` asks (NonOS `CWMODE_CUR` for
 * 'ram'), else the command's first name (2.x `CWMODE`, whose saving AT+SYSSTORE decides).
 */
export function commandName(profile: ProfileRef, command: CommandName, save?: Persistence): string | undefined {
  return specsOf(profile, command).find((spec) => spec.save === save)?.name ?? specsOf(profile, command)[0]?.name;
}

/** The profile's entries for `command`, one per name it answers to (none if the firmware lacks it). */
export function specsOf(profile: ProfileRef, command: CommandName): readonly CommandSpec[] {
  return tableOf(profileOf(profile)).byCommand.get(command) ?? [];
}

/** One row of the table over every profile: a name with one variant, and the profiles that have it. */
export interface CommandEntry extends CommandSpec {
  readonly profiles: readonly ProfileId[];
}

/** Every command of every profile, names that agree across profiles merged (docs, fuzzing, tests). */
export const COMMANDS: readonly CommandEntry[] = (() => {
  const rows = new Map<string, { spec: CommandSpec; profiles: ProfileId[] }>();
  for (const command of COMMAND_NAMES) {
    for (const profile of PROFILE_LIST) {
      for (const spec of commandsOf(profile).filter((entry) => entry.command === command)) {
        const key = [spec.name, spec.variant, spec.summary].join('\u0000');
        const row = rows.get(key) ?? { spec, profiles: [] };
        row.profiles.push(profile.id);
        rows.set(key, row);
      }
    }
  }
  return [...rows.values()].map(({ spec, profiles }) => ({ ...spec, profiles }));
})();

import type { NameRule, ProfileCommands } from '../commands/profile-commands.js';
import type { FirmwareProfile, ProfileChanges } from '../profile.js';

/** Builds profiles: a full one, or one that differs from another by a few changes. */

/** A profile whose id keeps its literal type (so the id list is a union of literals). */
export function defineProfile<const Id extends string>(profile: FirmwareProfile & { readonly id: Id }): FirmwareProfile & {
  readonly id: Id;
} {
  return profile;
}

function mergeCommands(base: ProfileCommands, changes: ProfileCommands<null> | undefined): ProfileCommands {
  const merged: Record<string, unknown> = { ...base };
  for (const [name, command] of Object.entries(changes ?? {})) {
    if (command === null) delete merged[name];
    else merged[name] = command;
  }
  return merged as ProfileCommands;
}

/** `base` with `changes` applied: each group (limits, layout...) merged one level deep. */
export function applyChanges(base: FirmwareProfile, changes: ProfileChanges): FirmwareProfile {
  return {
    ...base,
    ...changes,
    earlierReleases: base.earlierReleases,
    errorWords: { ...base.errorWords, ...changes.errorWords },
    limits: { ...base.limits, ...changes.limits },
    layout: { ...base.layout, ...changes.layout },
    ssl: { ...base.ssl, ...changes.ssl },
    timing: { ...base.timing, ...changes.timing },
    defaults: { ...base.defaults, ...changes.defaults },
    radio: { ...base.radio, ...changes.radio },
    partitions: changes.partitions ?? base.partitions,
    uartClock: changes.uartClock === undefined ? base.uartClock : changes.uartClock,
    commands: mergeCommands(base.commands, changes.commands),
  };
}

/**
 * A firmware version described as its differences from another: issue 13's ESP8266 RTOS AT 2.2
 * or ESP32-C3 v4.x are a few lines each (see docs/architecture.md, "Firmware model").
 */
export function deriveProfile<const Id extends string>(
  base: FirmwareProfile,
  id: Id,
  changes: ProfileChanges & { readonly title: string; readonly gmrLines: readonly string[] },
): FirmwareProfile & { readonly id: Id } {
  return { ...applyChanges(base, changes), id, earlierReleases: [] };
}

/**
 * NonOS names of a setting command: `<name>_CUR` (RAM only), `<name>_DEF` (flash, and its query
 * shows flash), and with `plain` the deprecated bare name (= _DEF, but its query shows RAM).
 */
export function curDefNames(name: string, options: { plain: boolean }): Readonly<Record<string, NameRule>> {
  const names: Record<string, NameRule> = {};
  if (options.plain) names[name] = { save: 'flash', note: 'deprecated = _DEF' };
  names[`${name}_CUR`] = { save: 'ram', note: 'not saved' };
  names[`${name}_DEF`] = { save: 'flash', shows: 'stored', note: 'saved in flash' };
  return names;
}

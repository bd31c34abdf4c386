import type { CommandSpec } from '../command-spec.js';
import { commandName, findCommand, specsOf, variantOf } from '../command-table.js';
import { commandDecl, type CommandName } from '../commands/index.js';
import type { FirmwareProfile, Persistence } from '../profile.js';
import type { AnyValues, TextField } from './fields.js';
import { formatLine } from './line-format.js';
import { escapeRegex, parseLine } from './line-parse.js';
import type { LineDecl, LineDecls, LineSpec } from './line-spec.js';
import type { LineName, LineValueOf, ReplyReading } from './reply-types.js';

/**
 * A command's reply lines, by the names its declaration gives them: the emulator prints one from
 * typed values (`replyText`), the driver reads a whole reply into typed values (`readReply`). Both
 * use the lines of the variant the profile has.
 */

/** The reply lines of `command` in `variant` (the variant's replacing the command's of the same name). */
export function linesOf(command: CommandName, variant: string): LineDecls {
  const decl = commandDecl(command);
  const base: LineDecls = decl.lines ?? {};
  return variant === 'default' ? base : { ...base, ...decl.variants?.[variant]?.lines };
}

const TAG_LINES = new WeakMap<LineDecl, Map<string, LineSpec>>();

/** `+<name>:<tag><separator><value>` for one tag of a tagged declaration. */
function tagLine(decl: Extract<LineDecl, { kind: 'tagged' }>, tag: string): LineSpec {
  let byTag = TAG_LINES.get(decl);
  if (byTag === undefined) {
    byTag = new Map();
    TAG_LINES.set(decl, byTag);
  }
  let line = byTag.get(tag);
  if (line === undefined) {
    const field: TextField = { ...decl.tags[tag], name: tag };
    line = { lead: null, tag: `${tag}${decl.separator}`, fields: [field] };
    byTag.set(tag, line);
  }
  return line;
}

export interface ReplyOptions {
  /** AT+CWLAPOPT's print mask, for lines the declaration marks `masked`. */
  readonly mask?: number;
}

/** The text of line `key` of the command `spec` names, as the firmware prints it (CR LF included). */
export function replyText(profile: FirmwareProfile, spec: CommandSpec, key: string, value: unknown, options: ReplyOptions = {}): string {
  const decl = linesOf(spec.command, spec.variant)[key];
  if (decl === undefined) throw new Error(`AT+${spec.command} declares no reply line ${key}`);
  const context = { layout: profile.layout, name: spec.name, mask: options.mask };
  switch (decl.kind) {
    case 'one':
    case 'many':
      return formatLine(decl.line, value as AnyValues, context);
    case 'tagged': {
      const values = value as Readonly<Record<string, string | undefined>>;
      return Object.keys(decl.tags)
        .filter((tag) => values[tag] !== undefined)
        .map((tag) => formatLine(tagLine(decl, tag), { [tag]: values[tag] }, context))
        .join('');
    }
    case 'word':
      return decl.console && !profile.layout.consoleOnAtPort ? '' : `${String(value)}\r\n`;
    case 'text':
      return `${String(value)}\r\n`;
  }
}

/** A reply as the driver collects it: `+NAME:text` information lines and other lines. */
export interface ReplyText {
  readonly infos: readonly { readonly name: string; readonly text: string }[];
  readonly lines: readonly string[];
}

function readDecl(decl: LineDecl, texts: readonly string[], plain: readonly string[], leadPattern: string): unknown {
  const lead = (line: LineSpec) => (line.lead === null ? leadPattern : escapeRegex(line.lead));
  switch (decl.kind) {
    case 'one':
      return texts.map((text) => parseLine(decl.line, lead(decl.line), text)).find((values) => values !== null) ?? undefined;
    case 'many':
      return texts.map((text) => parseLine(decl.line, lead(decl.line), text)).filter((values) => values !== null);
    case 'tagged': {
      const found: Record<string, unknown> = {};
      for (const tag of Object.keys(decl.tags)) {
        const line = tagLine(decl, tag);
        const values = texts.map((text) => parseLine(line, lead(line), text)).find((v) => v !== null);
        if (values) found[tag] = values[tag];
      }
      return found;
    }
    case 'word':
      return plain.find((text) => decl.words.includes(text));
    case 'text':
      return [...plain];
  }
}

/**
 * Every line of `command`'s declaration read from `reply` (information lines under any of the
 * names the profile gives the command: `+CWMODE_CUR:` too).
 */
export function readReply<C extends CommandName>(profile: FirmwareProfile, command: C, reply: ReplyText): ReplyReading<C> {
  const names = specsOf(profile, command).map((spec) => spec.name);
  const leadPattern = `\\+(?:${(names.length > 0 ? names : [command]).map(escapeRegex).join('|')}):`;
  const texts = [...reply.infos.map((info) => `+${info.name}:${info.text}`), ...reply.lines];
  const result: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(linesOf(command, variantOf(profile, command) ?? 'default'))) {
    result[key] = readDecl(decl, texts, reply.lines, leadPattern);
  }
  return result as ReplyReading<C>;
}

/**
 * Typed, by command: the text of one reply line as the profile's firmware prints it, under the
 * name that saves as `save` says (`+CWMODE_CUR:`), for tests and tools.
 */
export function formatReply<C extends CommandName, K extends LineName<C>>(
  profile: FirmwareProfile,
  command: C,
  key: K,
  value: LineValueOf<C, K>,
  options: ReplyOptions & { readonly save?: Persistence } = {},
): string {
  const spec = findCommand(commandName(profile, command, options.save) ?? command, profile);
  if (spec === undefined) throw new Error(`${profile.id} has no AT+${command}`);
  return replyText(profile, spec, key, value, options);
}

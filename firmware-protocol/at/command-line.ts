import { parseParams } from './params.js';
import type { ParsedCommand } from './types.js';

/**
 * Splits one complete command line (CR LF removed) the way the firmware does:
 *   `AT`            -> AT, exec
 *   `ATE0`, `ATxyz` -> the whole line is the name of a basic command, exec
 *   `AT+NAME`       -> exec      `AT+NAME?` -> query
 *   `AT+NAME=?`     -> test      `AT+NAME=<params>` -> set
 * The name is kept as typed (the table lookup is case-sensitive, so `AT+cwmode?` is simply an
 * unknown command). Any other text after the name (`AT+CWMODE?x`) makes the whole rest the
 * name, which no table entry has: the firmware answers that as an unsupported command.
 */
export type CommandLineResult =
  | { readonly ok: true; readonly command: ParsedCommand }
  | { readonly ok: false; readonly reason: 'no-at' | 'param-parse' };

export function parseCommandLine(line: string): CommandLineResult {
  if (!line.startsWith('AT')) return { ok: false, reason: 'no-at' };
  if (line.length === 2 || line[2] !== '+') {
    return { ok: true, command: { name: line, form: 'exec', params: [], line } };
  }
  const rest = line.slice(3);
  const cut = rest.search(/[=?]/);
  if (cut < 0) return { ok: true, command: { name: rest, form: 'exec', params: [], line } };
  const name = rest.slice(0, cut);
  const tail = rest.slice(cut);
  if (tail === '?') return { ok: true, command: { name, form: 'query', params: [], line } };
  if (tail === '=?') return { ok: true, command: { name, form: 'test', params: [], line } };
  if (tail.startsWith('=')) {
    const parsed = parseParams(tail.slice(1));
    if (!parsed.ok) return { ok: false, reason: 'param-parse' };
    return { ok: true, command: { name, form: 'set', params: parsed.params, line } };
  }
  return { ok: true, command: { name: rest, form: 'exec', params: [], line } };
}

import { NINA_COMMANDS } from '../../firmware-protocol/nina/command-table.js';
import { NINA_HANDLERS, type NinaHandlerTable } from './handler-registry.js';

/** What copro does with one command, in words for the docs. */
function coproStatus(code: number, inFirmware: boolean, handlers: NinaHandlerTable): string {
  const entry = handlers.get(code);
  if (entry?.support === 'emulated') return 'emulated';
  if (entry?.support === 'no effect') return "accepted, nina-fw's answer, no effect";
  return inFirmware ? 'error reply (not emulated)' : 'error reply, as nina-fw';
}

/**
 * The supported-commands table of docs/spi.md, generated from the one command table and the
 * emulator's handlers (a test keeps the docs in sync).
 */
export function ninaCommandsMarkdown(handlers: NinaHandlerTable = NINA_HANDLERS): string {
  const rows = NINA_COMMANDS.map((c) => {
    const code = `0x${c.code.toString(16).toUpperCase().padStart(2, '0')}`;
    const widths = c.requestLength === 16 || c.replyLength === 16 ? ` (L${c.requestLength}/${c.replyLength})` : '';
    const firmware = c.inFirmware ? 'yes' : 'no handler';
    return `| ${code} | ${c.name}${widths} | ${c.params} | ${c.reply} | ${firmware} | ${coproStatus(c.code, c.inFirmware, handlers)} |`;
  });
  return [
    '| id | name | request params | reply | nina-fw 2.0.0 | copro |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

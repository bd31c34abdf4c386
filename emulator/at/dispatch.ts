import { bindSetParams, findCommand } from '../../firmware-protocol/at/command-table.js';
import type { ParsedCommand } from '../../firmware-protocol/at/types.js';
import type { HandlerTable } from './handler-types.js';
import type { ModuleCore } from './module-core.js';

/**
 * Runs one parsed command against the command table: a name the profile's firmware lacks, or a
 * form its entry does not list, is `unsupported` (ERR CODE 0x09); set parameters are bound by the
 * table's signatures (0x04..0x07 on mismatch). Only then does a handler run.
 */
export function dispatch(core: ModuleCore, handlers: HandlerTable, command: ParsedCommand): void | Promise<void> {
  const spec = findCommand(command.name, core.profile.id);
  if (!spec || !spec.forms.includes(command.form)) return core.error('unsupported');
  const handler = handlers[spec.name]?.[command.form];
  if (!handler) {
    core.tracer.note(`no emulation of AT+${spec.name} (${command.form}): answered ERROR`);
    return core.error('unsupported');
  }
  if (command.form !== 'set') return handler(core, { command, spec, values: [], signature: null });
  const bound = bindSetParams(spec, command.params, core.mux ? 'multi' : 'single');
  if (!bound.ok) return core.error(bound.mismatch);
  return handler(core, { command, spec, values: bound.values, signature: bound.signature });
}

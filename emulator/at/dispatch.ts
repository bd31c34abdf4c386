import type { CommandSpec, ParamMismatch, ParamValue, SetSignature } from '../../firmware-protocol/at/command-spec.js';
import { bindSetParams, findCommand } from '../../firmware-protocol/at/command-table.js';
import { finalResult } from '../../firmware-protocol/at/module-output.js';
import type { ParsedCommand } from '../../firmware-protocol/at/types.js';
import type { CommandCall, HandlerTable } from './handler-types.js';
import type { ModuleCore } from './module-core.js';
import { refusedWithoutDriver } from './wifi-driver.js';

/** Bound values by parameter name; omitted optional parameters are left out. */
function namedParams(signature: SetSignature, values: readonly ParamValue[]): Record<string, ParamValue> {
  const named: Record<string, ParamValue> = {};
  signature.params.forEach((param, index) => {
    if (values[index] !== undefined) named[param.name] = values[index];
  });
  return named;
}

/** The code a command family with its own error table (MQTT) gives a parameter that did not bind. */
function ownErrorCode(spec: CommandSpec, command: ParsedCommand, mismatch: ParamMismatch, index: number): number | undefined {
  const codes = spec.codes;
  if (codes === undefined) return undefined;
  const param = index < 0 ? undefined : spec.set?.[0]?.params[index];
  if (param === undefined) return codes.count;
  const own = codes.params[param.name];
  if (own === undefined) return undefined;
  if (mismatch === 'param-type') return own.read;
  if (mismatch === 'param-number') return command.params[index] === undefined || command.params[index].kind === 'empty' ? own.empty : codes.count;
  return own.wrong;
}

/**
 * Runs one parsed command against the profile's command table: a name the profile's firmware
 * lacks is `unsupported` (ERR CODE 0x01090000 with AT+SYSLOG=1); a form the firmware registers no
 * function for (`AT+RST=1`, `AT+CWMODE=?`: 2.4 registers no test forms) is a bare ERROR, no
 * ERR CODE line, as the core answers a NULL entry of its command table. Set parameters are bound
 * by the variant's signatures (0x04..0x07 on mismatch). Only then does a handler run. While
 * AT+CWINIT=0 holds the Wi-Fi driver down, the Wi-Fi commands answer ERROR (wifi-driver.ts).
 */
export function dispatch(core: ModuleCore, handlers: HandlerTable, command: ParsedCommand): void | Promise<void> {
  const spec = findCommand(command.name, core.profile);
  if (!spec) return core.error('unsupported');
  if (!spec.forms.includes(command.form)) return core.write(finalResult('ERROR'));
  const handler = handlers[spec.command]?.[command.form];
  if (!handler) {
    core.tracer.note(`no emulation of AT+${spec.name} (${command.form}): answered ERROR`);
    return core.error('unsupported');
  }
  if (refusedWithoutDriver(core, spec, command.form)) {
    core.tracer.note(`AT+${spec.name}: the Wi-Fi driver is deinitialised (AT+CWINIT=0)`);
    return core.error('exec-failed');
  }
  // The table built the spec from the declaration, so its variant is one of the command's.
  const call = { command, spec, variant: spec.variant as CommandCall['variant'] };
  if (command.form !== 'set') return handler(core, { ...call, params: {} });
  const bound = bindSetParams(spec, command.params, core.mux ? 'multi' : 'single');
  if (!bound.ok) {
    const code = ownErrorCode(spec, command, bound.mismatch, bound.index);
    return code === undefined ? core.error(bound.mismatch) : core.errorCode(code);
  }
  return handler(core, { ...call, params: namedParams(bound.signature, bound.values) });
}

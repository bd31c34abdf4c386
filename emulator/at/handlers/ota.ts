import { OTA_STATES } from '../../../firmware-protocol/at/commands/ota.js';
import type { CommandCall, Handler, Handlers } from '../handler-types.js';
import { reboot } from '../lifecycle.js';
import type { ModuleCore } from '../module-core.js';
import { otaRecord, runUpgrade, type OtaRequest } from '../ota-upgrade.js';

/**
 * AT+CIUPDATE (at_ota_cmd.c, v2.4): blocking, the progress lines then OK and, for the system
 * firmware, a restart into the new version (AT+GMR names it); failed, the last progress line then
 * ERROR. Non-blocking: OK at once, the progress lines as they come, `+CIPUPDATE:-1` on failure, no
 * restart. A second upgrade while one runs: `ALREADY IN OTA` on the console (printf), ERROR here.
 */

function refuseIfRunning(core: ModuleCore): boolean {
  if (!otaRecord(core).running) return false;
  core.tracer.note('AT+CIUPDATE: "ALREADY IN OTA" goes to the console, not the AT port');
  core.error('exec-failed');
  return true;
}

/** Runs one upgrade; resolves true when it succeeded. Progress lines go out as the firmware writes them. */
async function upgrade(core: ModuleCore, call: CommandCall<'CIUPDATE'>, request: OtaRequest): Promise<boolean> {
  const record = otaRecord(core);
  const epoch = core.epoch;
  record.running = true;
  try {
    await runUpgrade(core, request, (state) => {
      if (core.isCurrent(epoch)) core.reply(call, 'progress', { state });
    });
    return core.isCurrent(epoch);
  } catch (error) {
    core.tracer.note(`OTA failed: ${(error as Error).message}`);
    record.state = OTA_STATES.failed;
    return false;
  } finally {
    record.running = false;
  }
}

async function blocking(core: ModuleCore, call: CommandCall<'CIUPDATE'>, request: OtaRequest): Promise<void> {
  const epoch = core.epoch;
  const done = await upgrade(core, call, request);
  if (!core.isCurrent(epoch)) return;
  if (!done) return core.error('exec-failed');
  core.ok();
  if (request.partition.startsWith('ota')) void reboot(core, { why: 'AT+CIUPDATE: new firmware' });
}

const updateExec: Handler<'CIUPDATE', 'exec'> = (core, call) => {
  if (refuseIfRunning(core)) return;
  return blocking(core, call, { sslMode: false, version: null, partition: 'ota' });
};

const updateSet: Handler<'CIUPDATE', 'set'> = (core, call) => {
  const { ota_mode, version, firmware_name, nonblocking } = call.params;
  if (refuseIfRunning(core)) return;
  const request: OtaRequest = {
    sslMode: ota_mode === 1,
    version: version === undefined || version === '' ? null : version,
    partition: firmware_name === undefined || firmware_name === '' ? 'ota' : firmware_name,
  };
  if (nonblocking !== 1) return blocking(core, call, request);
  core.ok();
  const epoch = core.epoch;
  void upgrade(core, call, request).then((done) => {
    if (!done && core.isCurrent(epoch)) core.reply(call, 'progress', { state: OTA_STATES.failed });
  });
};

const updateQuery: Handler<'CIUPDATE', 'query'> = (core, call) => {
  core.reply(call, 'state', { state: otaRecord(core).state });
  core.ok();
};

export const OTA_HANDLERS = {
  CIUPDATE: { query: updateQuery, set: updateSet, exec: updateExec },
} satisfies Handlers;

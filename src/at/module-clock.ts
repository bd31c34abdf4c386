import { hasCommand } from '../../firmware-protocol/at/command-table.js';
import { formatRequest } from '../../firmware-protocol/at/host-commands.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import { realTime } from '../module-time.js';
import type { AtReply, AtRequest } from './at-client.js';
import { timestampOf } from './replies.js';
import { TIMEOUTS } from './requests.js';
import type { TraceSink } from './trace.js';

/**
 * ESP-AT's mbedTLS (2.4, 4.1: CONFIG_MBEDTLS_HAVE_TIME_DATE) checks certificate dates against the
 * module's clock, which reads 1970 after every boot until SNTP or AT+SYSTIMESTAMP sets it: a
 * connection that verifies its server would fail with "not valid yet". Before such a connection
 * the driver asks the module its time (AT+SYSTIMESTAMP?) and, when it has none, gives it this
 * machine's (AT+SYSTIMESTAMP=<now>). A module whose clock is set (by SNTP, say) is left alone.
 */
export async function ensureModuleClock(
  profile: FirmwareProfile,
  run: (request: AtRequest) => Promise<AtReply>,
  trace?: TraceSink,
): Promise<void> {
  if (profile.ssl.certificateClock !== 'module' || !hasCommand(profile, 'SYSTIMESTAMP')) return;
  const reply = await run({ line: formatRequest(profile, 'SYSTIMESTAMP', 'query'), timeoutMs: TIMEOUTS.basic });
  const seconds = reply.result === 'OK' ? timestampOf(profile, reply) : undefined;
  if (seconds !== undefined && realTime(seconds) !== null) return;
  const now = Math.floor(Date.now() / 1000);
  const set = await run({ line: formatRequest(profile, 'SYSTIMESTAMP', 'set', { timestamp: now }), timeoutMs: TIMEOUTS.basic });
  if (set.result !== 'OK') trace?.(`! the module refused its time (AT+SYSTIMESTAMP=${now}); certificate dates may fail`);
}

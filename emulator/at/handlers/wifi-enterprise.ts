import { EAP_ERRORS, EAP_SECURITY } from '../../../firmware-protocol/at/commands/wifi-enterprise.js';
import { EAP_METHOD_NAMES } from '../../network/eap-world.js';
import type { PkiPart } from '../../../firmware-protocol/at/manufacturing.js';
import type { Handler, Handlers } from '../handler-types.js';
import { eapMaterialPresent } from '../pki-store.js';
import type { ModuleCore } from '../module-core.js';
import type { EnterpriseJoin } from '../module-settings.js';
import { stationEnabled } from '../station-events.js';
import { stopReconnecting } from '../wifi-reconnect.js';

/**
 * AT+CWJEAP: join a WPA2-Enterprise AP (Wi-Fi_AT_Commands.rst v2.4). The world's AP lists the
 * accounts its authentication server accepts (emulator/network/eap-world.ts). The firmware reads a
 * client certificate and key (`<security>` bit 0) and a CA (bit 1) from its `wpa2_cert`, `wpa2_key`
 * and `wpa2_ca` partitions (2.x: provisioned with AT+SYSFLASH) or mfg_nvs namespaces (3.x and
 * later: AT+SYSMFG); a missing one is refused
 * with the docs' code (which of the codes: UNSURE). A refused join is retried by the firmware until
 * `<jeap_timeout>` (default 15 s, at the world's pace): only then `+CWJEAP:Timeout` and ERROR.
 */

const DEFAULT_TIMEOUT_SEC = 15;

/** The wpa2_* material `<security>` needs, with the code a missing one earns. */
const CERTIFICATE_PARTS: readonly { readonly bit: number; readonly part: PkiPart; readonly code: number }[] = [
  { bit: EAP_SECURITY.clientCertificate, part: 'cert', code: EAP_ERRORS.GET_CERT_LEN_FAILED },
  { bit: EAP_SECURITY.clientCertificate, part: 'key', code: EAP_ERRORS.GET_KEY_LEN_FAILED },
  { bit: EAP_SECURITY.serverCertificate, part: 'ca', code: EAP_ERRORS.GET_CA_LEN_FAILED },
];

/** The error code of the first certificate `security` needs that the module does not hold, or null. */
function missingCertificate(core: ModuleCore, security: number): number | null {
  for (const { bit, part, code } of CERTIFICATE_PARTS) {
    if ((security & bit) !== 0 && !eapMaterialPresent(core, part)) return code;
  }
  return null;
}

/** The parameters' own checks, after the table bound them: null when the join may start. */
function refusal(core: ModuleCore, wanted: EnterpriseJoin): number | null {
  if (!stationEnabled(core)) return EAP_ERRORS.WIFI_MODE_NOT_STA;
  if (wanted.ssid === '') return EAP_ERRORS.SSID_NULL;
  if (wanted.identity === '') return EAP_ERRORS.IDENTITY_LEN_ERROR;
  if (EAP_METHOD_NAMES[wanted.method] === 'tls') {
    // "TLS mode will use client certificate. Please make sure it is enabled."
    if ((wanted.security & EAP_SECURITY.clientCertificate) === 0) return EAP_ERRORS.METHOD_SECURITY_UNMATCHED;
  } else {
    if (wanted.username === '') return EAP_ERRORS.USERNAME_LEN_ERROR;
    if (wanted.password === '') return EAP_ERRORS.PASSWORD_LEN_ERROR;
  }
  return missingCertificate(core, wanted.security);
}

const jeapSet: Handler<'CWJEAP', 'set'> = async (core, call) => {
  const { ssid, method, identity, username, password, security, jeap_timeout } = call.params;
  const wanted: EnterpriseJoin = { ssid, method, identity, username: username ?? '', password: password ?? '', security };
  const refused = refusal(core, wanted);
  if (refused !== null) return core.errorCode(refused);
  stopReconnecting(core);
  const epoch = core.epoch;
  const attempt = ++core.wifi.attempt;
  core.wifi.phase = 'connecting';
  const timeoutMs = core.scaledMs((jeap_timeout ?? DEFAULT_TIMEOUT_SEC) * 1000);
  const started = core.clock.now();
  core.tracer.note(`joining enterprise "${ssid}" (EAP-${EAP_METHOD_NAMES[method].toUpperCase()}, identity ${identity})`);
  try {
    await core.stack.station.join(ssid, '', {
      timeoutMs,
      eap: {
        method: EAP_METHOD_NAMES[method],
        identity,
        username: wanted.username,
        password: wanted.password,
        clientCertificate: (security & EAP_SECURITY.clientCertificate) !== 0,
      },
    });
  } catch (error) {
    if (!core.isCurrent(epoch)) return;
    if (core.wifi.attempt === attempt) core.wifi.phase = 'disconnected';
    core.tracer.note(`enterprise join refused (${(error as Error).message}); the firmware retries until its timeout`);
    const left = timeoutMs - (core.clock.now() - started);
    if (left > 0) await new Promise<void>((resolve) => core.clock.setTimeout(resolve, left));
    if (!core.isCurrent(epoch)) return;
    core.reply(call, 'timeout', { result: 'Timeout' });
    return core.errorCode(EAP_ERRORS.CONN_TIMEOUT);
  }
  if (!core.isCurrent(epoch)) return;
  core.settings.set('enterpriseJoin', wanted, call.spec.save);
  core.ok();
};

const jeapQuery: Handler<'CWJEAP', 'query'> = (core, call) => {
  const joined = core.settings.current.enterpriseJoin;
  const info = core.stack.station.info();
  if (joined !== null && info.connected && info.ssid === joined.ssid) core.reply(call, 'config', joined);
  core.ok();
};

export const WIFI_ENTERPRISE_HANDLERS = {
  CWJEAP: { query: jeapQuery, set: jeapSet },
} satisfies Handlers;

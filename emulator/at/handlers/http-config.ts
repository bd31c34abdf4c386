import type { Handler, Handlers } from '../handler-types.js';
import { missingHttpPki, setHttpAuth, type HttpAuth } from '../http-auth.js';

/**
 * AT+HTTPCFG (HTTP_AT_Commands.rst v4.1.1.0; at_setup_cmd_httpcfg in libesp32c3_at_core.a):
 * `<auth_mode>` 0 alone, 1..3 with `<pki_number>` and `<ca_number>` both (the firmware reads all
 * three; the docs' brackets notwithstanding). The entries the mode names must be in the
 * manufacturing NVS's https_* namespaces, else the firmware's line (`NO CERT FOUND`,
 * `NO PRVT_KEY FOUND`, `NO CA FOUND`) then ERROR and nothing changes. UNSURE: the ERR CODE of a
 * wrong parameter count (the firmware returns a bare ERROR result; copro says param-number, as for
 * AT+FS).
 */
const httpCfgSet: Handler<'HTTPCFG', 'set'> = (core, call) => {
  const { auth_mode: authMode, pki_number: pkiNumber, ca_number: caNumber } = call.params;
  const given = call.params.pki_number !== undefined || caNumber !== undefined;
  if (authMode === 0 && given) return core.error('param-number');
  if (authMode !== 0 && (pkiNumber === undefined || caNumber === undefined)) return core.error('param-number');
  const auth: HttpAuth = { authMode, pkiNumber: pkiNumber ?? 0, caNumber: caNumber ?? 0 };
  const missing = missingHttpPki(core, auth);
  if (missing !== null) {
    core.tracer.note(`AT+HTTPCFG mode ${authMode}: ${missing} in the manufacturing NVS's https_* namespaces`);
    core.reply(call, 'missing', missing);
    return core.error('exec-failed');
  }
  setHttpAuth(core, auth);
  core.ok();
};

export const HTTP_CONFIG_HANDLERS = { HTTPCFG: { set: httpCfgSet } } satisfies Handlers;

import { StackError, type TlsClientCredential, type TlsVerification } from '../network/types.js';
import type { ModuleCore } from './module-core.js';
import { certificateStore, pkiEntryPresent } from './pki-store.js';
import { certificateClock } from './ssl-client.js';

/**
 * What AT+HTTPCFG set (the 4.1 core library's s_http_pki: auth mode, PKI and CA numbers), per
 * module, in RAM: every boot starts at mode 0, no authentication either way.
 */
export interface HttpAuth {
  readonly authMode: number;
  readonly pkiNumber: number;
  readonly caNumber: number;
}

const NO_AUTH: HttpAuth = { authMode: 0, pkiNumber: 0, caNumber: 0 };
const AUTHS = new WeakMap<ModuleCore, { readonly epoch: number; readonly auth: HttpAuth }>();

export function httpAuth(core: ModuleCore): HttpAuth {
  const kept = AUTHS.get(core);
  return kept !== undefined && kept.epoch === core.epoch ? kept.auth : NO_AUTH;
}

export function setHttpAuth(core: ModuleCore, auth: HttpAuth): void {
  AUTHS.set(core, { epoch: core.epoch, auth });
}

/** The https_* entry AT+HTTPCFG's mode needs and the NVS lacks (the firmware's order), or null. */
export function missingHttpPki(core: ModuleCore, auth: HttpAuth): 'NO CERT FOUND' | 'NO PRVT_KEY FOUND' | 'NO CA FOUND' | null {
  if ((auth.authMode & 1) !== 0) {
    if (!pkiEntryPresent(core, 'https', 'cert', auth.pkiNumber)) return 'NO CERT FOUND';
    if (!pkiEntryPresent(core, 'https', 'key', auth.pkiNumber)) return 'NO PRVT_KEY FOUND';
  }
  if ((auth.authMode & 2) !== 0 && !pkiEntryPresent(core, 'https', 'ca', auth.caNumber)) return 'NO CA FOUND';
  return null;
}

/**
 * The TLS options the HTTP client's HTTPS connection takes from AT+HTTPCFG: bit 1 verifies the
 * server with https_ca <ca_number> and the URL's host name (esp_http_client gives esp-tls the host
 * as its common name), bit 0 presents https_cert/https_key <pki_number>. Mode 0: nothing checked.
 * Throws StackError('io') when an entry the mode names is no longer there.
 */
export function httpTlsOptions(
  core: ModuleCore,
  hostname: string | null,
): { readonly verify: TlsVerification | null; readonly clientCredential: TlsClientCredential | null } {
  const auth = httpAuth(core);
  const store = certificateStore(core, 'https');
  const ca = (auth.authMode & 2) !== 0 ? store.caCerts[auth.caNumber] : undefined;
  const client = (auth.authMode & 1) !== 0 ? store.clientCerts[auth.pkiNumber] : undefined;
  // An entry erased after AT+HTTPCFG (AT+SYSMFG): nothing to load, the request fails (UNSURE: where).
  if ((auth.authMode & 2) !== 0 && !ca) throw new StackError('io', `NO CA FOUND: https_ca ${auth.caNumber} is gone`);
  if ((auth.authMode & 1) !== 0 && !client) throw new StackError('io', `NO CERT FOUND: https_cert/https_key ${auth.pkiNumber} is gone`);
  return {
    verify: ca ? { caPem: [ca.pem], hostname, ...certificateClock(core) } : null,
    clientCredential: client ? { certPem: client.certPem, keyPem: client.keyPem } : null,
  };
}

import type { SecurityKind } from '../../firmware-protocol/security.js';
import type { FieldReader } from './config-fields.js';

/**
 * WPA2-Enterprise in the radio world: an AP with an `eap` list is an enterprise network whose
 * authentication server accepts those accounts (and nothing else: no passphrase joins it).
 *
 *   "eap": [{ "method": "peap", "identity": "anon@lab", "username": "alice", "password": "s3cret" },
 *           { "method": "tls", "identity": "device-17@lab" }]
 *
 * EAP-TLS accounts need the station to present a client certificate (the module's `<security>`
 * bit 0); certificates themselves are not checked.
 */

export const EAP_METHOD_NAMES = ['tls', 'peap', 'ttls'] as const;
export type EapMethod = (typeof EAP_METHOD_NAMES)[number];

export interface EapAccount {
  readonly method: EapMethod;
  /** Phase 1 (outer) identity. */
  readonly identity: string;
  /** Phase 2 credentials (PEAP, TTLS). */
  readonly username?: string;
  readonly password?: string;
}

/** What a station offers when it joins an enterprise network. */
export interface EapCredentials {
  readonly method: EapMethod;
  readonly identity: string;
  readonly username: string;
  readonly password: string;
  /** The station presents a client certificate. */
  readonly clientCertificate: boolean;
}

/** The security kinds an enterprise AP may announce. */
export const ENTERPRISE_KINDS: readonly SecurityKind[] = ['wpa2-enterprise', 'wpa3-enterprise', 'wpa2-wpa3-enterprise', 'wpa3-enterprise-192'];

/** Whether the AP's authentication server lets `offered` in. */
export function eapAccepts(accounts: readonly EapAccount[], offered: EapCredentials): boolean {
  return accounts.some((account) => {
    if (account.method !== offered.method || account.identity !== offered.identity) return false;
    if (account.method === 'tls') return offered.clientCertificate;
    return account.username === offered.username && account.password === offered.password;
  });
}

export function readEapAccounts(read: FieldReader, value: unknown, path: string): readonly EapAccount[] {
  const list = read.array(value, path);
  if (list.length === 0) read.fail(path, 'give at least one account');
  return Object.freeze(
    list.map((raw, index) => {
      const where = `${path}[${index}]`;
      const entry = read.object(raw, where);
      read.onlyKeys(entry, ['method', 'identity', 'username', 'password'], where);
      const method = entry.method;
      if (typeof method !== 'string' || !(EAP_METHOD_NAMES as readonly string[]).includes(method)) {
        read.fail(`${where}.method`, `must be one of ${EAP_METHOD_NAMES.join(', ')}`);
      }
      const identity = read.string(entry.identity, `${where}.identity`, 1, 32);
      if (method === 'tls') return Object.freeze({ method, identity });
      return Object.freeze({
        method: method as EapMethod,
        identity,
        username: read.string(entry.username, `${where}.username`, 1, 32),
        password: read.string(entry.password, `${where}.password`, 1, 32),
      });
    }),
  );
}

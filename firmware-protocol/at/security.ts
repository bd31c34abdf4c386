import { SECURITY_KINDS, type SecurityKind } from '../security.js';

/**
 * ESP-AT's `<ecn>` (AT+CWLAP, AT+CWSAP): ESP-IDF's auth-mode order, 0 OPEN, 1 WEP, 2 WPA_PSK,
 * 3 WPA2_PSK, 4 WPA_WPA2_PSK, 5 WPA2_ENTERPRISE, 6 WPA3_PSK, 7 WPA2_WPA3_PSK, 8 WAPI_PSK, 9 OWE,
 * and from ESP-AT 5.x 10 WPA3_ENT_192, 11 WPA3_EXT_PSK, 12 WPA3_EXT_PSK_MIXED_MODE, 13 DPP,
 * 14 WPA3_ENTERPRISE, 15 WPA2_WPA3_ENTERPRISE.
 */
export function securityToEcn(kind: SecurityKind): number {
  return SECURITY_KINDS.indexOf(kind);
}

/** The kind an `<ecn>` names, or null for a number this table does not know. */
export function ecnToSecurity(ecn: number): SecurityKind | null {
  return Number.isInteger(ecn) && ecn >= 0 && ecn < SECURITY_KINDS.length ? SECURITY_KINDS[ecn] : null;
}

/**
 * How an access point is secured, in words rather than any protocol's numbers. The network
 * stack and the driver's back-end interface speak this; ESP-AT's `ecn` and nina-fw's
 * encryption type are converted at their own edges (at/security.ts, nina/security.ts).
 * The kinds follow ESP-IDF's `wifi_auth_mode_t`, which both firmwares report from (ESP-AT 5.x
 * documents `<ecn>` up to 15, WPA2_WPA3_ENTERPRISE).
 */
export const SECURITY_KINDS = [
  'open',
  'wep',
  'wpa-psk',
  'wpa2-psk',
  'wpa-wpa2-psk',
  'wpa2-enterprise',
  'wpa3-psk',
  'wpa2-wpa3-psk',
  'wapi-psk',
  'owe',
  'wpa3-enterprise-192',
  'wpa3-ext-psk',
  'wpa3-ext-psk-mixed',
  'dpp',
  'wpa3-enterprise',
  'wpa2-wpa3-enterprise',
] as const;

export type SecurityKind = (typeof SECURITY_KINDS)[number];

export function isSecurityKind(text: string): text is SecurityKind {
  return (SECURITY_KINDS as readonly string[]).includes(text);
}

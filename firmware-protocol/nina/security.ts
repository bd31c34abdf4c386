import type { SecurityKind } from '../security.js';
import { EncryptionType } from './constants.js';

/**
 * nina-fw's encryption type (GET_IDX_ENCT, GET_CURR_ENCT): its mapping of ESP-IDF auth modes onto
 * the Arduino WiFi library's numbers. WPA/WPA2 mixed reads as WPA2; anything newer as OTHER.
 */
export function securityToNinaEncryption(kind: SecurityKind): number {
  switch (kind) {
    case 'open':
      return EncryptionType.OPEN;
    case 'wep':
      return EncryptionType.WEP;
    case 'wpa-psk':
      return EncryptionType.WPA_PSK;
    case 'wpa2-psk':
    case 'wpa-wpa2-psk':
      return EncryptionType.WPA2_PSK;
    default:
      return EncryptionType.OTHER;
  }
}

/** What a host can tell from nina-fw's number: OTHER is enterprise or WPA3, reported as WPA2-Enterprise. */
export function ninaEncryptionToSecurity(encryption: number): SecurityKind {
  switch (encryption) {
    case EncryptionType.OPEN:
      return 'open';
    case EncryptionType.WEP:
      return 'wep';
    case EncryptionType.WPA_PSK:
      return 'wpa-psk';
    case EncryptionType.WPA2_PSK:
      return 'wpa2-psk';
    default:
      return 'wpa2-enterprise';
  }
}

import { describe, expect, it } from 'vitest';
import { SECURITY_KINDS } from '../../firmware-protocol/security.js';
import { ecnToSecurity, securityToEcn } from '../../firmware-protocol/at/security.js';
import { ninaEncryptionToSecurity, securityToNinaEncryption } from '../../firmware-protocol/nina/security.js';

describe('security kinds at the protocol edges', () => {
  it('numbers ESP-AT ecn values in ESP-IDF auth-mode order and back', () => {
    expect(securityToEcn('open')).toBe(0);
    expect(securityToEcn('wpa2-psk')).toBe(3);
    expect(securityToEcn('wpa2-wpa3-psk')).toBe(7);
    for (const kind of SECURITY_KINDS) expect(ecnToSecurity(securityToEcn(kind))).toBe(kind);
    expect(ecnToSecurity(42)).toBeNull();
  });

  it("maps to nina-fw's encryption types as the firmware does (mixed WPA/WPA2 reads as WPA2)", () => {
    expect(securityToNinaEncryption('open')).toBe(7);
    expect(securityToNinaEncryption('wpa-wpa2-psk')).toBe(4);
    expect(securityToNinaEncryption('wpa3-psk')).toBe(255);
    expect(ninaEncryptionToSecurity(5)).toBe('wep');
    expect(ninaEncryptionToSecurity(255)).toBe('wpa2-enterprise');
  });
});

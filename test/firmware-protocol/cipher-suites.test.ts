import { describe, expect, it } from 'vitest';
import { ESP_AT_41_C3_CIPHER_SUITES } from '../../firmware-protocol/at/cipher-suites.js';
import { findProfile } from '../../firmware-protocol/at/profiles.js';

/** The ESP-AT 4.1 (ESP32-C3) TLS library's suites: mbedTLS 3.6.3's order for that build (cipher-suites.ts). */
describe('ESP-AT 4.1 cipher suites', () => {
  it('78 distinct TLS 1.2 suites, AES only, no TLS 1.3 / ChaCha / Camellia / ARIA / NULL / 3DES suites', () => {
    const ids = ESP_AT_41_C3_CIPHER_SUITES.map((suite) => suite.id);
    expect(ids).toHaveLength(78);
    expect(new Set(ids).size).toBe(78);
    for (const { id, name } of ESP_AT_41_C3_CIPHER_SUITES) {
      expect(id >> 8).not.toBe(0x13);
      expect(name).toMatch(/^TLS-[A-Z-]+-WITH-AES-(128|256)-(GCM-SHA256|GCM-SHA384|CCM|CCM-8|CBC-SHA|CBC-SHA256|CBC-SHA384)$/);
    }
  });

  it('keeps the library order: ephemeral AES-256, AES-128, PSK ephemeral, static, RSA-PSK, PSK', () => {
    const head = ESP_AT_41_C3_CIPHER_SUITES.slice(0, 4).map((suite) => suite.id);
    expect(head).toEqual([0xc02c, 0xc030, 0x009f, 0xc0ad]);
    const at = (id: number): number => ESP_AT_41_C3_CIPHER_SUITES.findIndex((suite) => suite.id === id);
    expect(at(0xc023)).toBe(18);
    expect(at(0xc0ad)).toBe(3);
    expect(at(0x00ab)).toBe(26);
    expect(at(0x009d)).toBe(40);
    expect(at(0x00ad)).toBe(62);
    expect(ESP_AT_41_C3_CIPHER_SUITES.at(-1)).toEqual({ id: 0xc0a8, name: 'TLS-PSK-WITH-AES-128-CCM-8' });
  });

  it('only the 4.1 profile has the list', () => {
    expect(findProfile('esp32c3-at-4.1')?.ssl.cipherSuites).toBe(ESP_AT_41_C3_CIPHER_SUITES);
    expect(findProfile('esp32-at-2.x')?.ssl.cipherSuites).toBeUndefined();
  });
});

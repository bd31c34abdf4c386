import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { ESP_AT_41_C3_CIPHER_SUITES } from '../../firmware-protocol/at/cipher-suites.js';
import { OPENSSL_SUITE_NAMES, opensslSuites } from '../../emulator/network/openssl-suites.js';

describe('OpenSSL names of the firmware suites', () => {
  it('every name is one node:tls takes; only the 12 static ECDH suites of the 4.1 list have none', () => {
    // getCiphers() leaves the CCM suites out; a context refuses a name it has not ("no cipher match").
    for (const name of OPENSSL_SUITE_NAMES.values()) expect(() => createSecureContext({ ciphers: name })).not.toThrow();
    expect(() => createSecureContext({ ciphers: 'ECDH-ECDSA-AES128-SHA' })).toThrow();
    const { names, missing } = opensslSuites(ESP_AT_41_C3_CIPHER_SUITES.map((suite) => suite.id));
    expect(names).toHaveLength(66);
    expect(missing.map((id) => ESP_AT_41_C3_CIPHER_SUITES.find((suite) => suite.id === id)?.name)).toEqual(
      expect.arrayContaining(['TLS-ECDH-RSA-WITH-AES-256-GCM-SHA384', 'TLS-ECDH-ECDSA-WITH-AES-128-CBC-SHA']),
    );
    expect(missing.every((id) => /^TLS-ECDH-(RSA|ECDSA)-/.test(ESP_AT_41_C3_CIPHER_SUITES.find((s) => s.id === id)?.name ?? ''))).toBe(true);
    expect(missing).toHaveLength(12);
  });

  it('keeps the order asked for', () => {
    expect(opensslSuites([0xc0ad, 0xc023, 0xc032, 0x008c])).toEqual({
      names: ['ECDHE-ECDSA-AES256-CCM', 'ECDHE-ECDSA-AES128-SHA256', 'PSK-AES128-CBC-SHA'],
      missing: [0xc032],
    });
  });
});

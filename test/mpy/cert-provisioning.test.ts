/**
 * Certificates a script gives ssl become entries of the module's store (src/mpy/cert-provisioning.ts):
 * on emu: added to the world the emulator reads at each TLS connect, once each, PEM or DER; on a
 * real module refused with directions.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../../emulator/world-config.js';
import { isOSError } from '../../src/errors.js';
import { FLASH_STORE, provisionedWorld } from '../../src/mpy/cert-provisioning.js';
import { makeTestPki, type TestPki } from '../helpers/tls-lab.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

const der = (pem: string): Buffer => new X509Certificate(pem).raw;

function errnoNameOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (isOSError(err, 'EINVAL')) return 'EINVAL';
    if (isOSError(err, 'EOPNOTSUPP')) return 'EOPNOTSUPP';
    throw err;
  }
  return 'none';
}

describe('certificate provisioning for copro mpy', () => {
  it('adds a CA once, whether given as PEM or DER, to the store the emulator reads', () => {
    const { world, provisioning } = provisionedWorld(DEFAULT_WORLD);
    expect(world.tls?.caCerts).toHaveLength(0);
    expect(provisioning.caIndex(Buffer.from(pki.ca.cert))).toBe(0);
    expect(provisioning.caIndex(der(pki.ca.cert))).toBe(0);
    expect(provisioning.caIndex(Buffer.from(pki.selfSigned.cert))).toBe(1);
    expect(world.tls?.caCerts.map((entry) => entry.subjects)).toEqual([['CN=copro test CA'], ['CN=peer.lab']]);
    expect(DEFAULT_WORLD.tls?.caCerts).toHaveLength(0);
  });

  it('adds a client certificate with its key (PEM or DER), and refuses a key that is not its own', () => {
    const { world, provisioning } = provisionedWorld(DEFAULT_WORLD);
    const keyDer = createPrivateKey(pki.client.key).export({ type: 'pkcs8', format: 'der' });
    expect(provisioning.clientIndex(Buffer.from(pki.client.cert), keyDer)).toBe(0);
    expect(provisioning.clientIndex(der(pki.client.cert), Buffer.from(pki.client.key))).toBe(0);
    expect(world.tls?.clientCerts.map((entry) => entry.subject)).toEqual(['CN=copro-module']);
    expect(errnoNameOf(() => provisioning.clientIndex(Buffer.from(pki.client.cert), Buffer.from(pki.server.key)))).toBe('EINVAL');
    expect(errnoNameOf(() => provisioning.caIndex(Buffer.from('not a certificate')))).toBe('EINVAL');
  });

  it("refuses, on a real module, with directions to the module's own store", () => {
    expect(errnoNameOf(() => FLASH_STORE.caIndex(Buffer.from(pki.ca.cert)))).toBe('EOPNOTSUPP');
    expect(() => FLASH_STORE.caIndex(Buffer.from(pki.ca.cert))).toThrow(/docs\/tls\.md.*ca_certs=0/);
    expect(() => FLASH_STORE.clientIndex(Buffer.from(pki.client.cert), Buffer.from(pki.client.key))).toThrow(/certfile=0/);
  });
});

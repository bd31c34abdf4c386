/**
 * Certificates a script hands to ssl (cadata, load_cert_chain) become entries of the module's
 * certificate store, which is where the module's TLS takes them from (docs/tls.md). An emulated
 * module in this process (`emu:`) gets them at once: its world's store is a list this class adds
 * to, which the emulator reads at each TLS connect. A real module's store is in its flash and
 * cannot be written while it runs, so there the script is told how to provision it.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { CaEntry, CertificateStore, ClientCertEntry } from '../../emulator/network/cert-store.js';
import type { WorldConfig } from '../../emulator/world-config.js';
import { osError } from '../errors.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const FROM_SCRIPT = '(given by the script)';

/** A certificate or key as the script gave it: PEM text or DER bytes. */
function certificatesOf(material: Buffer, what: string): X509Certificate[] {
  const text = material.toString('latin1');
  try {
    const blocks = text.includes('-----BEGIN') ? (text.match(PEM_CERTIFICATE) ?? []) : [material];
    if (blocks.length === 0) throw new Error('no certificate');
    return blocks.map((block) => new X509Certificate(block));
  } catch {
    throw osError('EINVAL', `${what} is not a PEM or DER certificate`);
  }
}

function keyOf(material: Buffer): KeyObject {
  if (material.toString('latin1').includes('-----BEGIN')) return createPrivateKey(material);
  for (const type of ['pkcs8', 'sec1', 'pkcs1'] as const) {
    try {
      return createPrivateKey({ key: material, format: 'der', type });
    } catch {
      // the next DER layout
    }
  }
  throw new Error('not a key');
}

const subjectOf = (certificate: X509Certificate): string => certificate.subject.split('\n').join(', ');

export interface StoreProvisioning {
  /** The CA entry holding `material` (added if new). */
  caIndex(material: Buffer): number;
  /** The client certificate entry holding this certificate and key (added if new). */
  clientIndex(cert: Buffer, key: Buffer): number;
}

/** The in-process emulator's store: the world to start it with, and the provisioning into it. */
export function provisionedWorld(world: WorldConfig): { world: WorldConfig; provisioning: StoreProvisioning } {
  const caCerts: CaEntry[] = [...(world.tls?.caCerts ?? [])];
  const clientCerts: ClientCertEntry[] = [...(world.tls?.clientCerts ?? [])];
  const store: CertificateStore = { caCerts, clientCerts };
  const provisioning: StoreProvisioning = {
    caIndex(material) {
      const certificates = certificatesOf(material, 'cadata');
      const pem = certificates.map((c) => c.toString()).join('');
      const known = caCerts.findIndex((entry) => entry.pem === pem);
      if (known >= 0) return known;
      caCerts.push({ file: FROM_SCRIPT, pem, subjects: certificates.map(subjectOf) });
      return caCerts.length - 1;
    },
    clientIndex(certMaterial, keyMaterial) {
      const [leaf] = certificatesOf(certMaterial, 'the certificate');
      let key: KeyObject;
      try {
        key = keyOf(keyMaterial);
      } catch {
        throw osError('EINVAL', 'the key is not an unencrypted PEM or DER private key');
      }
      if (!leaf.checkPrivateKey(key)) throw osError('EINVAL', 'the key does not belong to the certificate');
      const certPem = leaf.toString();
      const known = clientCerts.findIndex((entry) => entry.certPem === certPem);
      if (known >= 0) return known;
      const keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
      clientCerts.push({ certFile: FROM_SCRIPT, keyFile: FROM_SCRIPT, certPem, keyPem, subject: subjectOf(leaf) });
      return clientCerts.length - 1;
    },
  };
  return { world: { ...world, tls: store }, provisioning };
}

/** A real module (or an emulator in another process): its store cannot be written from here. */
export const FLASH_STORE: StoreProvisioning = {
  caIndex() {
    throw osError(
      'EOPNOTSUPP',
      "a real module verifies with the CA certificates in its own flash: provision this one there (docs/tls.md, 'Provisioning a real module') and pass its entry number instead, e.g. ssl.wrap_socket(s, cert_reqs=ssl.CERT_REQUIRED, ca_certs=0)",
    );
  },
  clientIndex() {
    throw osError(
      'EOPNOTSUPP',
      "a real module presents the client certificates in its own flash: provision this one there (docs/tls.md, 'Provisioning a real module') and pass its entry number instead, e.g. certfile=0",
    );
  },
};

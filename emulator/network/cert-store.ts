import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FieldReader } from './config-fields.js';

/**
 * The module's certificate store: what a real module keeps in flash (ESP-AT 2.x: the client_ca /
 * client_cert / client_key partitions; 3.x: the mfg_nvs namespaces), here read from PEM files named
 * by the world config. Entries are addressed by index, as AT+CIPSSLCCONF's <ca_number> and
 * <pki_number> address them.
 *
 * JSON (the `tls` section of the world config; paths relative to the config file):
 * ```json
 * "tls": {
 *   "caFiles": ["certs/lab-ca.pem", "certs/other-ca.pem"],
 *   "clientCertFile": "certs/module.crt", "clientKeyFile": "certs/module.key"
 * }
 * ```
 * or, for several client certificates, `"clientCerts": [{ "certFile": "...", "keyFile": "..." }, ...]`
 * instead of the clientCertFile/clientKeyFile pair (which is shorthand for a one-entry list).
 * `serverCertFile`/`serverKeyFile` (and `serverCaFile`, to check clients) are the SSL server's
 * (AT+CIPSERVER "SSL"; the server_cert, server_key, server_ca partitions).
 * Each CA file is one entry (it may hold a bundle of several certificates). Every file is read and
 * checked when the config is loaded: PEM certificates that parse, a key that parses and belongs to
 * its certificate.
 */

export interface CaEntry {
  /** The file it came from (absolute), for traces. */
  readonly file: string;
  /** PEM text: one or more certificates. */
  readonly pem: string;
  /** Subjects of the certificates in it, e.g. "CN=copro test CA". */
  readonly subjects: readonly string[];
}

export interface ClientCertEntry {
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly subject: string;
}

export interface CertificateStore {
  /** By <ca_number>. */
  readonly caCerts: readonly CaEntry[];
  /** By <pki_number>. */
  readonly clientCerts: readonly ClientCertEntry[];
  /** The SSL server's certificate and key (server_cert, server_key); null: none flashed. */
  readonly server?: ClientCertEntry | null;
  /** The CA the SSL server checks its clients with (server_ca, `<CA enable>` 1). */
  readonly serverCa?: CaEntry | null;
}

export const EMPTY_CERT_STORE: CertificateStore = Object.freeze({
  caCerts: Object.freeze([]),
  clientCerts: Object.freeze([]),
});

const STORE_KEYS = ['caFiles', 'clientCertFile', 'clientKeyFile', 'clientCerts', 'serverCertFile', 'serverKeyFile', 'serverCaFile'];
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function subjectText(certificate: X509Certificate): string {
  return certificate.subject.split('\n').join(', ');
}

function readText(read: FieldReader, path: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    return read.fail(path, `cannot read ${file} (${(error as Error).message})`);
  }
}

function parseCertificates(read: FieldReader, path: string, file: string, text: string): X509Certificate[] {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) read.fail(path, `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      return read.fail(path, `${file}: certificate ${index + 1} does not parse (${(error as Error).message})`);
    }
  });
}

function readCa(read: FieldReader, value: unknown, path: string, baseDir: string): CaEntry {
  const file = resolve(baseDir, read.string(value, path, 1, 4096));
  const pem = readText(read, path, file);
  const subjects = parseCertificates(read, path, file, pem).map(subjectText);
  return Object.freeze({ file, pem, subjects: Object.freeze(subjects) });
}

function readClient(
  read: FieldReader,
  certValue: unknown,
  keyValue: unknown,
  [certPath, keyPath]: readonly [string, string],
  baseDir: string,
): ClientCertEntry {
  const certFile = resolve(baseDir, read.string(certValue, certPath, 1, 4096));
  const keyFile = resolve(baseDir, read.string(keyValue, keyPath, 1, 4096));
  const certPem = readText(read, certPath, certFile);
  const keyPem = readText(read, keyPath, keyFile);
  const [leaf] = parseCertificates(read, certPath, certFile, certPem);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    return read.fail(keyPath, `${keyFile} is not a usable unencrypted PEM private key (${(error as Error).message})`);
  }
  if (!leaf.checkPrivateKey(key)) read.fail(keyPath, `${keyFile} is not the private key of ${certFile}`);
  return Object.freeze({ certFile, keyFile, certPem, keyPem, subject: subjectText(leaf) });
}

/** Reads and checks the `tls` section; file paths are taken relative to `baseDir`. */
export function readCertificateStore(read: FieldReader, value: unknown, baseDir: string): CertificateStore {
  const section = read.object(value, 'tls');
  read.onlyKeys(section, STORE_KEYS, 'tls');
  const caCerts =
    section.caFiles === undefined
      ? []
      : read.array(section.caFiles, 'tls.caFiles').map((file, index) => readCa(read, file, `tls.caFiles[${index}]`, baseDir));
  const shorthand = section.clientCertFile !== undefined || section.clientKeyFile !== undefined;
  if (shorthand && section.clientCerts !== undefined) {
    read.fail('tls.clientCerts', 'give either clientCerts or the clientCertFile/clientKeyFile pair, not both');
  }
  let clientCerts: ClientCertEntry[] = [];
  if (shorthand) {
    if (section.clientCertFile === undefined) read.fail('tls.clientCertFile', 'is missing (clientKeyFile needs it)');
    if (section.clientKeyFile === undefined) read.fail('tls.clientKeyFile', 'is missing (clientCertFile needs it)');
    const paths = ['tls.clientCertFile', 'tls.clientKeyFile'] as const;
    clientCerts = [readClient(read, section.clientCertFile, section.clientKeyFile, paths, baseDir)];
  } else if (section.clientCerts !== undefined) {
    clientCerts = read.array(section.clientCerts, 'tls.clientCerts').map((entry, index) => {
      const path = `tls.clientCerts[${index}]`;
      const pair = read.object(entry, path);
      read.onlyKeys(pair, ['certFile', 'keyFile'], path);
      return readClient(read, pair.certFile, pair.keyFile, [`${path}.certFile`, `${path}.keyFile`], baseDir);
    });
  }
  const server =
    section.serverCertFile === undefined && section.serverKeyFile === undefined
      ? null
      : readClient(read, section.serverCertFile, section.serverKeyFile, ['tls.serverCertFile', 'tls.serverKeyFile'], baseDir);
  const serverCa = section.serverCaFile === undefined ? null : readCa(read, section.serverCaFile, 'tls.serverCaFile', baseDir);
  return Object.freeze({ caCerts: Object.freeze(caCerts), clientCerts: Object.freeze(clientCerts), server, serverCa });
}

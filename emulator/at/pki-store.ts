import { X509Certificate } from 'node:crypto';
import {
  factoryPkiKey,
  isIntegerValue,
  PKI_NAMESPACES,
  pkiKeys,
  type NvsNamespace,
  type PkiPart,
  type PkiUser,
} from '../../firmware-protocol/at/manufacturing.js';
import { EMPTY_CERT_STORE, type CaEntry, type CertificateStore, type ClientCertEntry } from '../network/cert-store.js';
import { ManufacturingNvs } from './manufacturing-nvs.js';
import type { ModuleCore } from './module-core.js';

/**
 * Where a module's clients find their certificates, keys and CAs. ESP-AT 2.x and NonOS: the world
 * config's `tls` section stands for the flashed client_ca/client_cert/client_key partitions.
 * Profiles with a manufacturing NVS (ESP-AT 3.x and later): its namespaces (client_* for SSL
 * links, mqtt_* for the MQTT client, wpa2_* for enterprise joins), flashed the first time with the
 * world's `tls` entries and changed by the host with AT+SYSMFG.
 */

const stores = new WeakMap<ModuleCore, ManufacturingNvs>();

/** The module's manufacturing NVS, or null where the firmware has none. */
export function manufacturingNvs(core: ModuleCore): ManufacturingNvs | null {
  const model = core.profile.manufacturing;
  if (model === undefined) return null;
  let nvs = stores.get(core);
  if (nvs === undefined) {
    nvs = new ManufacturingNvs(model, core.flash.store, () => [...factoryPki(core), ...model.factory]);
    stores.set(core, nvs);
  }
  return nvs;
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * The world's PEM files as mfg_nvs.py lays them out for the SSL server and the SSL and MQTT
 * clients, in its order (at_customized_config_dependency.txt: the server's, then the SSL client's,
 * then MQTT's, each cert, key, CA; the factory_param namespace after them).
 */
function factoryPki(core: ModuleCore): NvsNamespace[] {
  const world = core.world.tls ?? EMPTY_CERT_STORE;
  const parts: readonly (readonly [PkiPart, readonly string[]])[] = [
    ['cert', world.clientCerts.map((client) => client.certPem)],
    ['key', world.clientCerts.map((client) => client.keyPem)],
    ['ca', world.caCerts.map((ca) => ca.pem)],
  ];
  const spaces: NvsNamespace[] = [];
  const server: readonly (readonly [PkiPart, readonly string[]])[] = [
    ['cert', world.server ? [world.server.certPem] : []],
    ['key', world.server ? [world.server.keyPem] : []],
    ['ca', world.serverCa ? [world.serverCa.pem] : []],
  ];
  for (const [part, pems] of server) {
    const namespace = PKI_NAMESPACES.server[part];
    if (pems.length > 0) spaces.push({ namespace, entries: [{ key: namespace, value: { type: 8, bytes: ascii(pems[0]) } }] });
  }
  for (const user of ['ssl', 'mqtt'] as const) {
    for (const [part, pems] of parts) {
      if (pems.length === 0) continue;
      const namespace = PKI_NAMESPACES[user][part];
      const entries = pems.map((pem, index) => ({
        key: factoryPkiKey(namespace, index, pems.length),
        value: { type: 8 as const, bytes: ascii(pem) },
      }));
      spaces.push({ namespace, entries });
    }
  }
  return spaces;
}

/** Entry `index` of a PKI namespace as text, or undefined when the NVS has none. */
function nvsEntry(nvs: ManufacturingNvs, namespace: string, index: number): string | undefined {
  for (const key of pkiKeys(namespace, index)) {
    const value = nvs.get(namespace, key);
    if (value !== undefined && !isIntegerValue(value)) return new TextDecoder().decode(value.bytes);
  }
  return undefined;
}

/** The indexes a PKI namespace has entries for (`<ns>.<n>`, and the bare `<ns>` as 0). */
function nvsIndexes(nvs: ManufacturingNvs, namespace: string): number[] {
  const indexes = new Set<number>();
  for (const [key] of nvs.keys(namespace) ?? []) {
    if (key === namespace) indexes.add(0);
    const match = key.startsWith(`${namespace}.`) ? /^\d{1,3}$/.exec(key.slice(namespace.length + 1)) : null;
    if (match) indexes.add(Number(match[0]));
  }
  return [...indexes];
}

function subjects(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const names: string[] = [];
  for (const block of blocks) {
    try {
      names.push(new X509Certificate(block).subject.split('\n').join(', '));
    } catch {
      // Not a certificate mbedTLS would parse either: the handshake will fail, as on the module.
    }
  }
  return names;
}

function storeFromNvs(nvs: ManufacturingNvs, user: 'ssl' | 'mqtt' | 'https'): CertificateStore {
  const names = PKI_NAMESPACES[user];
  const caCerts: CaEntry[] = [];
  for (const index of nvsIndexes(nvs, names.ca)) {
    const pem = nvsEntry(nvs, names.ca, index);
    if (pem !== undefined) caCerts[index] = { file: `${nvs.model.partition}:${names.ca}.${index}`, pem, subjects: subjects(pem) };
  }
  const clientCerts: ClientCertEntry[] = [];
  for (const index of nvsIndexes(nvs, names.cert)) {
    const certPem = nvsEntry(nvs, names.cert, index);
    const keyPem = nvsEntry(nvs, names.key, index);
    if (certPem === undefined || keyPem === undefined) continue;
    clientCerts[index] = {
      certFile: `${nvs.model.partition}:${names.cert}.${index}`,
      keyFile: `${nvs.model.partition}:${names.key}.${index}`,
      certPem,
      keyPem,
      subject: subjects(certPem)[0] ?? '?',
    };
  }
  return { caCerts, clientCerts, ...serverFromNvs(nvs) };
}

/** The SSL server's certificate, key and client CA (server_cert, server_key, server_ca entry 0). */
function serverFromNvs(nvs: ManufacturingNvs): Pick<CertificateStore, 'server' | 'serverCa'> {
  const names = PKI_NAMESPACES.server;
  const partition = nvs.model.partition;
  const certPem = nvsEntry(nvs, names.cert, 0);
  const keyPem = nvsEntry(nvs, names.key, 0);
  const caPem = nvsEntry(nvs, names.ca, 0);
  return {
    server:
      certPem !== undefined && keyPem !== undefined
        ? { certFile: `${partition}:${names.cert}`, keyFile: `${partition}:${names.key}`, certPem, keyPem, subject: subjects(certPem)[0] ?? '?' }
        : null,
    serverCa: caPem !== undefined ? { file: `${partition}:${names.ca}`, pem: caPem, subjects: subjects(caPem) } : null,
  };
}

/**
 * The certificate store the SSL links, the MQTT client or the HTTP client read, by
 * `<ca_number>`/`<pki_number>` (CA_ID/cert_key_ID). Entries may be missing in the middle: test each
 * index, not the length. The HTTP client's (https_*) exists only in a manufacturing NVS.
 */
export function certificateStore(core: ModuleCore, user: 'ssl' | 'mqtt' | 'https' = 'ssl'): CertificateStore {
  const nvs = manufacturingNvs(core);
  if (nvs === null) return user === 'https' ? EMPTY_CERT_STORE : (core.world.tls ?? EMPTY_CERT_STORE);
  return storeFromNvs(nvs, user);
}

/** Whether the manufacturing NVS holds entry `index` of `user`'s `part` namespace (at_get_pki_count > index). */
export function pkiEntryPresent(core: ModuleCore, user: PkiUser, part: PkiPart, index: number): boolean {
  const nvs = manufacturingNvs(core);
  return nvs !== null && nvsEntry(nvs, PKI_NAMESPACES[user][part], index) !== undefined;
}

/**
 * Whether the enterprise join's `wpa2_<part>` material is there: a namespace key in the
 * manufacturing NVS, else a partition that is not erased (AT+SYSFLASH provisions it).
 */
export function eapMaterialPresent(core: ModuleCore, part: PkiPart): boolean {
  const name = PKI_NAMESPACES.eap[part];
  const nvs = manufacturingNvs(core);
  if (nvs !== null) return nvsEntry(nvs, name, 0) !== undefined;
  const partition = core.flash.find(name);
  if (partition === undefined) return false;
  return !core.flash.read(partition, 0, partition.size).every((byte) => byte === 0xff);
}

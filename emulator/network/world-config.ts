import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AccessPointInfo } from './types.js';
import { FieldReader, WorldConfigError, type JsonObject } from './config-fields.js';
import { EMPTY_CERT_STORE, readCertificateStore, type CertificateStore } from './cert-store.js';
import { parseFaultsSection, type FaultsConfig } from '../faults/faults-config.js';
import { parseOutboundSection, type OutboundConfig } from '../security/outbound-policy.js';

export { WorldConfigError } from './config-fields.js';

/**
 * The radio world a virtual module lives in: the access points it can see and join, what their DHCP
 * servers hand out, the names its DNS knows, and how long the radio takes to do things.
 *
 * JSON shape (every top-level section is optional; an absent section is DEFAULT_WORLD's):
 * ```json
 * {
 *   "accessPoints": [{ "ssid": "copro-lab", "password": "labpass123", "rssi": -45, "channel": 6,
 *                      "bssid": "ca:d7:19:d8:a6:44", "ecn": 3,
 *                      "ip": "192.168.10.42", "gateway": "192.168.10.1", "netmask": "255.255.255.0" }],
 *   "hosts": { "copro.local": "127.0.0.1" },
 *   "station": { "mac": "24:0a:c4:c0:90:01" },
 *   "timing": { "scale": 1, "associateMs": 400, "dhcpMs": 200, "wrongPasswordMs": 4000, "noApMs": 2500, "scanMs": 1500 },
 *   "ports": { "80": 8080 },
 *   "tls": { "caFiles": ["certs/ca.pem"], "clientCertFile": "certs/module.crt", "clientKeyFile": "certs/module.key" },
 *   "faults": { "seed": 42, "plan": ["reset@10s..60s*", "corrupt@1/20000:dir=out"] },
 *   "outbound": { "allow": ["loopback", "tcp private:1883"], "deny": ["169.254.169.254"] }
 * }
 * ```
 * - `password` absent or "" = open network (ecn 0); otherwise ecn defaults to 3 (WPA2_PSK) and a WPA
 *   passphrase is 8..63 bytes, as the firmware requires.
 * - `ip`/`gateway`/`netmask` are what the AP's DHCP gives the module; they exist only in the module's world.
 * - `timing` fields absent take the defaults; every duration is multiplied by `scale` (0.01 in tests).
 * - `ports` maps a module server port to the host port it listens on (0 = any free port); see host-mapping.md.
 * - `tls` is the module's certificate store, as real modules keep it in flash: PEM files (paths relative to
 *   the config file), CA entries by AT+CIPSSLCCONF's <ca_number>, client certificate+key pairs by
 *   <pki_number> (`clientCerts: [{ certFile, keyFile }]` for several). Checked at load; see cert-store.ts
 *   and docs/tls.md.
 * - `faults` arms fault injection from the start, `outbound` limits where the module may send; both are
 *   described in docs/reliability.md (syntax in faults/fault-spec.ts and security/outbound-rules.ts).
 */

export interface AccessPoint extends AccessPointInfo {
  /** "" = open network. */
  readonly password: string;
  /** The address this AP's DHCP server leases to the module. */
  readonly ip: string;
  readonly gateway: string;
  readonly netmask: string;
}

export interface WorldTiming {
  /** Multiplies every duration below; 1 = realistic, 0.01 for fast tests, 0 = instant. */
  readonly scale: number;
  /** Authentication + association + WPA2 4-way handshake, until "WIFI CONNECTED". */
  readonly associateMs: number;
  /** DHCP DISCOVER..ACK, from "WIFI CONNECTED" to "WIFI GOT IP". */
  readonly dhcpMs: number;
  /** How long a join with a wrong passphrase takes to fail (the handshake times out and is retried). */
  readonly wrongPasswordMs: number;
  /** How long a join to an SSID nobody broadcasts takes to fail (a full scan of every channel, retried). */
  readonly noApMs: number;
  /** One scan of every channel (AT+CWLAP). */
  readonly scanMs: number;
}

export interface WorldConfig {
  readonly accessPoints: readonly AccessPoint[];
  /** Lower-case host name (no trailing dot) -> IPv4 address. */
  readonly hosts: Readonly<Record<string, string>>;
  readonly station: { readonly mac: string };
  readonly timing: WorldTiming;
  /** Module server port (decimal string) -> host port (0 = ephemeral). */
  readonly ports: Readonly<Record<string, number>>;
  /** The module's certificate store (absent = empty). */
  readonly tls?: CertificateStore;
  /** Faults armed from the start and their seed (docs/reliability.md); absent = none. */
  readonly faults?: FaultsConfig;
  /** Where the module may send: allow/deny rules (docs/reliability.md); absent = everywhere. */
  readonly outbound?: OutboundConfig;
}

/**
 * The world used when no file is given. One WPA2 network whose DHCP leases 192.168.10.42/24 behind
 * gateway 192.168.10.1 (not 192.168.4.x: that is the ESP32 softAP's own default subnet). The bssid is a
 * locally administered address; the station MAC uses Espressif's OUI like a real module's.
 * `copro.local` names the host machine for code that wants a name rather than 127.0.0.1.
 */
export const DEFAULT_WORLD: WorldConfig = Object.freeze({
  accessPoints: Object.freeze([
    Object.freeze({
      ssid: 'copro-lab',
      password: 'labpass123',
      ecn: 3,
      rssi: -45,
      channel: 6,
      bssid: 'ca:d7:19:d8:a6:44',
      ip: '192.168.10.42',
      gateway: '192.168.10.1',
      netmask: '255.255.255.0',
    }),
  ]),
  hosts: Object.freeze({ 'copro.local': '127.0.0.1' }),
  station: Object.freeze({ mac: '24:0a:c4:c0:90:01' }),
  timing: Object.freeze({
    scale: 1,
    associateMs: 400,
    dhcpMs: 200,
    wrongPasswordMs: 4000,
    noApMs: 2500,
    scanMs: 1500,
  }),
  ports: Object.freeze({}),
  tls: EMPTY_CERT_STORE,
});

const TIMING_KEYS = ['scale', 'associateMs', 'dhcpMs', 'wrongPasswordMs', 'noApMs', 'scanMs'] as const;
const AP_KEYS = ['ssid', 'password', 'rssi', 'channel', 'bssid', 'ecn', 'ip', 'gateway', 'netmask'];

/** A timing field in milliseconds of real time, `scale` applied. */
export function scaledMs(timing: WorldTiming, key: Exclude<keyof WorldTiming, 'scale'>): number {
  return timing[key] * timing.scale;
}

/** The host port a module server port should listen on: the `ports` mapping, or the same port. */
export function hostPortFor(world: WorldConfig, modulePort: number): number {
  return world.ports[String(modulePort)] ?? modulePort;
}

export interface ParseWorldOptions {
  /** Directory that relative file names (the `tls` PEM files) are taken from; default the working directory. */
  readonly baseDir?: string;
}

/** Validates a parsed JSON document and fills in defaults. Throws WorldConfigError naming the bad field. */
export function parseWorldConfig(document: unknown, source = 'world config', options: ParseWorldOptions = {}): WorldConfig {
  const read = new FieldReader(source);
  const root = read.object(document, '');
  read.onlyKeys(root, ['accessPoints', 'hosts', 'station', 'timing', 'ports', 'tls', 'faults', 'outbound'], '');
  return Object.freeze({
    accessPoints:
      root.accessPoints === undefined ? DEFAULT_WORLD.accessPoints : readAccessPoints(read, root.accessPoints),
    hosts: root.hosts === undefined ? DEFAULT_WORLD.hosts : readHosts(read, root.hosts),
    station: root.station === undefined ? DEFAULT_WORLD.station : readStation(read, root.station),
    timing: root.timing === undefined ? DEFAULT_WORLD.timing : readTiming(read, root.timing),
    ports: root.ports === undefined ? DEFAULT_WORLD.ports : readPorts(read, root.ports),
    tls: root.tls === undefined ? DEFAULT_WORLD.tls : readCertificateStore(read, root.tls, resolve(options.baseDir ?? '.')),
    ...(root.faults === undefined ? {} : { faults: parseFaultsSection(read, root.faults) }),
    ...(root.outbound === undefined ? {} : { outbound: parseOutboundSection(read, root.outbound) }),
  });
}

/** Reads and validates a world config file (JSON). */
export async function loadWorldConfig(path: string): Promise<WorldConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WorldConfigError('', `cannot read file (${(error as Error).message})`, path);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new WorldConfigError('', `not valid JSON (${(error as Error).message})`, path);
  }
  return parseWorldConfig(document, path, { baseDir: dirname(resolve(path)) });
}

function readAccessPoints(read: FieldReader, value: unknown): readonly AccessPoint[] {
  const list = read.array(value, 'accessPoints').map((entry, index) => readAccessPoint(read, entry, index));
  const seen = new Set<string>();
  list.forEach((ap, index) => {
    if (seen.has(ap.bssid)) read.fail(`accessPoints[${index}].bssid`, `duplicates another AP's bssid ${ap.bssid}`);
    seen.add(ap.bssid);
  });
  return Object.freeze(list);
}

function readAccessPoint(read: FieldReader, value: unknown, index: number): AccessPoint {
  const path = `accessPoints[${index}]`;
  const ap = read.object(value, path);
  read.onlyKeys(ap, AP_KEYS, path);
  const field = (key: string): string => `${path}.${key}`;
  const password = ap.password === undefined ? '' : read.string(ap.password, field('password'), 0, 63);
  if (password !== '' && Buffer.byteLength(password) < 8) {
    read.fail(field('password'), 'a WPA passphrase must be 8..63 bytes long (or "" for an open network)');
  }
  const ecn = ap.ecn === undefined ? (password === '' ? 0 : 3) : read.integer(ap.ecn, field('ecn'), 0, 10);
  if ((ecn === 0) !== (password === '')) {
    read.fail(field('ecn'), password === '' ? 'an open network (no password) must have ecn 0' : 'ecn 0 (open) cannot have a password');
  }
  return Object.freeze({
    ssid: read.string(ap.ssid, field('ssid'), 1, 32),
    password,
    ecn,
    rssi: read.integer(ap.rssi, field('rssi'), -100, 0),
    channel: read.integer(ap.channel, field('channel'), 1, 14),
    bssid: read.mac(ap.bssid, field('bssid')),
    ip: read.ipv4(ap.ip, field('ip')),
    gateway: read.ipv4(ap.gateway, field('gateway')),
    netmask: read.ipv4(ap.netmask, field('netmask')),
  });
}

function readHosts(read: FieldReader, value: unknown): Readonly<Record<string, string>> {
  const hosts: Record<string, string> = {};
  for (const [name, ip] of Object.entries(read.object(value, 'hosts'))) {
    const path = `hosts[${JSON.stringify(name)}]`;
    hosts[read.hostName(name, path)] = read.ipv4(ip, path);
  }
  return Object.freeze(hosts);
}

function readStation(read: FieldReader, value: unknown): WorldConfig['station'] {
  const station = read.object(value, 'station');
  read.onlyKeys(station, ['mac'], 'station');
  return Object.freeze({
    mac: station.mac === undefined ? DEFAULT_WORLD.station.mac : read.mac(station.mac, 'station.mac'),
  });
}

function readTiming(read: FieldReader, value: unknown): WorldTiming {
  const timing: JsonObject = read.object(value, 'timing');
  read.onlyKeys(timing, TIMING_KEYS, 'timing');
  const get = (key: (typeof TIMING_KEYS)[number]): number =>
    timing[key] === undefined ? DEFAULT_WORLD.timing[key] : read.nonNegative(timing[key], `timing.${key}`);
  return Object.freeze({
    scale: get('scale'),
    associateMs: get('associateMs'),
    dhcpMs: get('dhcpMs'),
    wrongPasswordMs: get('wrongPasswordMs'),
    noApMs: get('noApMs'),
    scanMs: get('scanMs'),
  });
}

function readPorts(read: FieldReader, value: unknown): Readonly<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const [modulePort, hostPort] of Object.entries(read.object(value, 'ports'))) {
    const path = `ports[${JSON.stringify(modulePort)}]`;
    if (!/^[1-9][0-9]{0,4}$/.test(modulePort) || Number(modulePort) > 65535) {
      read.fail(path, 'the key must be a module port 1..65535');
    }
    ports[modulePort] = read.integer(hostPort, path, 0, 65535);
  }
  return Object.freeze(ports);
}

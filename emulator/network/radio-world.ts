import { isIP } from 'node:net';
import { ENTERPRISE_KINDS, readEapAccounts, type EapAccount } from './eap-world.js';
import { SECURITY_KINDS, isSecurityKind, type SecurityKind } from '../../firmware-protocol/security.js';
import { EMPTY_CERT_STORE, readCertificateStore, type CertificateStore } from './cert-store.js';
import { describe, type FieldReader, type JsonObject } from './config-fields.js';
import { ipv6Groups } from './ipv6-address.js';
import { DEFAULT_PING_WORLD, readPingWorld, type PingWorld } from './ping-world.js';
import { readOtaWorld, type OtaWorld } from './ota-world.js';
import { readNtpWorld, type NtpWorld } from './ntp-world.js';
import type { AccessPointInfo } from './types.js';

/**
 * The radio world the network stack simulates: the access points the module can see and join,
 * what their DHCP servers hand out, the names its DNS knows, how long the radio takes, which host
 * ports stand for module ports, and the certificates in the module's flash. The world file's
 * other sections (faults, outbound rules) belong to the layers around the stack; the whole file
 * is read by emulator/world-config.ts, which hands these sections to `readRadioWorld`.
 */

export interface AccessPoint extends AccessPointInfo {
  /** "" = open network. */
  readonly password: string;
  /** Its WPS push button is pressed: a station starting WPS (PBC) gets its credentials. */
  readonly wpsButton?: boolean;
  /** A WPA2-Enterprise network: the accounts its authentication server accepts (eap-world.ts). */
  readonly eap?: readonly EapAccount[];
  /** The address this AP's DHCP server leases to the module. */
  readonly ip: string;
  readonly gateway: string;
  readonly netmask: string;
  /** The DNS servers this AP's DHCP server hands out (option 6), in order; absent: the gateway. */
  readonly dns?: readonly string[];
  /**
   * The /64 prefix its router advertises (SLAAC), e.g. "2001:db8:10::": a station with IPv6 on makes
   * its global address from it. Absent: no IPv6 router (link-local addresses only).
   */
  readonly ipv6Prefix?: string;
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
  /** One scan of every channel. */
  readonly scanMs: number;
}

/**
 * An access point going off the air on a schedule: `atMs` after the module's network starts, for
 * `forMs` (absent: for good); both world-scaled. `bssid` picks one of several APs with the SSID.
 */
export interface ApOutage {
  readonly ssid: string;
  readonly bssid?: string;
  readonly atMs: number;
  readonly forMs?: number;
}

/**
 * A phone running ESP-Touch / AirKiss near the module: `afterMs` (scaled) after the module starts
 * SmartConfig of a matching type, it hands over these credentials (and ESP-Touch v2's reserved data).
 */
export interface SmartConfigPhone {
  readonly protocol: 'esptouch' | 'airkiss' | 'esptouch-v2';
  readonly ssid: string;
  readonly password: string;
  readonly reservedData?: string;
  readonly afterMs: number;
}

export interface RadioWorld {
  readonly accessPoints: readonly AccessPoint[];
  /** Lower-case host name (no trailing dot) -> IPv4 address (its A record). */
  readonly hosts: Readonly<Record<string, string>>;
  /**
   * Lower-case host name -> IPv6 address (its AAAA record), from the same `hosts` section: a name given
   * an IPv6 address, or both families as `["127.0.0.1", "::1"]`. Absent: no name has an IPv6 address.
   */
  readonly hostsIpv6?: Readonly<Record<string, string>>;
  readonly station: { readonly mac: string };
  readonly timing: WorldTiming;
  /** Module server port (decimal string) -> host port (0 = ephemeral). */
  readonly ports: Readonly<Record<string, number>>;
  /** The module's certificate store (absent = empty). */
  readonly tls?: CertificateStore;
  /** APs that go away and come back on a schedule (absent = none). */
  readonly outages?: readonly ApOutage[];
  /** A SmartConfig phone (absent = none: SmartConfig listens in vain). */
  readonly smartConfigPhone?: SmartConfigPhone;
  /** Round trips of simulated pings (absent = DEFAULT_PING_WORLD). */
  readonly ping?: PingWorld;
  /** Where the firmware's OTA servers are (AT+CIUPDATE; absent = their built-in names). */
  readonly ota?: OtaWorld;
  /** Where SNTP servers are (absent: their names are resolved, port 123). */
  readonly ntp?: NtpWorld;
}

/**
 * The world used when no file is given. One WPA2 network whose DHCP leases 192.168.10.42/24 behind
 * gateway 192.168.10.1 (not 192.168.4.x: that is the ESP32 softAP's own default subnet). The bssid is a
 * locally administered address; the station MAC uses Espressif's OUI like a real module's.
 * `copro.local` names the host machine for code that wants a name rather than 127.0.0.1.
 */
export const DEFAULT_RADIO_WORLD: RadioWorld = Object.freeze({
  accessPoints: Object.freeze([
    Object.freeze({
      ssid: 'copro-lab',
      password: 'labpass123',
      security: 'wpa2-psk' as const,
      rssi: -45,
      channel: 6,
      bssid: 'ca:d7:19:d8:a6:44',
      ip: '192.168.10.42',
      gateway: '192.168.10.1',
      netmask: '255.255.255.0',
      dns: Object.freeze(['192.168.10.1']),
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
  ping: DEFAULT_PING_WORLD,
});

/** The sections readRadioWorld reads. */
export const RADIO_WORLD_KEYS = ['accessPoints', 'hosts', 'station', 'timing', 'ports', 'tls', 'outages', 'smartConfigPhone', 'ping', 'ota', 'ntp'] as const;

const TIMING_KEYS = ['scale', 'associateMs', 'dhcpMs', 'wrongPasswordMs', 'noApMs', 'scanMs'] as const;
const AP_KEYS = ['ssid', 'password', 'rssi', 'channel', 'bssid', 'security', 'ip', 'gateway', 'netmask', 'dns', 'wpsButton', 'eap', 'ipv6Prefix'];

/** A timing field in milliseconds of real time, `scale` applied. */
export function scaledMs(timing: WorldTiming, key: Exclude<keyof WorldTiming, 'scale'>): number {
  return timing[key] * timing.scale;
}

/** The host port a module server port should listen on: the `ports` mapping, or the same port. */
export function hostPortFor(world: RadioWorld, modulePort: number): number {
  return world.ports[String(modulePort)] ?? modulePort;
}

/**
 * Another field an access point may give its security in (the world file's older `ecn`, in a
 * firmware's numbering that the stack does not speak): its key and how to read it.
 */
export interface SecurityAlias {
  readonly key: string;
  read(read: FieldReader, value: unknown, path: string): SecurityKind;
}

export interface RadioWorldReadOptions {
  /** Directory that relative file names (the `tls` PEM files) are taken from. */
  readonly baseDir: string;
  readonly securityAlias?: SecurityAlias;
}

/** The radio world's sections of a world document (absent ones are DEFAULT_RADIO_WORLD's). */
export function readRadioWorld(read: FieldReader, root: JsonObject, options: RadioWorldReadOptions): RadioWorld {
  const defaults = DEFAULT_RADIO_WORLD;
  return {
    accessPoints:
      root.accessPoints === undefined ? defaults.accessPoints : readAccessPoints(read, root.accessPoints, options.securityAlias),
    ...(root.hosts === undefined ? { hosts: defaults.hosts } : readHosts(read, root.hosts)),
    station: root.station === undefined ? defaults.station : readStation(read, root.station),
    timing: root.timing === undefined ? defaults.timing : readTiming(read, root.timing),
    ports: root.ports === undefined ? defaults.ports : readPorts(read, root.ports),
    tls: root.tls === undefined ? defaults.tls : readCertificateStore(read, root.tls, options.baseDir),
    ...(root.outages === undefined ? {} : { outages: readOutages(read, root.outages) }),
    ...(root.smartConfigPhone === undefined ? {} : { smartConfigPhone: readPhone(read, root.smartConfigPhone) }),
    ping: root.ping === undefined ? DEFAULT_PING_WORLD : readPingWorld(read, root.ping),
    ...(root.ota === undefined ? {} : { ota: readOtaWorld(read, root.ota) }),
    ...(root.ntp === undefined ? {} : { ntp: readNtpWorld(read, root.ntp) }),
  };
}

const PHONE_PROTOCOLS = ['esptouch', 'airkiss', 'esptouch-v2'] as const;

function readPhone(read: FieldReader, value: unknown): SmartConfigPhone {
  const path = 'smartConfigPhone';
  const phone = read.object(value, path);
  read.onlyKeys(phone, ['protocol', 'ssid', 'password', 'reservedData', 'afterMs'], path);
  const protocol = phone.protocol ?? 'esptouch';
  if (typeof protocol !== 'string' || !(PHONE_PROTOCOLS as readonly string[]).includes(protocol)) {
    read.fail(`${path}.protocol`, `must be one of ${PHONE_PROTOCOLS.join(', ')} (got ${describe(protocol)})`);
  }
  return Object.freeze({
    protocol: protocol as SmartConfigPhone['protocol'],
    ssid: read.string(phone.ssid, `${path}.ssid`, 1, 32),
    password: phone.password === undefined ? '' : read.string(phone.password, `${path}.password`, 0, 64),
    ...(phone.reservedData === undefined ? {} : { reservedData: read.string(phone.reservedData, `${path}.reservedData`, 1, 64) }),
    afterMs: phone.afterMs === undefined ? 3000 : read.nonNegative(phone.afterMs, `${path}.afterMs`),
  });
}

function readOutages(read: FieldReader, value: unknown): readonly ApOutage[] {
  return Object.freeze(
    read.array(value, 'outages').map((entry, index) => {
      const path = `outages[${index}]`;
      const outage = read.object(entry, path);
      read.onlyKeys(outage, ['ssid', 'bssid', 'atMs', 'forMs'], path);
      return Object.freeze({
        ssid: read.string(outage.ssid, `${path}.ssid`, 1, 32),
        ...(outage.bssid === undefined ? {} : { bssid: read.mac(outage.bssid, `${path}.bssid`) }),
        atMs: read.nonNegative(outage.atMs, `${path}.atMs`),
        ...(outage.forMs === undefined ? {} : { forMs: read.nonNegative(outage.forMs, `${path}.forMs`) }),
      });
    }),
  );
}

function readAccessPoints(read: FieldReader, value: unknown, alias: SecurityAlias | undefined): readonly AccessPoint[] {
  const list = read.array(value, 'accessPoints').map((entry, index) => readAccessPoint(read, entry, `accessPoints[${index}]`, alias));
  const seen = new Set<string>();
  list.forEach((ap, index) => {
    if (seen.has(ap.bssid)) read.fail(`accessPoints[${index}].bssid`, `duplicates another AP's bssid ${ap.bssid}`);
    seen.add(ap.bssid);
  });
  return Object.freeze(list);
}

function readAccessPoint(read: FieldReader, value: unknown, path: string, alias: SecurityAlias | undefined): AccessPoint {
  const ap = read.object(value, path);
  read.onlyKeys(ap, alias ? [...AP_KEYS, alias.key] : AP_KEYS, path);
  const field = (key: string): string => `${path}.${key}`;
  const password = ap.password === undefined ? '' : read.string(ap.password, field('password'), 0, 63);
  const eap = ap.eap === undefined ? undefined : readEapAccounts(read, ap.eap, field('eap'));
  if (eap && password !== '') read.fail(field('password'), 'an enterprise network (eap) has no passphrase');
  if (password !== '' && Buffer.byteLength(password) < 8) {
    read.fail(field('password'), 'a WPA passphrase must be 8..63 bytes long (or "" for an open network)');
  }
  const gateway = read.ipv4(ap.gateway, field('gateway'));
  return Object.freeze({
    ssid: read.string(ap.ssid, field('ssid'), 1, 32),
    password,
    security: eap ? readEnterpriseSecurity(read, ap, path) : readSecurity(read, ap, path, password, alias),
    rssi: read.integer(ap.rssi, field('rssi'), -100, 0),
    channel: read.integer(ap.channel, field('channel'), 1, 14),
    bssid: read.mac(ap.bssid, field('bssid')),
    ip: read.ipv4(ap.ip, field('ip')),
    gateway,
    netmask: read.ipv4(ap.netmask, field('netmask')),
    dns: readDhcpDns(read, ap.dns, field('dns'), gateway),
    ...(ap.wpsButton === undefined ? {} : { wpsButton: read.boolean(ap.wpsButton, field('wpsButton')) }),
    ...(ap.ipv6Prefix === undefined ? {} : { ipv6Prefix: readIpv6Prefix(read, ap.ipv6Prefix, field('ipv6Prefix')) }),
    ...(eap ? { eap } : {}),
  });
}

/** `ipv6Prefix`: an IPv6 address whose low 64 bits are zero (the advertised /64). */
function readIpv6Prefix(read: FieldReader, raw: unknown, where: string): string {
  const text = read.string(raw, where, 2, 39);
  const groups = ipv6Groups(text);
  if (groups === null || groups.slice(4).some((group) => group !== 0)) {
    read.fail(where, `give a /64 prefix such as "2001:db8:10::" (got ${JSON.stringify(text)})`);
  }
  return text;
}

/** An enterprise AP's `security`: absent, WPA2-Enterprise; else one of the enterprise kinds. */
function readEnterpriseSecurity(read: FieldReader, ap: JsonObject, path: string): SecurityKind {
  if (ap.security === undefined) return 'wpa2-enterprise';
  const security = readSecurityName(read, ap.security, `${path}.security`);
  if (!ENTERPRISE_KINDS.includes(security)) read.fail(`${path}.security`, `an AP with eap accounts is one of ${ENTERPRISE_KINDS.join(', ')}`);
  return security;
}

/** `dns`: one or two IPv4 servers the AP's DHCP offers; absent: the gateway, as home routers do. */
function readDhcpDns(read: FieldReader, raw: unknown, where: string, gateway: string): readonly string[] {
  if (raw === undefined) return Object.freeze([gateway]);
  const servers = read.array(raw, where);
  if (servers.length < 1 || servers.length > 2) read.fail(where, 'give one or two DNS server addresses');
  return Object.freeze(servers.map((server, index) => read.ipv4(server, `${where}[${index}]`)));
}

/** `security` by name (or the alias); absent: open without a password, else WPA2-PSK. Open ⇔ no password. */
function readSecurity(read: FieldReader, ap: JsonObject, path: string, password: string, alias: SecurityAlias | undefined): SecurityKind {
  const viaAlias = alias !== undefined && ap[alias.key] !== undefined ? alias : null;
  if (viaAlias && ap.security !== undefined) read.fail(`${path}.${viaAlias.key}`, `give security or ${viaAlias.key}, not both`);
  const key = viaAlias?.key ?? 'security';
  const raw = ap[key];
  if (raw === undefined) return password === '' ? 'open' : 'wpa2-psk';
  const where = `${path}.${key}`;
  const security = viaAlias ? viaAlias.read(read, raw, where) : readSecurityName(read, raw, where);
  if ((security === 'open') !== (password === '')) {
    read.fail(
      where,
      password === ''
        ? `a network with no password is open (got ${key} ${describe(raw)})`
        : `an open network (${key} ${describe(raw)}) cannot have a password`,
    );
  }
  return security;
}

function readSecurityName(read: FieldReader, value: unknown, path: string): SecurityKind {
  if (typeof value !== 'string' || !isSecurityKind(value)) read.fail(path, `must be one of ${SECURITY_KINDS.join(', ')} (got ${describe(value)})`);
  return value;
}

/**
 * The `hosts` section: a name -> an address of either family (`"peer.lab": "127.0.0.1"`,
 * `"v6.lab": "::1"`), or an array of one address per family (`"both.lab": ["127.0.0.1", "::1"]`): its
 * A and AAAA records. lwIP keeps one address per name and family (DNS_MAX_HOST_IP 1), so no more.
 */
function readHosts(read: FieldReader, value: unknown): Pick<RadioWorld, 'hosts' | 'hostsIpv6'> {
  const hosts: Record<string, string> = {};
  const hostsIpv6: Record<string, string> = {};
  for (const [name, answer] of Object.entries(read.object(value, 'hosts'))) {
    const path = `hosts[${JSON.stringify(name)}]`;
    const key = read.hostName(name, path);
    const addresses = Array.isArray(answer) ? answer : [answer];
    if (addresses.length < 1 || addresses.length > 2) read.fail(path, 'give one address, or an array of one IPv4 and one IPv6 address');
    addresses.forEach((address, index) => {
      const where = Array.isArray(answer) ? `${path}[${index}]` : path;
      const family = typeof address === 'string' ? isIP(address) : 0;
      if (family === 0 || (family === 6 && ipv6Groups(address as string) === null)) {
        read.fail(where, `must be an IPv4 address like "192.168.1.2" or an IPv6 one like "::1" (got ${describe(address)})`);
      }
      const table = family === 4 ? hosts : hostsIpv6;
      if (table[key] !== undefined) read.fail(where, `a second IPv${family} address for ${JSON.stringify(key)} (one per family)`);
      table[key] = address as string;
    });
  }
  return { hosts: Object.freeze(hosts), ...(Object.keys(hostsIpv6).length > 0 ? { hostsIpv6: Object.freeze(hostsIpv6) } : {}) };
}

function readStation(read: FieldReader, value: unknown): RadioWorld['station'] {
  const station = read.object(value, 'station');
  read.onlyKeys(station, ['mac'], 'station');
  return Object.freeze({
    mac: station.mac === undefined ? DEFAULT_RADIO_WORLD.station.mac : read.mac(station.mac, 'station.mac'),
  });
}

function readTiming(read: FieldReader, value: unknown): WorldTiming {
  const timing: JsonObject = read.object(value, 'timing');
  read.onlyKeys(timing, TIMING_KEYS, 'timing');
  const get = (key: (typeof TIMING_KEYS)[number]): number =>
    timing[key] === undefined ? DEFAULT_RADIO_WORLD.timing[key] : read.nonNegative(timing[key], `timing.${key}`);
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

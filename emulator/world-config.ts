import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ecnToSecurity } from '../firmware-protocol/at/security.js';
import { SECURITY_KINDS } from '../firmware-protocol/security.js';
import { FieldReader, WorldConfigError } from './network/config-fields.js';
import { DEFAULT_RADIO_WORLD, RADIO_WORLD_KEYS, readRadioWorld, type RadioWorld, type SecurityAlias } from './network/radio-world.js';
import { parseFaultsSection, type FaultsConfig } from './faults/faults-config.js';
import { parseOutboundSection, type OutboundConfig } from './security/outbound-policy.js';

export { WorldConfigError } from './network/config-fields.js';
export { hostPortFor, scaledMs, type AccessPoint, type RadioWorld, type WorldTiming } from './network/radio-world.js';

/**
 * A world file: the radio world a virtual module lives in (network/radio-world.ts: access points,
 * DHCP leases, DNS names, radio timing, port mapping, certificates), plus what the layers around
 * the network stack read: faults armed from the start and the outbound rules.
 *
 * JSON shape (every top-level section is optional; an absent section is DEFAULT_WORLD's):
 * ```json
 * {
 *   "accessPoints": [{ "ssid": "copro-lab", "password": "labpass123", "rssi": -45, "channel": 6,
 *                      "bssid": "ca:d7:19:d8:a6:44", "security": "wpa2-psk",
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
 * - `security` names how the AP is secured (SECURITY_KINDS in firmware-protocol/security.ts: open, wep,
 *   wpa-psk, wpa2-psk, wpa-wpa2-psk, wpa2-enterprise, wpa3-psk, ...). Absent: open when there is no
 *   password, else wpa2-psk. Older files give ESP-AT's `ecn` number instead (0 open, 3 WPA2_PSK, ...);
 *   it is still read. A WPA passphrase is 8..63 bytes, as the firmware requires.
 * - `ip`/`gateway`/`netmask` are what the AP's DHCP gives the module; they exist only in the module's world.
 *   `dns` (one or two addresses) are the DNS servers its DHCP offers; absent, the gateway.
 * - `timing` fields absent take the defaults; every duration is multiplied by `scale` (0.01 in tests).
 * - `ports` maps a module server port to the host port it listens on (0 = any free port); see host-mapping.md.
 * - `tls` is the module's certificate store, as real modules keep it in flash: PEM files (paths relative to
 *   the config file), CA entries by AT+CIPSSLCCONF's <ca_number>, client certificate+key pairs by
 *   <pki_number> (`clientCerts: [{ certFile, keyFile }]` for several). Checked at load; see cert-store.ts
 *   and docs/tls.md.
 * - `modules` runs several modules in one daemon, each on its own UART: `[{}, { "mac": "24:0a:c4:c0:90:05" }]`
 *   (absent MACs: the station MAC + 4 per module before it); each sees and can join the others' softAPs.
 * - `faults` arms fault injection from the start, `outbound` limits where the module may send; both are
 *   described in docs/reliability.md (syntax in faults/fault-spec.ts and security/outbound-rules.ts).
 */
/** One module of a daemon that runs several (`modules`): what differs from the others. */
export interface ModuleEntry {
  /** Its station MAC (its softAP's is this + 1); absent: the world's station MAC + 4 per module before it. */
  readonly mac?: string;
}

export interface WorldConfig extends RadioWorld {
  /** Several modules in one daemon, sharing this world and the air between them (emulator/modules.ts). */
  readonly modules?: readonly ModuleEntry[];
  /** Faults armed from the start and their seed (docs/reliability.md); absent = none. */
  readonly faults?: FaultsConfig;
  /** Where the module may send: allow/deny rules (docs/reliability.md); absent = everywhere. */
  readonly outbound?: OutboundConfig;
}

/** The world used when no file is given: the default radio world, no faults, no outbound rules. */
export const DEFAULT_WORLD: WorldConfig = DEFAULT_RADIO_WORLD;

export interface ParseWorldOptions {
  /** Directory that relative file names (the `tls` PEM files) are taken from; default the working directory. */
  readonly baseDir?: string;
}

/** An access point's `ecn`: ESP-AT's number for its security, as world files gave it before `security`. */
const ECN_ALIAS: SecurityAlias = {
  key: 'ecn',
  read(read, value, path) {
    const ecn = read.integer(value, path, 0, SECURITY_KINDS.length - 1);
    return ecnToSecurity(ecn) ?? read.fail(path, `ecn ${ecn} names no security this emulator knows`);
  },
};

/** Validates a parsed JSON document and fills in defaults. Throws WorldConfigError naming the bad field. */
export function parseWorldConfig(document: unknown, source = 'world config', options: ParseWorldOptions = {}): WorldConfig {
  const read = new FieldReader(source);
  const root = read.object(document, '');
  read.onlyKeys(root, [...RADIO_WORLD_KEYS, 'faults', 'outbound', 'modules'], '');
  return Object.freeze({
    ...readRadioWorld(read, root, { baseDir: resolve(options.baseDir ?? '.'), securityAlias: ECN_ALIAS }),
    ...(root.faults === undefined ? {} : { faults: parseFaultsSection(read, root.faults) }),
    ...(root.outbound === undefined ? {} : { outbound: parseOutboundSection(read, root.outbound) }),
    ...(root.modules === undefined ? {} : { modules: readModules(read, root.modules) }),
  });
}

/** At most this many modules in one daemon. */
export const MAX_MODULES = 8;

function readModules(read: FieldReader, value: unknown): readonly ModuleEntry[] {
  const list = read.array(value, 'modules');
  if (list.length < 1 || list.length > MAX_MODULES) read.fail('modules', `must list 1..${MAX_MODULES} modules (got ${list.length})`);
  return Object.freeze(
    list.map((entry, index) => {
      const path = `modules[${index}]`;
      const module = read.object(entry, path);
      read.onlyKeys(module, ['mac'], path);
      return Object.freeze(module.mac === undefined ? {} : { mac: read.mac(module.mac, `${path}.mac`) });
    }),
  );
}

/** Reads and validates a world file (JSON). */
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

import { isIP } from 'node:net';
import { moduleIpText } from './ipv6-address.js';
import type { FieldReader } from './config-fields.js';

/**
 * How the radio world answers pings (ICMP echo is simulated: nothing leaves the machine). Every address
 * answers after `defaultMs` unless `hosts` names it — by IPv4 or IPv6 address or by a name of the world's
 * hosts table (either of its addresses) — with its own round trip in ms, or with null for a host that
 * never answers.
 */
export interface PingWorld {
  readonly defaultMs: number;
  readonly hosts: Readonly<Record<string, number | null>>;
}

/** A LAN-like round trip; no host is silent. */
export const DEFAULT_PING_WORLD: PingWorld = Object.freeze({ defaultMs: 5, hosts: Object.freeze({}) });

/** The world file's `ping` section: `{ "defaultMs": 5, "hosts": { "peer.lab": 12, "10.9.9.9": null } }`. */
export function readPingWorld(read: FieldReader, value: unknown): PingWorld {
  const section = read.object(value, 'ping');
  read.onlyKeys(section, ['defaultMs', 'hosts'], 'ping');
  const defaultMs = section.defaultMs === undefined ? DEFAULT_PING_WORLD.defaultMs : read.integer(section.defaultMs, 'ping.defaultMs', 0, 60_000);
  const hosts: Record<string, number | null> = {};
  if (section.hosts !== undefined) {
    for (const [key, ms] of Object.entries(read.object(section.hosts, 'ping.hosts'))) {
      const path = `ping.hosts[${JSON.stringify(key)}]`;
      const host = isIP(key) !== 0 ? moduleIpText(key) : read.hostName(key, path);
      hosts[host] = ms === null ? null : read.integer(ms, path, 0, 60_000);
    }
  }
  return Object.freeze({ defaultMs, hosts: Object.freeze(hosts) });
}

/**
 * The round trip to `ip` in ms, or null when it does not answer; `names` and `namesIpv6` are the
 * world's hosts table (A and AAAA records).
 */
export function pingRoundTrip(
  world: PingWorld,
  names: Readonly<Record<string, string>>,
  ip: string,
  namesIpv6: Readonly<Record<string, string>> = {},
): number | null {
  const text = moduleIpText(ip);
  if (text in world.hosts) return world.hosts[text] ?? null;
  for (const [name, ms] of Object.entries(world.hosts)) {
    if (names[name] === ip || (namesIpv6[name] !== undefined && moduleIpText(namesIpv6[name]) === text)) return ms;
  }
  return world.defaultMs;
}

import { isIPv4 } from 'node:net';
import type { FieldReader } from './config-fields.js';

/**
 * How the radio world answers pings (ICMP echo is simulated: nothing leaves the machine). Every address
 * answers after `defaultMs` unless `hosts` names it — by IPv4 address or by a name of the world's hosts
 * table — with its own round trip in ms, or with null for a host that never answers.
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
      const host = isIPv4(key) ? key : read.hostName(key, path);
      hosts[host] = ms === null ? null : read.integer(ms, path, 0, 60_000);
    }
  }
  return Object.freeze({ defaultMs, hosts: Object.freeze(hosts) });
}

/** The round trip to `ip` in ms, or null when it does not answer; `names` is the world's hosts table. */
export function pingRoundTrip(world: PingWorld, names: Readonly<Record<string, string>>, ip: string): number | null {
  if (ip in world.hosts) return world.hosts[ip] ?? null;
  for (const [name, ms] of Object.entries(world.hosts)) {
    if (names[name] === ip) return ms;
  }
  return world.defaultMs;
}

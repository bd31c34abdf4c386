import { isIP, isIPv4 } from 'node:net';
import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import { settingsFor } from './persistence.js';

/**
 * AT+CIPDNS (2.x) and NonOS's CIPDNS_CUR / CIPDNS_DEF: the DNS servers the firmware reports. The
 * emulator records them; names still resolve through the radio world's hosts table and the host
 * (host-mapping.md).
 *
 * The 2.x query reads lwIP's live server table (esp_netif_get_dns_info): the profile's defaults until
 * a DHCP lease arrives, then the lease's servers in the first places (lwIP's DHCP client overwrites only
 * the slots the offer fills, and keeps them when the link goes down). Manual servers replace the table.
 */

/** The automatic table: the defaults with the last lease's servers written over the first slots. */
function automaticServers(core: ModuleCore): readonly string[] {
  const fromLease = core.stack.station.info().dns;
  const table = [...core.profile.defaults.dnsServers];
  fromLease.forEach((server, slot) => {
    table[slot] = server;
  });
  return table;
}

const dnsQuery: Handler<'CIPDNS', 'query'> = (core, call) => {
  const { manual, servers } = settingsFor(core, call).dns;
  const reported = manual ? servers : automaticServers(core);
  // NonOS: one line per server, no enable flag.
  if (call.variant === 'nonos') {
    for (const server of reported) core.reply(call, 'server', { server });
  } else {
    core.reply(call, 'dns', { enable: manual ? 1 : 0, servers: [...reported] });
  }
  core.ok();
};

const dnsSet: Handler<'CIPDNS', 'set'> = (core, call) => {
  const manual = call.params.enable === 1;
  const { dns1, dns2, dns3 } = call.params;
  const given = [dns1, dns2, dns3].filter((server): server is string => server !== undefined);
  // NonOS has no IPv6; 2.x takes IPv6 servers too (its docs' own example sets three of them).
  const valid = call.variant === 'nonos' ? isIPv4 : (server: string): boolean => isIP(server) !== 0;
  if (!given.every(valid)) return core.error('param-invalid');
  // "The three parameters cannot be set to the same server."
  if (new Set(given).size !== given.length) return core.error('param-invalid');
  const servers = manual && given.length > 0 ? given : core.profile.defaults.dnsServers;
  core.settings.set('dns', { manual, servers }, call.spec.save);
  core.ok();
};

export const TCPIP_DNS_HANDLERS = {
  CIPDNS: { query: dnsQuery, set: dnsSet },
} satisfies Handlers;

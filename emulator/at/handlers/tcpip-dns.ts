import { isIPv4 } from 'node:net';
import type { Handler, Handlers } from '../handler-types.js';
import { settingsFor } from './persistence.js';

/**
 * AT+CIPDNS (2.x) and NonOS's CIPDNS_CUR / CIPDNS_DEF: the DNS servers the firmware reports. The
 * emulator records them; names still resolve through the radio world's hosts table and the host
 * (host-mapping.md).
 */

const dnsQuery: Handler<'CIPDNS', 'query'> = (core, call) => {
  const { manual, servers } = settingsFor(core, call).dns;
  // NonOS: one line per server, no enable flag.
  if (call.variant === 'nonos') {
    for (const server of servers) core.reply(call, 'server', { server });
  } else {
    core.reply(call, 'dns', { enable: manual ? 1 : 0, servers: [...servers] });
  }
  core.ok();
};

const dnsSet: Handler<'CIPDNS', 'set'> = (core, call) => {
  const manual = call.params.enable === 1;
  const { dns1, dns2, dns3 } = call.params;
  const given = [dns1, dns2, dns3].filter((server): server is string => server !== undefined);
  if (!given.every((server) => isIPv4(server))) return core.error('param-invalid');
  const servers = manual && given.length > 0 ? given : core.profile.defaults.dnsServers;
  core.settings.set('dns', { manual, servers }, call.spec.save);
  core.ok();
};

export const TCPIP_DNS_HANDLERS = {
  CIPDNS: { query: dnsQuery, set: dnsSet },
} satisfies Handlers;

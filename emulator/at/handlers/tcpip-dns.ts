import { isIPv4 } from 'node:net';
import type { CommandHandler, HandlerTable } from '../handler-types.js';
import { intParam, strParam } from '../handler-types.js';
import { DEFAULT_DNS_SERVER } from '../module-settings.js';
import { persistenceOf, settingsFor } from './persistence.js';

/**
 * AT+CIPDNS (2.x) and 1.7's CIPDNS_CUR / CIPDNS_DEF: the DNS servers the firmware reports. The
 * emulator records them; names still resolve through the radio world's hosts table and the host
 * (host-mapping.md).
 */

const V17 = 'esp8266-at-1.7';

const dnsQuery: CommandHandler = (core, call) => {
  const { manual, servers } = settingsFor(core, call.spec.name).dns;
  if (core.profile.id === V17) {
    for (const server of servers) core.info(call.spec.name, server);
  } else {
    core.info(call.spec.name, [manual ? '1' : '0', ...servers.map((server) => `"${server}"`)].join(','));
  }
  core.ok();
};

const dnsSet: CommandHandler = (core, call) => {
  const manual = intParam(call, 'enable', 0) === 1;
  const given = ['dns1', 'dns2', 'dns3']
    .map((name) => strParam(call, name))
    .filter((server): server is string => server !== undefined);
  if (!given.every((server) => isIPv4(server))) return core.error('param-invalid');
  const servers = manual && given.length > 0 ? given : [DEFAULT_DNS_SERVER];
  core.settings.set('dns', { manual, servers }, persistenceOf(core, call.spec.name));
  core.ok();
};

const DNS_HANDLERS = { query: dnsQuery, set: dnsSet };

export const TCPIP_DNS_HANDLERS: HandlerTable = {
  CIPDNS: DNS_HANDLERS,
  CIPDNS_CUR: DNS_HANDLERS,
  CIPDNS_DEF: DNS_HANDLERS,
};

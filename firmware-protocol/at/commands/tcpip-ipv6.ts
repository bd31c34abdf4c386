import type { CommandDecl } from '../command-spec.js';
import { integer } from '../grammar/fields.js';
import { info } from '../grammar/line-spec.js';
import { any, flag } from './spec-builders.js';

/**
 * AT+CIPV6 (TCP-IP_AT_Commands.rst v2.4.2.0): IPv6 on or off, 0 by default, kept in NVS
 * (the core library's at_nvm_ipv6_config_*). With it on, a station makes its link-local address and,
 * where the AP's router advertises a prefix, a global one (`WIFI GOT IPv6 LL` / `WIFI GOT IPv6 GL`),
 * and "TCPv6", "UDPv6" and "SSLv6" links may open.
 */
export const TCPIP_IPV6_COMMANDS = {
  CIPV6: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [any(flag('enable'))],
    summary: 'IPv6 on (1) or off (0): IPv6 addresses, TCPv6/UDPv6/SSLv6 links',
    lines: { enable: info(integer('enable')) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

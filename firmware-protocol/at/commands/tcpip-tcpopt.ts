import type { CommandDecl } from '../command-spec.js';
import { integer } from '../grammar/fields.js';
import { infoEach } from '../grammar/line-spec.js';
import { LINK_ID_OR_ALL, int, multi, opt, single } from './spec-builders.js';

/**
 * AT+CIPTCPOPT (TCP-IP_AT_Commands.rst v2.4): socket options per link id. Query:
 * `+CIPTCPOPT:<link_id>,<so_linger>,<tcp_nodelay>,<so_sndtimeo>,<keep_alive>` (the core library's
 * `%s:%d,%d,%d,%d,%d`), a line per link id (UNSURE: the docs show one line; copro prints every id).
 */

const OPTIONS = [
  opt(int('so_linger', -1, 65_535)),
  opt(int('tcp_nodelay', 0, 1)),
  opt(int('so_sndtimeo', 0, 2_147_483_647)),
  opt(int('keep_alive', 0, 7200)),
] as const;

/** The documented defaults: linger off, Nagle on, no send timeout, no keep-alive. */
export const TCPOPT_DEFAULTS = { soLinger: -1, tcpNodelay: 0, soSndtimeo: 0, keepAlive: 0 } as const;

export const TCPIP_TCPOPT_COMMANDS = {
  CIPTCPOPT: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [single(...OPTIONS), multi(LINK_ID_OR_ALL, ...OPTIONS)],
    summary: 'Socket options per link: SO_LINGER, TCP_NODELAY, SO_SNDTIMEO, keep-alive',
    lines: { options: infoEach(integer('link_id'), integer('so_linger'), integer('tcp_nodelay'), integer('so_sndtimeo'), integer('keep_alive')) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

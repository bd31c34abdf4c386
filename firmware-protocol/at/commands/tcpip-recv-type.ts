import type { CommandDecl } from '../command-spec.js';
import { integer } from '../grammar/fields.js';
import { infoEach } from '../grammar/line-spec.js';
import { int, multi, single } from './spec-builders.js';

/**
 * ESP-AT 3.x/4.x's AT+CIPRECVTYPE (TCP-IP_AT_Commands.rst v4.1.1.0), the receive mode per link
 * that succeeds AT+CIPRECVMODE: `=<mode>` with one link, `=<link ID>,<mode>` with several, where
 * link ID 5 (max) means every link; the query prints `+CIPRECVTYPE:<link ID>,<mode>`.
 */
export const TCPIP_RECV_TYPE_COMMANDS = {
  CIPRECVTYPE: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [single(int('mode', 0, 1)), multi(int('link_id', 0, 5), int('mode', 0, 1))],
    summary: 'Receive mode per link: active (0) or passive (1)',
    lines: { mode: infoEach(integer('link_id'), integer('mode')) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

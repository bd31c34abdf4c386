import type { CommandDecl } from '../command-spec.js';
import { integer } from '../grammar/fields.js';
import { info } from '../grammar/line-spec.js';
import { INT32_MAX, LINK_ID, REMOTE_HOST, any, int, multi, opt, port, single } from './spec-builders.js';

/**
 * AT+CIPSENDL and AT+CIPSENDLCFG (TCP-IP_AT_Commands.rst v2.4): a long send in parallel, the data
 * handed to the stack in blocks as the UART brings it. Formats from the 2.4 core library:
 * `%s:%d,%d` (`+CIPSENDL:<had sent len>,<port recv len>`, and AT+CIPSENDLCFG?), then `SEND OK`,
 * `SEND FAIL` or `SEND CANCELLED`.
 */

const LENGTH = int('length', 1, INT32_MAX);
const REMOTE_PORT = port('remote_port');

/** AT+CIPSENDLCFG's defaults: report every 1024 bytes, hand on 2920-byte blocks. */
export const SENDL_DEFAULTS = { reportSize: 1024, transmitSize: 2920 } as const;
/** AT+CIPSENDLCFG's ranges: `<report size>` [100,1048576], `<transmit size>` [100,2920]. */
export const SENDL_LIMITS = { reportSize: { min: 100, max: 1_048_576 }, transmitSize: { min: 100, max: 2920 } } as const;

export const TCPIP_SENDL_COMMANDS = {
  CIPSENDL: {
    area: 'tcpip',
    forms: ['set'],
    set: [single(LENGTH), single(LENGTH, REMOTE_HOST, REMOTE_PORT), multi(LINK_ID, LENGTH), multi(LINK_ID, LENGTH, REMOTE_HOST, REMOTE_PORT)],
    summary: 'Send long data in parallel with the UART',
    lines: { progress: info(integer('had_sent_len'), integer('port_recv_len')) },
  },
  CIPSENDLCFG: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [
      any(
        int('report_size', SENDL_LIMITS.reportSize.min, SENDL_LIMITS.reportSize.max),
        opt(int('transmit_size', SENDL_LIMITS.transmitSize.min, SENDL_LIMITS.transmitSize.max)),
      ),
    ],
    summary: 'AT+CIPSENDL report and transmit block sizes',
    lines: { config: info(integer('report_size'), integer('transmit_size')) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;


import type { CommandDecl } from '../command-spec.js';
import { bare, integer, optional, quoted } from '../grammar/fields.js';
import { info, infoWith } from '../grammar/line-spec.js';
import { any, flag, int, opt, str } from './spec-builders.js';

/**
 * SNTP (TCP-IP_AT_Commands.rst v2.4). The reply formats are the 2.4 core library's strings:
 * `%s:0` (disabled) or `%s:1,%d` then `,"%s"` per server (AT+CIPSNTPCFG?), `%s:%s` with C's
 * asctime text (AT+CIPSNTPTIME?), `%s:%u` (AT+CIPSNTPINTV?).
 */

/** A server name or address; the docs give no limit (UNSURE: 64, as the firmware's other host names). */
export const SNTP_SERVER_MAX = 64;

/**
 * NonOS AT 1.7.4 (ESP8266_NONOS_SDK v3.0.4 lib/libat.a, at_ipCmd.o, read off its disassembly):
 * `AT+CIPSNTPCFG=<enable>[,<timezone>[,<server1>[,<server2>[,<server3>]]]]`: 1 needs the time zone
 * (whole hours, -11..13), 0 takes nothing after it and clears the servers; each server is copied into
 * 32 bytes (at_data_str_copy(…, 32); UNSURE whether 32 or 31 characters fit), an empty one is ERROR;
 * without servers it sets cn.ntp.org.cn, ntp.sjtu.edu.cn, us.pool.ntp.org. The query prints
 * `%s:1,%d` + `,"%s"` per named server + `\r\n`, or `%s:0\r\n` when no server is named (the same
 * line as 2.x). AT+CIPSNTPTIME? prints `%s:%s` with sntp_asctime's text, its `\n` cut off, and no
 * CR LF of its own before at_response_ok's `\r\nOK\r\n`; the day is zero-padded (`%02d`).
 */
export const NONOS_SNTP_SERVER_MAX = 32;

/** A server as the query prints it: a name or address, never empty (no quote or comma in it). */
const SERVER_PATTERN = '[^",]+';

export const SNTP_COMMANDS = {
  CIPSNTPCFG: {
    area: 'tcpip',
    forms: ['query', 'set'],
    // `AT+CIPSNTPCFG=<enable>,<timezone>[,<server1>,<server2>,<server3>]`; the timezone's two formats
    // (hours, or [+|-][hh]mm) are told apart by the handler.
    set: [any(flag('enable'), opt(int('timezone', -1259, 1459)), opt(str('server1', SNTP_SERVER_MAX)), opt(str('server2', SNTP_SERVER_MAX)), opt(str('server3', SNTP_SERVER_MAX)))],
    summary: 'SNTP: enable, time zone, servers',
    lines: {
      config: info(
        integer('enable'),
        optional(integer('timezone')),
        optional(quoted('server1', SERVER_PATTERN)),
        optional(quoted('server2', SERVER_PATTERN)),
        optional(quoted('server3', SERVER_PATTERN)),
      ),
    },
    variants: {
      nonos: {
        forms: ['query', 'set'],
        set: [any(flag('enable'), opt(int('timezone', -11, 13)), opt(str('server1', NONOS_SNTP_SERVER_MAX)), opt(str('server2', NONOS_SNTP_SERVER_MAX)), opt(str('server3', NONOS_SNTP_SERVER_MAX)))],
      },
    },
  },
  CIPSNTPTIME: {
    area: 'tcpip',
    forms: ['query'],
    summary: 'The module clock as local time (asctime)',
    lines: { time: info(bare('time', '[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}')) },
    variants: {
      nonos: {
        forms: ['query'],
        lines: { time: infoWith('one', { unterminated: true }, bare('time', '[A-Z][a-z]{2} [A-Z][a-z]{2} \\d{2} \\d{2}:\\d{2}:\\d{2} \\d{4}')) },
      },
    },
  },
  CIPSNTPINTV: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [any(int('interval_second', 15, 4_294_967))],
    summary: 'SNTP synchronisation interval',
    lines: { interval: info(integer('interval_second')) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

import type { CommandDecl } from '../command-spec.js';
import { bare, bool, integer, ip, layoutIp, list, mac, optional, quoted } from '../grammar/fields.js';
import { consoleWords, fixedLine, info, infoEach, infoWith, tagged } from '../grammar/line-spec.js';
import {
  HOST_MAX_LENGTH,
  INT32_MAX,
  LINK_ID,
  LINK_ID_OR_ALL,
  REMOTE_HOST,
  any,
  flag,
  int,
  multi,
  oneOf,
  opt,
  port,
  single,
  str,
} from './spec-builders.js';

/** TCP/IP commands (esp-at.md §4; ESP-AT v2.4 TCP-IP_AT_Commands.rst; NonOS AT 1.7 manual). */

const STREAM_TYPES = ['TCP', 'TCPv6', 'SSL', 'SSLv6'] as const;
const DATAGRAM_TYPES = ['UDP', 'UDPv6'] as const;
/** Every CIPSTART type string, for docs and the driver. */
export const CONNECTION_TYPES: readonly string[] = [...STREAM_TYPES, ...DATAGRAM_TYPES];

const KEEP_ALIVE = opt(int('keep_alive', 0, 7200));
const LOCAL_IP = opt(str('local_ip', HOST_MAX_LENGTH));
const REMOTE_PORT = port('remote_port');
const UDP_TAIL = [opt(port('local_port')), opt(int('mode', 0, 2))] as const;

/** CIPSTART tails after the link id, per transport; alternatives are tried in order. */
const STREAM_2X = [oneOf('type', STREAM_TYPES), REMOTE_HOST, REMOTE_PORT, KEEP_ALIVE, LOCAL_IP] as const;
const DATAGRAM_2X = [oneOf('type', DATAGRAM_TYPES), REMOTE_HOST, REMOTE_PORT, ...UDP_TAIL, LOCAL_IP] as const;
const STREAM_NONOS = [oneOf('type', ['TCP', 'SSL']), REMOTE_HOST, REMOTE_PORT, KEEP_ALIVE] as const;
const DATAGRAM_NONOS = [oneOf('type', ['UDP']), REMOTE_HOST, REMOTE_PORT, ...UDP_TAIL] as const;

/**
 * CIPSEND / CIPSENDEX: `[<id>,]<len>[,"<remote host>",<remote port>]`. The length's upper bound
 * is the profile's limits.maxSendLength, checked by the emulator (the declaration is shared).
 */
const SEND_LENGTH = int('length', 1);
const SEND_SET = [
  single(SEND_LENGTH),
  single(SEND_LENGTH, REMOTE_HOST, REMOTE_PORT),
  multi(LINK_ID, SEND_LENGTH),
  multi(LINK_ID, SEND_LENGTH, REMOTE_HOST, REMOTE_PORT),
] as const;

const RECV_LENGTH = int('len', 1, INT32_MAX);

/** A 0/1 mode switch with a query. */
const SWITCH = { forms: ['query', 'set'], set: [any(flag('mode'))], lines: { mode: info(integer('mode')) } } as const;

/** CIPSTART on an id in use prints this before ERROR. */
const ALREADY = { already: consoleWords('ALREADY CONNECTED') } as const;

/** `+CIPSTATE:<id>,<"type">,<"remote IP">,<remote port>,<local port>,<tetype>` (CIPSTATUS the same). */
const LINK_LINE = infoWith(
  'many',
  { extensible: true },
  integer('link_id'),
  quoted('type', '[^"]*'),
  quoted('remote_ip', '[^"]*'),
  integer('remote_port'),
  integer('local_port'),
  integer('tetype'),
);

export const TCPIP_COMMANDS = {
  CIFSR: {
    area: 'tcpip',
    forms: ['exec'],
    summary: 'Local IP and MAC addresses',
    // With IPv6 on, the core's `%s:APIP6LL,"%s"` ... lines follow each interface's address.
    lines: {
      addresses: tagged(',', {
        APIP: ip('APIP'),
        APIP6LL: ip('APIP6LL'),
        APIP6GL: ip('APIP6GL'),
        APMAC: mac('APMAC'),
        STAIP: ip('STAIP'),
        STAIP6LL: ip('STAIP6LL'),
        STAIP6GL: ip('STAIP6GL'),
        STAMAC: mac('STAMAC'),
      }),
    },
  },
  CIPMUX: { area: 'tcpip', ...SWITCH, summary: 'Single (0) or multiple (1) links' },
  CIPSTART: {
    area: 'tcpip',
    forms: ['set'],
    set: [multi(LINK_ID, ...STREAM_2X), multi(LINK_ID, ...DATAGRAM_2X), single(...STREAM_2X), single(...DATAGRAM_2X)],
    summary: 'Open a TCP/UDP/SSL link',
    lines: ALREADY,
    variants: {
      nonos: {
        forms: ['set'],
        set: [
          multi(LINK_ID, ...STREAM_NONOS),
          multi(LINK_ID, ...DATAGRAM_NONOS),
          single(...STREAM_NONOS),
          single(...DATAGRAM_NONOS),
        ],
      },
    },
  },
  CIPSTARTEX: {
    area: 'tcpip',
    forms: ['set'],
    set: [any(...STREAM_2X), any(...DATAGRAM_2X)],
    summary: 'Open a link on the lowest free id',
    lines: ALREADY,
  },
  CIPSEND: { area: 'tcpip', forms: ['set', 'exec'], set: SEND_SET, summary: 'Send data (exec: enter passthrough)' },
  CIPSENDEX: { area: 'tcpip', forms: ['set'], set: SEND_SET, summary: 'Send data ending at length or at \\0' },
  CIPCLOSE: {
    area: 'tcpip',
    forms: ['set', 'exec'],
    set: [multi(LINK_ID_OR_ALL)],
    summary: 'Close a link (5 = all); exec closes the single link',
  },
  CIPSTATUS: {
    area: 'tcpip',
    forms: ['exec'],
    summary: 'Link status (deprecated in 2.x)',
    lines: { status: fixedLine('STATUS:', integer('status')), link: LINK_LINE },
  },
  CIPSTATE: { area: 'tcpip', forms: ['query'], summary: 'Open links', lines: { link: LINK_LINE } },
  CIPDOMAIN: {
    area: 'tcpip',
    forms: ['set'],
    set: [any(str('domain', HOST_MAX_LENGTH), opt(int('ip_network', 1, 3)))],
    summary: 'Resolve a domain name',
    // `%s:"%s"` (ipaddr_ntoa: an IPv6 answer in lwIP's upper-case text). <ip network>: 1 IPv4 preferred,
    // 2 IPv4 only, 3 IPv6 only.
    lines: { address: info(layoutIp('ip', 'quoteDomainAnswer')) },
    variants: {
      nonos: { forms: ['set'], set: [any(str('domain', HOST_MAX_LENGTH))] },
      // 4.x: `[,<timeout>]` in ms, 0 (the default) leaving it to lwIP, at most 60000.
      timeout: {
        forms: ['set'],
        set: [any(str('domain', HOST_MAX_LENGTH), opt(int('ip_network', 1, 3)), opt(int('timeout', 0, 60_000)))],
      },
    },
  },
  PING: {
    area: 'tcpip',
    forms: ['set'],
    set: [any(str('host', HOST_MAX_LENGTH))],
    summary: 'Ping a remote host',
    // `+PING:<time>` (ms) then OK; `+PING:TIMEOUT` then ERROR when the name does not resolve or no echo comes back.
    lines: { result: info(bare('result', '\\d+|TIMEOUT')) },
    variants: {
      // NonOS AT 1.7.4 (libat.a at_wifiCmd.o): `+%u\r\n` then OK, or `+timeout\r\n` then ERROR; a name
      // that does not resolve is a bare ERROR (at_ping_dns_found_cb prints no line).
      nonos: { forms: ['set'], set: [any(str('host', HOST_MAX_LENGTH))], lines: { result: fixedLine('+', bare('result', '\\d+|timeout')) } },
    },
  },
  CIPDINFO: {
    area: 'tcpip',
    ...SWITCH,
    summary: 'Remote address in +IPD',
    lines: { mode: info(bool('mode')) },
    variants: { nonos: { forms: ['set'], set: [any(flag('mode'))] } },
  },
  CIPRECVMODE: { area: 'tcpip', ...SWITCH, summary: 'Active (0) or passive (1) receive' },
  CIPRECVDATA: {
    area: 'tcpip',
    forms: ['set'],
    set: [single(RECV_LENGTH), multi(LINK_ID, RECV_LENGTH)],
    summary: 'Read buffered data in passive mode',
  },
  CIPRECVLEN: {
    area: 'tcpip',
    forms: ['query'],
    summary: 'Buffered bytes per link',
    /** One length per link id; the docs show empty fields for ids without a link, the firmware -1 (NonOS 0). */
    lines: { lengths: info(list('lengths', 'int')) },
  },
  CIPSERVER: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [
      any(int('mode', 1, 1), opt(port('port')), opt(oneOf('type', STREAM_TYPES)), opt(flag('ca_enable'))),
      any(int('mode', 0, 0), opt(flag('close_all'))),
    ],
    summary: 'Create (1) or delete (0) the server',
    lines: {
      server: info(integer('mode'), optional(integer('port')), optional(quoted('type')), optional(integer('ca_enable'))),
    },
    variants: {
      nonos: { forms: ['set'], set: [any(flag('mode'), opt(port('port')))] },
    },
  },
  CIPSERVERMAXCONN: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [any(int('num', 1, 5))],
    summary: 'Maximum clients of the server',
    lines: { num: info(integer('num')) },
  },
  CIPSTO: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [any(int('time', 0, 7200))],
    summary: 'Server idle timeout in seconds',
    lines: { time: info(integer('time')) },
  },
  CIPMODE: { area: 'tcpip', ...SWITCH, summary: 'Normal (0) or passthrough (1) transmission' },
  CIPDNS: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [any(flag('enable'), opt(str('dns1')), opt(str('dns2')), opt(str('dns3')))],
    summary: 'DNS servers',
    lines: { dns: info(integer('enable'), list('servers', 'text', 'quoted')) },
    variants: {
      /** Two servers, one `+CIPDNS_CUR:<server>` line each. */
      nonos: {
        forms: ['query', 'set'],
        set: [any(flag('enable'), opt(str('dns1')), opt(str('dns2')))],
        lines: { server: infoEach(bare('server')) },
      },
    },
  },
  CIPRECONNINTV: {
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [any(int('interval', 1, 36000))],
    summary: 'Passthrough reconnect interval (x100 ms)',
    lines: { interval: info(integer('interval')) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

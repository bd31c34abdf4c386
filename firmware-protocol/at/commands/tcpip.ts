import type { CommandSpec, ParamSpec, SetSignature } from '../command-spec.js';
import {
  ALL,
  HOST_MAX_LENGTH,
  INT32_MAX,
  LINK_ID,
  LINK_ID_OR_ALL,
  V17,
  V2,
  any,
  flag,
  host,
  int,
  multi,
  oneOf,
  opt,
  port,
  single,
  str,
} from './spec-builders.js';

/** TCP/IP commands (esp-at.md §4; ESP-AT v2.4 TCP-IP_AT_Commands.rst; NonOS AT 1.7 manual). */

const STREAM_TYPES_2X = ['TCP', 'TCPv6', 'SSL', 'SSLv6'] as const;
const DATAGRAM_TYPES_2X = ['UDP', 'UDPv6'] as const;
/** Every CIPSTART type string, for docs and the driver. */
export const CONNECTION_TYPES: readonly string[] = [...STREAM_TYPES_2X, ...DATAGRAM_TYPES_2X];

/** CIPSTART tail after the link id, per transport; alternatives are tried in order. */
function cipstartTails(profile: '2.x' | '1.7'): ParamSpec[][] {
  const keepAlive = opt(int('keep_alive', 0, 7200));
  if (profile === '1.7') {
    return [
      [oneOf('type', ['TCP', 'SSL']), host(), port('remote_port'), keepAlive],
      [oneOf('type', ['UDP']), host(), port('remote_port'), opt(port('local_port')), opt(int('mode', 0, 2))],
    ];
  }
  const localIp = opt(str('local_ip', HOST_MAX_LENGTH));
  return [
    [oneOf('type', STREAM_TYPES_2X), host(), port('remote_port'), keepAlive, localIp],
    [
      oneOf('type', DATAGRAM_TYPES_2X),
      host(),
      port('remote_port'),
      opt(port('local_port')),
      opt(int('mode', 0, 2)),
      localIp,
    ],
  ];
}

function cipstartSignatures(profile: '2.x' | '1.7'): SetSignature[] {
  const tails = cipstartTails(profile);
  return [...tails.map((t) => multi(LINK_ID, ...t)), ...tails.map((t) => single(...t))];
}

/**
 * CIPSEND / CIPSENDEX: `[<id>,]<len>[,"<remote host>",<remote port>]`. The length's upper bound
 * is the profile's maxSendLength, checked by the emulator (the table is shared by profiles).
 */
const SEND_LENGTH = int('length', 1);
const SEND_SET: readonly SetSignature[] = [
  single(SEND_LENGTH),
  single(SEND_LENGTH, host(), port('remote_port')),
  multi(LINK_ID, SEND_LENGTH),
  multi(LINK_ID, SEND_LENGTH, host(), port('remote_port')),
];

const RECV_LENGTH = int('len', 1, INT32_MAX);
const RECVDATA_SET: readonly SetSignature[] = [single(RECV_LENGTH), multi(LINK_ID, RECV_LENGTH)];

function modeSwitch(name: string, summary: string, forms: CommandSpec['forms'] = ['query', 'set']) {
  return { name, area: 'tcpip', forms, set: [any(flag('mode'))], summary } as const;
}

const CIPDNS_2X: SetSignature = any(flag('enable'), opt(str('dns1')), opt(str('dns2')), opt(str('dns3')));
const CIPDNS_17: SetSignature = any(flag('enable'), opt(str('dns1')), opt(str('dns2')));

export const TCPIP_COMMANDS: readonly CommandSpec[] = [
  { name: 'CIFSR', area: 'tcpip', forms: ['exec'], profiles: ALL, summary: 'Local IP and MAC addresses' },
  { ...modeSwitch('CIPMUX', 'Single (0) or multiple (1) links'), profiles: ALL },
  {
    name: 'CIPSTART',
    area: 'tcpip',
    forms: ['set'],
    set: cipstartSignatures('2.x'),
    profiles: V2,
    summary: 'Open a TCP/UDP/SSL link',
  },
  {
    name: 'CIPSTART',
    area: 'tcpip',
    forms: ['set'],
    set: cipstartSignatures('1.7'),
    profiles: V17,
    summary: 'Open a TCP/UDP/SSL link',
  },
  {
    name: 'CIPSTARTEX',
    area: 'tcpip',
    forms: ['set'],
    set: cipstartTails('2.x').map((t) => any(...t)),
    profiles: V2,
    summary: 'Open a link on the lowest free id',
  },
  {
    name: 'CIPSEND',
    area: 'tcpip',
    forms: ['set', 'exec'],
    set: SEND_SET,
    profiles: ALL,
    summary: 'Send data (exec: enter passthrough)',
  },
  {
    name: 'CIPSENDEX',
    area: 'tcpip',
    forms: ['set'],
    set: SEND_SET,
    profiles: ALL,
    summary: 'Send data ending at length or at \\0',
  },
  {
    name: 'CIPCLOSE',
    area: 'tcpip',
    forms: ['set', 'exec'],
    set: [multi(LINK_ID_OR_ALL)],
    profiles: ALL,
    summary: 'Close a link (5 = all); exec closes the single link',
  },
  { name: 'CIPSTATUS', area: 'tcpip', forms: ['exec'], profiles: ALL, summary: 'Link status (deprecated in 2.x)' },
  { name: 'CIPSTATE', area: 'tcpip', forms: ['query'], profiles: V2, summary: 'Open links' },
  {
    name: 'CIPDOMAIN',
    area: 'tcpip',
    forms: ['set'],
    set: [any(str('domain', HOST_MAX_LENGTH), opt(int('ip_network', 1, 3)))],
    profiles: V2,
    summary: 'Resolve a domain name',
  },
  {
    name: 'CIPDOMAIN',
    area: 'tcpip',
    forms: ['set'],
    set: [any(str('domain', HOST_MAX_LENGTH))],
    profiles: V17,
    summary: 'Resolve a domain name',
  },
  { ...modeSwitch('CIPDINFO', 'Remote address in +IPD'), profiles: V2 },
  { ...modeSwitch('CIPDINFO', 'Remote address in +IPD', ['set']), profiles: V17 },
  { ...modeSwitch('CIPRECVMODE', 'Active (0) or passive (1) receive'), profiles: ALL },
  {
    name: 'CIPRECVDATA',
    area: 'tcpip',
    forms: ['set'],
    set: RECVDATA_SET,
    profiles: ALL,
    summary: 'Read buffered data in passive mode',
  },
  { name: 'CIPRECVLEN', area: 'tcpip', forms: ['query'], profiles: ALL, summary: 'Buffered bytes per link' },
  {
    name: 'CIPSERVER',
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [
      any(int('mode', 1, 1), opt(port('port')), opt(oneOf('type', STREAM_TYPES_2X)), opt(flag('ca_enable'))),
      any(int('mode', 0, 0), opt(flag('close_all'))),
    ],
    profiles: V2,
    summary: 'Create (1) or delete (0) the server',
  },
  {
    name: 'CIPSERVER',
    area: 'tcpip',
    forms: ['set'],
    set: [any(flag('mode'), opt(port('port')))],
    profiles: V17,
    summary: 'Create (1) or delete (0) the server',
  },
  {
    name: 'CIPSERVERMAXCONN',
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [any(int('num', 1, 5))],
    profiles: ALL,
    summary: 'Maximum clients of the server',
  },
  {
    name: 'CIPSTO',
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [any(int('time', 0, 7200))],
    profiles: ALL,
    summary: 'Server idle timeout in seconds',
  },
  { ...modeSwitch('CIPMODE', 'Normal (0) or passthrough (1) transmission'), profiles: ALL },
  {
    name: 'CIPDNS',
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [CIPDNS_2X],
    profiles: V2,
    summary: 'DNS servers',
  },
  { name: 'CIPDNS_CUR', area: 'tcpip', forms: ['query', 'set'], set: [CIPDNS_17], profiles: V17, summary: 'DNS servers, not saved' },
  { name: 'CIPDNS_DEF', area: 'tcpip', forms: ['query', 'set'], set: [CIPDNS_17], profiles: V17, summary: 'DNS servers, saved' },
  {
    name: 'CIPRECONNINTV',
    area: 'tcpip',
    forms: ['query', 'set'],
    set: [any(int('interval', 1, 36000))],
    profiles: V2,
    summary: 'Passthrough reconnect interval (x100 ms)',
  },
];

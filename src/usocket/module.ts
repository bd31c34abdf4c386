/**
 * The `usocket` module bound to one coprocessor: socket(), getaddrinfo(), inet_ntop/inet_pton
 * and the constants, as one object (what `import usocket` gives on a board).
 */
import type { Backend } from '../backend.js';
import { osError } from '../errors.js';
import { constants, AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM } from './constants.js';
import { hostNamesOf } from './host-names.js';
import { familyOf, inet_ntop, inet_pton } from './inet.js';
import type { Sockaddr } from './inet.js';
import { Socket } from './socket.js';

/** One getaddrinfo() result: `[family, type, proto, canonname, sockaddr]`. */
export type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: Sockaddr];

export type Usocket = typeof constants & {
  socket(af?: number, type?: number, proto?: number): Socket;
  getaddrinfo(host: string, port: number | string, af?: number, type?: number, proto?: number, flags?: number): Promise<AddrInfo[]>;
  inet_ntop(af: number, bin: Uint8Array): string;
  inet_pton(af: number, text: string): Uint8Array;
  /** The socket class, for `instanceof`. */
  readonly Socket: typeof Socket;
};

function parsePort(port: number | string): number {
  const n = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw osError('EAI_SERVICE', `port ${JSON.stringify(port)} is not a number 0..65535`);
  }
  return n;
}

export function createUsocket(backend: Backend): Usocket {
  async function getaddrinfo(host: string, port: number | string, af = 0, type = 0, proto = 0): Promise<AddrInfo[]> {
    if (typeof host !== 'string' || host === '') throw osError('EAI_NONAME', 'empty host name');
    const portNumber = parsePort(port);
    if (af !== 0 && af !== AF_INET && af !== AF_INET6) throw osError('EAI_FAMILY', `address family ${af}`);
    const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    // Numeric addresses never cost a round trip to the module.
    let ip = familyOf(literal) === null ? null : literal;
    if (ip === null) {
      if (af === AF_INET6 && !backend.info.ipv6) throw osError('EAI_FAMILY', `${backend.info.name} resolves IPv4 only`);
      ip = await backend.resolve(host);
      // A TLS connect to this address later sends the name as SNI (host-names.ts).
      hostNamesOf(backend).remember(ip, host);
    }
    const family = familyOf(ip) ?? AF_INET;
    if (af !== 0 && af !== family) throw osError('EAI_FAMILY', `${host} has no address of family ${af}`);
    const socktype = type === SOCK_DGRAM || proto === IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
    const protocol = proto !== 0 ? proto : socktype === SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;
    const sockaddr: Sockaddr = family === AF_INET6 ? [ip, portNumber, 0, 0] : [ip, portNumber];
    return [[family, socktype, protocol, '', sockaddr]];
  }

  return {
    ...constants,
    socket: (af?: number, type?: number, proto?: number) => new Socket(backend, af, type, proto),
    getaddrinfo,
    inet_ntop,
    inet_pton,
    Socket,
  };
}

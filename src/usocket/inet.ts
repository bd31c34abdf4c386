/**
 * Numeric addresses: inet_pton / inet_ntop (IPv4 and IPv6) and the tuple socket addresses of
 * the reference (`[ip, port]`, `[ip6, port, flowinfo, scopeid]`).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { osError } from '../errors.js';
import type { Address } from '../backend.js';
import { AF_INET, AF_INET6 } from './constants.js';

/** A socket address as getaddrinfo() returns it and connect()/bind()/sendto() take it. */
export type Sockaddr4 = readonly [ip: string, port: number];
export type Sockaddr6 = readonly [ip: string, port: number, flowinfo: number, scopeid: number];
export type Sockaddr = Sockaddr4 | Sockaddr6;

function pton4(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

function pton6(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let body = text;
  // A trailing dotted quad (`::ffff:1.2.3.4`) is the last 4 bytes.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  let tailBytes: Uint8Array = new Uint8Array(0);
  if (dotted) {
    tailBytes = pton4(dotted[1]);
    body = body.slice(0, -dotted[1].length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const [headText, tailText] = body.includes('::') ? body.split('::') : [body, null];
  const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16)));
  const head = words(headText);
  const tail = tailText === null ? [] : words(tailText);
  const wordCount = 8 - tailBytes.length / 2;
  const all = tailText === null ? head : [...head, ...new Array<number>(wordCount - head.length - tail.length).fill(0), ...tail];
  all.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  out.set(tailBytes, 16 - tailBytes.length);
  return out;
}

/** Text → binary address, validated by node:net's own parser first. */
export function inet_pton(af: number, text: string): Uint8Array {
  if (af === AF_INET) {
    if (!isIPv4(text)) throw osError('EINVAL', `not an IPv4 address: ${JSON.stringify(text)}`);
    return pton4(text);
  }
  if (af === AF_INET6) {
    if (!isIPv6(text) || text.includes('%')) throw osError('EINVAL', `not an IPv6 address: ${JSON.stringify(text)}`);
    return pton6(text);
  }
  throw osError('EAFNOSUPPORT', `address family ${af}`);
}

/** Binary → text; IPv6 in RFC 5952 form (longest zero run of 2+ words as `::`, lower case). */
export function inet_ntop(af: number, bin: Uint8Array): string {
  if (af === AF_INET) {
    if (bin.length !== 4) throw osError('EINVAL', `an IPv4 address is 4 bytes, got ${bin.length}`);
    return Array.from(bin).join('.');
  }
  if (af === AF_INET6) {
    if (bin.length !== 16) throw osError('EINVAL', `an IPv6 address is 16 bytes, got ${bin.length}`);
    const words = Array.from({ length: 8 }, (_, i) => (bin[i * 2] << 8) | bin[i * 2 + 1]);
    let bestStart = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      if (words[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && words[j] === 0) j++;
      if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
      i = j;
    }
    const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
    if (bestStart < 0) return hex(words);
    return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
  }
  throw osError('EAFNOSUPPORT', `address family ${af}`);
}

export function familyOf(ip: string): number | null {
  if (isIPv4(ip)) return AF_INET;
  if (isIPv6(ip)) return AF_INET6;
  return null;
}

/**
 * Validates a tuple address for a socket of family `af`. Host names are refused, as the
 * reference says: resolve them with getaddrinfo() first.
 */
export function parseSockaddr(af: number, address: unknown): Address {
  if (!Array.isArray(address) || address.length < 2) {
    throw osError('EINVAL', 'a socket address is [ip, port] (use getaddrinfo(host, port)[0][4])');
  }
  const [ip, port] = address as unknown[];
  if (typeof ip !== 'string') throw osError('EINVAL', 'the address must be a string');
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw osError('EINVAL', `port must be an integer 0..65535, got ${String(port)}`);
  }
  const family = familyOf(ip);
  if (family === null) throw osError('EINVAL', `${JSON.stringify(ip)} is not a numeric address: resolve it with getaddrinfo() first`);
  if (family !== af) throw osError('EAFNOSUPPORT', `${ip} does not belong to the socket's address family`);
  return { ip, port };
}

/** The tuple form of an address, for accept()/recvfrom() results. */
export function toSockaddr(address: Address): Sockaddr {
  return isIPv6(address.ip) ? [address.ip, address.port, 0, 0] : [address.ip, address.port];
}

import { isIPv6 } from 'node:net';

/**
 * IPv6 addresses as the module makes and prints them: the eight 16-bit groups of an address, the
 * modified EUI-64 interface id of a MAC (RFC 4291 appendix A: the MAC's halves around ff:fe, the
 * universal/local bit flipped), and the text form with the longest run of zero groups as `::`
 * (RFC 5952, lower case), which is also how lwIP's ip6addr_ntoa writes them.
 */

/** The eight groups of `text`, or null when it is not an IPv6 address (no zone, no embedded IPv4). */
export function ipv6Groups(text: string): number[] | null {
  if (!isIPv6(text) || text.includes('%') || text.includes('.')) return null;
  const [head, tail] = text.split('::');
  const part = (side: string | undefined): number[] => (side ? side.split(':').map((group) => parseInt(group, 16)) : []);
  const left = part(head);
  const right = part(tail);
  if (tail === undefined) return left;
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text of eight groups. */
export function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The modified EUI-64 interface id of `mac` ("aa:bb:cc:dd:ee:ff") as four groups. */
export function interfaceId(mac: string): number[] {
  const bytes = mac.split(':').map((byte) => parseInt(byte, 16));
  const eui = [bytes[0] ^ 0x02, bytes[1], bytes[2], 0xff, 0xfe, bytes[3], bytes[4], bytes[5]];
  return [0, 2, 4, 6].map((i) => (eui[i] << 8) | eui[i + 1]);
}

/** The link-local address of an interface with `mac`: fe80::/64 and its interface id. */
export function linkLocalAddress(mac: string): string {
  return formatIpv6([0xfe80, 0, 0, 0, ...interfaceId(mac)]);
}

/** The SLAAC address of `mac` in the /64 `prefix`. */
export function slaacAddress(prefix: string, mac: string): string {
  const groups = ipv6Groups(prefix) ?? [0, 0, 0, 0];
  return formatIpv6([...groups.slice(0, 4), ...interfaceId(mac)]);
}

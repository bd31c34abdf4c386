import { isIPv6 } from 'node:net';

/**
 * IPv6 addresses as the module makes and prints them: the eight 16-bit groups of an address, the
 * modified EUI-64 interface id of a MAC (RFC 4291 appendix A: the MAC's halves around ff:fe, the
 * universal/local bit flipped), and the text lwIP's ip6addr_ntoa_r writes (what `ipaddr_ntoa` gives
 * the firmware's `%s`): groups in upper-case hex without leading zeros, the *first* run of two or more
 * zero groups as `::` (not RFC 5952's longest run, nor its lower case). A real 2.x module prints
 * `+CIPSTA:ip6ll,"FE80::260A:C4FF:FE81:D8D0"` (espressif/esp-at issue 530).
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

/** lwIP's text of eight groups (ip6addr_ntoa_r). */
export function formatIpv6(groups: readonly number[]): string {
  let start = -1;
  for (let i = 0; i + 1 < 8; i++) {
    if (groups[i] === 0 && groups[i + 1] === 0) {
      start = i;
      break;
    }
  }
  const hex = groups.map((group) => group.toString(16).toUpperCase());
  if (start < 0) return hex.join(':');
  let end = start;
  while (end < 8 && groups[end] === 0) end += 1;
  return `${hex.slice(0, start).join(':')}::${hex.slice(end).join(':')}`;
}

/** An address as the module prints it: IPv4 as given, IPv6 in lwIP's text. */
export function moduleIpText(ip: string): string {
  const groups = ipv6Groups(ip);
  return groups === null ? ip : formatIpv6(groups);
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

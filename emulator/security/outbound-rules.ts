import { BlockList, isIP } from 'node:net';

/**
 * Outbound rules: where an emulated module may send. One rule is a string
 *
 *   [PROTO[,PROTO] ]ADDRESS[:PORTS]
 *
 *   PROTO    tcp | udp | tls | dns | any (default any)
 *   ADDRESS  * | an IPv4 address | a CIDR block (10.0.0.0/8) | loopback | private | link-local
 *   PORTS    * | 80 | 8000-8100 | 80,443 (not for dns rules: they match the address a name resolves to)
 *
 * e.g. `tcp 127.0.0.0/8:1024-65535`, `udp private:53`, `dns loopback`, `169.254.169.254`.
 */

export type OutboundProtocol = 'tcp' | 'udp' | 'tls' | 'dns';
export const OUTBOUND_PROTOCOLS: readonly OutboundProtocol[] = ['tcp', 'udp', 'tls', 'dns'];

export interface OutboundRule {
  readonly text: string;
  readonly protocols: readonly OutboundProtocol[];
  /** Inclusive port ranges; null = every port. */
  readonly ports: readonly (readonly [number, number])[] | null;
  readonly addresses: BlockList;
}

const NAMED_BLOCKS: Readonly<Record<string, readonly string[]>> = {
  '*': ['0.0.0.0/0', '::/0'],
  any: ['0.0.0.0/0', '::/0'],
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  'link-local': ['169.254.0.0/16', 'fe80::/10'],
};

export class OutboundRuleError extends Error {
  constructor(text: string, detail: string) {
    super(`bad outbound rule "${text}": ${detail}`);
    this.name = 'OutboundRuleError';
  }
}

export function parseOutboundRule(text: string): OutboundRule {
  const fail = (detail: string): never => {
    throw new OutboundRuleError(text, detail);
  };
  if (text.length > 200) fail('too long');
  const words = text.trim().split(/\s+/);
  if (words.length > 2 || words[0] === '') fail('expected [PROTO ]ADDRESS[:PORTS]');
  const protocols = words.length === 2 ? parseProtocols(words[0], fail) : OUTBOUND_PROTOCOLS;
  const target = words[words.length - 1];
  const colon = target.indexOf(':');
  const addressText = colon < 0 ? target : target.slice(0, colon);
  const portText = colon < 0 ? null : target.slice(colon + 1);
  const addresses = new BlockList();
  for (const block of NAMED_BLOCKS[addressText] ?? [addressText]) addBlock(addresses, block, fail);
  let ports: OutboundRule['ports'] = null;
  if (portText !== null && portText !== '*') {
    if (protocols.length === 1 && protocols[0] === 'dns') fail('dns rules match resolved addresses and take no ports');
    ports = portText.split(',').map((range) => parsePortRange(range, fail));
  }
  return { text: text.trim(), protocols, ports, addresses };
}

function parseProtocols(text: string, fail: (detail: string) => never): readonly OutboundProtocol[] {
  if (text === 'any') return OUTBOUND_PROTOCOLS;
  const list = text.split(',');
  for (const item of list) {
    if (!(OUTBOUND_PROTOCOLS as readonly string[]).includes(item)) fail(`unknown protocol "${item}" (tcp, udp, tls, dns, any)`);
  }
  return list as OutboundProtocol[];
}

function addBlock(list: BlockList, text: string, fail: (detail: string) => never): void {
  const [address, prefixText, extra] = text.split('/');
  const family = isIP(address);
  if (extra !== undefined || family === 0) {
    fail(`"${text}" is not an IP address, a CIDR block or one of ${Object.keys(NAMED_BLOCKS).join(', ')}`);
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefixText === undefined) return list.addAddress(address, type);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 6 ? 128 : 32)) fail(`bad prefix length /${prefixText}`);
  list.addSubnet(address, prefix, type);
}

function parsePortRange(text: string, fail: (detail: string) => never): readonly [number, number] {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const low = match ? Number(match[1]) : NaN;
  const high = match ? Number(match[2] ?? match[1]) : NaN;
  if (!match || low < 1 || high > 65535 || high < low) fail(`bad port or range "${text}" (1..65535)`);
  return [low, high];
}

/** Whether `rule` covers traffic of `protocol` to `ip` (and `port`; null for a DNS answer). */
export function ruleMatches(rule: OutboundRule, protocol: OutboundProtocol, ip: string, port: number | null): boolean {
  const family = isIP(ip);
  if (!rule.protocols.includes(protocol) || family === 0 || !rule.addresses.check(ip, family === 6 ? 'ipv6' : 'ipv4')) return false;
  if (rule.ports === null || port === null) return true;
  return rule.ports.some(([low, high]) => port >= low && port <= high);
}

import { lookup } from 'node:dns/promises';
import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { MdnsRegistry } from './mdns-registry.js';
import { StackError, type AddressChoice } from './types.js';

export type { AddressChoice };

/** Asks the host for a name's address of `family` (4 unless told); replaceable so tests never touch real DNS. */
export type HostLookup = (name: string, family?: 4 | 6) => Promise<string>;

/** The host's resolver (getaddrinfo) for one family: an A answer, or an AAAA one where asked. */
export const systemLookup: HostLookup = async (name, family = 4) => (await lookup(name, { family })).address;


/** lwIP gives up on a name after a few retries of its DNS query; the firmware's default is about this. */
export const DEFAULT_DNS_TIMEOUT_MS = 10_000;

/**
 * RFC 6761 names that must never resolve: answered 'dns' here without asking anyone, so a lookup of
 * `nothing.invalid` (or a test's `*.test` name) never leaves the machine.
 */
const NEVER_RESOLVES = ['invalid', 'test'];

/**
 * Name resolution of the virtual module (host-mapping.md): the radio world's hosts table first
 * (case-insensitive; its A records, and its AAAA records where IPv6 is asked), then the mDNS names
 * modules announce (IPv4), then the host's resolver. A name the world's table knows is never asked of
 * the host, even for a family it lacks. Numeric IPv4 answers itself (an IPv6 literal too where IPv6 may
 * answer, as lwIP's ipaddr_aton comes first); `localhost` and `*.localhost` are 127.0.0.1 (::1 for IPv6).
 */
export class Resolver {
  constructor(
    private readonly hosts: Readonly<Record<string, string>>,
    private readonly hostLookup: HostLookup = systemLookup,
    private readonly defaultTimeoutMs = DEFAULT_DNS_TIMEOUT_MS,
    /** Names modules announce over mDNS (`<hostname>.local`). */
    private readonly mdns: MdnsRegistry | null = null,
    /** The world's AAAA records (lower-case name -> IPv6 address). */
    private readonly hostsIpv6: Readonly<Record<string, string>> = {},
  ) {}

  /** The answer when no network is needed (numeric address, localhost), else null. */
  localAnswer(name: string, choice: AddressChoice = 'ipv4'): string | null {
    if (isIPv4(name) || (choice !== 'ipv4' && isIPv6(name))) return name;
    const key = normalize(name);
    if (key !== 'localhost' && !key.endsWith('.localhost')) return null;
    return choice === 'ipv6' ? '::1' : '127.0.0.1';
  }

  async resolve(name: string, timeoutMs = this.defaultTimeoutMs, choice: AddressChoice = 'ipv4'): Promise<string> {
    const local = this.localAnswer(name, choice);
    if (local !== null) return local;
    if (choice !== 'ipv4-first') return this.resolveFamily(name, timeoutMs, choice === 'ipv6' ? 6 : 4);
    try {
      return await this.resolveFamily(name, timeoutMs, 4);
    } catch (error) {
      if (!(error instanceof StackError) || error.code !== 'dns') throw error;
      return this.resolveFamily(name, timeoutMs, 6);
    }
  }

  private async resolveFamily(name: string, timeoutMs: number, family: 4 | 6): Promise<string> {
    const key = normalize(name);
    const table = family === 4 ? this.hosts : this.hostsIpv6;
    const known = table[key] ?? (family === 4 ? this.mdns?.lookup(key) : undefined);
    if (known !== undefined && known !== null) return known;
    if (this.hosts[key] !== undefined || this.hostsIpv6[key] !== undefined) {
      throw new StackError('dns', `"${name}" has no IPv${family} address in the world's hosts`);
    }
    if (!isResolvableName(key)) throw new StackError('dns', `cannot resolve "${name}"`);
    return withDeadline(this.askHost(name, key, family), timeoutMs, name);
  }

  private async askHost(name: string, key: string, family: 4 | 6): Promise<string> {
    try {
      const address = await this.hostLookup(key, family);
      if (isIP(address) !== family) throw new Error(`not an IPv${family} answer: ${address}`);
      return address;
    } catch (error) {
      if (error instanceof StackError) throw error;
      throw new StackError('dns', `cannot resolve "${name}": ${(error as Error).message}`);
    }
  }
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function isResolvableName(key: string): boolean {
  if (key.length === 0 || key.length > 253 || isIP(key) !== 0) return false;
  const labels = key.split('.');
  if (labels.some((label) => label.length === 0 || label.length > 63 || !/^[a-z0-9_-]+$/.test(label))) return false;
  return !NEVER_RESOLVES.includes(labels[labels.length - 1]);
}

/** getaddrinfo cannot be cancelled: past the deadline its answer is simply ignored. */
function withDeadline(answer: Promise<string>, timeoutMs: number, name: string): Promise<string> {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return answer;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new StackError('timeout', `no answer for "${name}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    answer.then(
      (address) => {
        clearTimeout(timer);
        resolve(address);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

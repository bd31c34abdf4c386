import { lookup } from 'node:dns/promises';
import { isIP, isIPv4 } from 'node:net';
import type { MdnsRegistry } from './mdns-registry.js';
import { StackError } from './types.js';

/** Asks the host for a name's IPv4 address; replaceable so tests never touch real DNS. */
export type HostLookup = (name: string) => Promise<string>;

/** The host's resolver (getaddrinfo), IPv4 only: a module without IPv6 never sees an AAAA answer. */
export const systemLookup: HostLookup = async (name) => (await lookup(name, { family: 4 })).address;

/** lwIP gives up on a name after a few retries of its DNS query; the firmware's default is about this. */
export const DEFAULT_DNS_TIMEOUT_MS = 10_000;

/**
 * RFC 6761 names that must never resolve: answered 'dns' here without asking anyone, so a lookup of
 * `nothing.invalid` (or a test's `*.test` name) never leaves the machine.
 */
const NEVER_RESOLVES = ['invalid', 'test'];

/**
 * Name resolution of the virtual module (host-mapping.md): the radio world's hosts table first
 * (case-insensitive), then the mDNS names modules announce, then the host's resolver. Numeric IPv4 answers itself; `localhost` and
 * `*.localhost` are 127.0.0.1.
 */
export class Resolver {
  constructor(
    private readonly hosts: Readonly<Record<string, string>>,
    private readonly hostLookup: HostLookup = systemLookup,
    private readonly defaultTimeoutMs = DEFAULT_DNS_TIMEOUT_MS,
    /** Names modules announce over mDNS (`<hostname>.local`). */
    private readonly mdns: MdnsRegistry | null = null,
  ) {}

  /** The answer when no network is needed (numeric address, localhost), else null. */
  localAnswer(name: string): string | null {
    if (isIPv4(name)) return name;
    const key = normalize(name);
    return key === 'localhost' || key.endsWith('.localhost') ? '127.0.0.1' : null;
  }

  async resolve(name: string, timeoutMs = this.defaultTimeoutMs): Promise<string> {
    const local = this.localAnswer(name);
    if (local !== null) return local;
    const key = normalize(name);
    const known = this.hosts[key] ?? this.mdns?.lookup(key);
    if (known !== undefined && known !== null) return known;
    if (!isResolvableName(key)) throw new StackError('dns', `cannot resolve "${name}"`);
    return withDeadline(this.askHost(name, key), timeoutMs, name);
  }

  private async askHost(name: string, key: string): Promise<string> {
    try {
      const address = await this.hostLookup(key);
      if (!isIPv4(address)) throw new Error(`not an IPv4 answer: ${address}`);
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
  if (key.length === 0 || key.length > 253 || isIP(key) !== 0) return false; // IPv6 literals: no IPv6 here
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

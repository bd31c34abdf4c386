import { describe, expect, it } from 'vitest';
import { Resolver, StackError, type HostLookup } from '../../emulator/network/index.js';

/**
 * The resolver's address families (resolver.ts AddressChoice): A only, AAAA only, or A first then AAAA
 * (lwIP's getaddrinfo with AF_INET, AF_INET6, AF_UNSPEC), from the world's two tables and the host.
 */

const HOSTS = { 'peer.lab': '127.0.0.1', 'both.lab': '127.0.0.1' };
const HOSTS_V6 = { 'v6.lab': '::1', 'both.lab': '::1' };

/** The host's resolver stand-in: answers per family, records what it was asked. */
function fakeLookup(answers: Record<string, { 4?: string; 6?: string }>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (name: string, family: 4 | 6 = 4): Promise<string> => {
    asked.push(`${name}/${family}`);
    const answer = answers[name]?.[family];
    if (answer === undefined) throw new Error(`getaddrinfo ENOTFOUND ${name}`);
    return answer;
  };
  return Object.assign(lookup, { asked });
}

async function failureCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StackError) return error.code;
    throw error;
  }
  throw new Error('resolved');
}

describe('Resolver address families', () => {
  it('answers A, AAAA or A-then-AAAA from the world, never asking the host about a world name', async () => {
    const lookup = fakeLookup({});
    const resolver = new Resolver(HOSTS, lookup, 1000, null, HOSTS_V6);
    expect(await resolver.resolve('both.lab')).toBe('127.0.0.1');
    expect(await resolver.resolve('both.lab', 1000, 'ipv6')).toBe('::1');
    expect(await resolver.resolve('both.lab', 1000, 'ipv4-first')).toBe('127.0.0.1');
    expect(await resolver.resolve('V6.lab', 1000, 'ipv4-first')).toBe('::1');
    expect(await failureCode(resolver.resolve('v6.lab'))).toBe('dns');
    expect(await failureCode(resolver.resolve('peer.lab', 1000, 'ipv6'))).toBe('dns');
    expect(lookup.asked).toEqual([]);
  });

  it('asks the host for the family wanted and takes only an answer of that family', async () => {
    const lookup = fakeLookup({ 'far.example': { 6: '2001:db8::5' }, 'odd.example': { 6: '10.0.0.1' } });
    const resolver = new Resolver({}, lookup, 1000);
    expect(await resolver.resolve('far.example', 1000, 'ipv6')).toBe('2001:db8::5');
    expect(await resolver.resolve('far.example', 1000, 'ipv4-first')).toBe('2001:db8::5');
    expect(await failureCode(resolver.resolve('far.example'))).toBe('dns');
    expect(await failureCode(resolver.resolve('odd.example', 1000, 'ipv6'))).toBe('dns');
    expect(lookup.asked).toEqual(['far.example/6', 'far.example/4', 'far.example/6', 'far.example/4', 'odd.example/6']);
  });

  it('literals and localhost: IPv6 ones only where IPv6 may answer', async () => {
    const resolver = new Resolver({}, fakeLookup({}), 1000);
    expect(resolver.localAnswer('::1')).toBeNull();
    expect(resolver.localAnswer('::1', 'ipv4-first')).toBe('::1');
    expect(resolver.localAnswer('127.0.0.1', 'ipv6')).toBe('127.0.0.1');
    expect(resolver.localAnswer('localhost')).toBe('127.0.0.1');
    expect(resolver.localAnswer('localhost', 'ipv6')).toBe('::1');
    expect(await failureCode(resolver.resolve('::1'))).toBe('dns');
  });
});

import { describe, expect, it } from 'vitest';
import { Resolver, StackError, type HostLookup } from '../../emulator/network/index.js';

const HOSTS = { 'copro.local': '127.0.0.1', 'printer.lan': '127.0.0.9' };

/** A stand-in for the host's resolver: real DNS is never asked in these tests. */
function fakeLookup(answers: Record<string, string>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (name: string): Promise<string> => {
    asked.push(name);
    const answer = answers[name];
    if (answer === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
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

describe('Resolver', () => {
  it('answers from the hosts table first, case-insensitively, without asking the host', async () => {
    const lookup = fakeLookup({ 'copro.local': '127.0.0.77' });
    const resolver = new Resolver(HOSTS, lookup);
    expect(await resolver.resolve('copro.local')).toBe('127.0.0.1');
    expect(await resolver.resolve('Printer.LAN')).toBe('127.0.0.9');
    expect(await resolver.resolve('printer.lan.')).toBe('127.0.0.9');
    expect(lookup.asked).toEqual([]);
  });

  it('returns numeric IPv4 as is and maps localhost to 127.0.0.1', async () => {
    const lookup = fakeLookup({});
    const resolver = new Resolver(HOSTS, lookup);
    expect(await resolver.resolve('127.0.0.5')).toBe('127.0.0.5');
    expect(await resolver.resolve('localhost')).toBe('127.0.0.1');
    expect(await resolver.resolve('LOCALHOST.')).toBe('127.0.0.1');
    expect(await resolver.resolve('api.localhost')).toBe('127.0.0.1');
    expect(resolver.localAnswer('copro.local')).toBeNull();
    expect(lookup.asked).toEqual([]);
  });

  it('asks the host resolver for other names (lower-cased)', async () => {
    const lookup = fakeLookup({ 'service.internal': '127.0.0.3' });
    const resolver = new Resolver(HOSTS, lookup);
    expect(await resolver.resolve('Service.Internal')).toBe('127.0.0.3');
    expect(lookup.asked).toEqual(['service.internal']);
  });

  it("turns the host resolver's failure into StackError('dns')", async () => {
    const resolver = new Resolver(HOSTS, fakeLookup({ 'v6only.internal': '::1' }));
    expect(await failureCode(resolver.resolve('unknown.internal'))).toBe('dns');
    // An IPv6 answer is no answer for a module without IPv6.
    expect(await failureCode(resolver.resolve('v6only.internal'))).toBe('dns');
  });

  it('refuses names that can never resolve without asking anyone', async () => {
    const lookup = fakeLookup({});
    const resolver = new Resolver(HOSTS, lookup);
    for (const name of ['nothing.invalid', 'foo.test', '', '::1', 'bad name.lan', 'a..b', `${'x'.repeat(64)}.lan`]) {
      expect(await failureCode(resolver.resolve(name))).toBe('dns');
    }
    expect(lookup.asked).toEqual([]);
  });

  it('does not query real DNS for .invalid names even with the system resolver', async () => {
    const resolver = new Resolver(HOSTS);
    expect(await failureCode(resolver.resolve('copro-never-exists.invalid'))).toBe('dns');
  });

  it("gives up with StackError('timeout') when the host resolver does not answer in time", async () => {
    const resolver = new Resolver(HOSTS, () => new Promise<string>(() => {}));
    expect(await failureCode(resolver.resolve('slow.internal', 30))).toBe('timeout');
  });
});

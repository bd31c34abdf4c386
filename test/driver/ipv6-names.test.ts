import { afterEach, describe, expect, it } from 'vitest';
import { OSError, gaiErrno } from '../../src/errors.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { startRig, stopAll } from './emulator-harness.js';

/**
 * The driver uses the module over IPv4. A name the world gives only an IPv6 address (AT+CIPDOMAIN's
 * IPv4-preferred default answers that address on 2.x) does not resolve for it: EAI_NONAME, not an
 * "unexpected answer"; a name with both families gives its IPv4 address.
 */

afterEach(stopAll);

const WORLD = parseWorldConfig({
  timing: { scale: 0.01 },
  hosts: { 'v6.lab': '::1', 'both.lab': ['127.0.0.1', '::1'] },
});

async function errOf(p: Promise<unknown>): Promise<OSError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OSError) return err;
    throw err;
  }
  throw new Error('expected an OSError');
}

describe('getaddrinfo and IPv6-only names (AT, 2.x)', () => {
  it('EAI_NONAME for a name with only an IPv6 address; the IPv4 one of a name with both', async () => {
    const { copro } = await startRig('pair', undefined, true, { world: WORLD });
    const { usocket } = copro;
    const err = await errOf(usocket.getaddrinfo('v6.lab', 80));
    expect(err.errno).toBe(gaiErrno.EAI_NONAME);
    expect(err.message).toMatch(/only an IPv6 address \(::1\)/);
    expect((await usocket.getaddrinfo('both.lab', 80))[0][4]).toEqual(['127.0.0.1', 80]);
    expect((await errOf(usocket.getaddrinfo('both.lab', 80, usocket.AF_INET6))).errno).toBe(gaiErrno.EAI_FAMILY);
  });
});

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { WorldConfigError, parseWorldConfig } from '../../emulator/world-config.js';
import { OutboundGuard, outboundConfig } from '../../emulator/security/outbound-policy.js';
import { OutboundRuleError, parseOutboundRule, ruleMatches } from '../../emulator/security/outbound-rules.js';
import { Cleanup, TcpPeer, TestHost, joinLab, udpPeer } from '../emulator/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('outbound rules', () => {
  it('parses protocols, blocks, named blocks and port lists', () => {
    const rule = parseOutboundRule('tcp,udp 10.0.0.0/8:80,8000-8100');
    expect(rule.protocols).toEqual(['tcp', 'udp']);
    expect(rule.ports).toEqual([
      [80, 80],
      [8000, 8100],
    ]);
    expect(ruleMatches(rule, 'tcp', '10.9.8.7', 8080)).toBe(true);
    expect(ruleMatches(rule, 'tcp', '10.9.8.7', 443)).toBe(false);
    expect(ruleMatches(rule, 'tls', '10.9.8.7', 80)).toBe(false);
    expect(ruleMatches(rule, 'udp', '11.0.0.1', 80)).toBe(false);
    expect(ruleMatches(parseOutboundRule('private'), 'dns', '172.31.0.1', null)).toBe(true);
    expect(ruleMatches(parseOutboundRule('loopback'), 'tcp', '127.200.0.1', 1)).toBe(true);
    expect(ruleMatches(parseOutboundRule('loopback'), 'tcp', '::1', 1)).toBe(true);
    expect(ruleMatches(parseOutboundRule('loopback'), 'tcp', '::2', 1)).toBe(false);
    expect(ruleMatches(parseOutboundRule('private'), 'udp', 'fd00::5', 9)).toBe(true);
    expect(ruleMatches(parseOutboundRule('*:53'), 'udp', '8.8.8.8', 53)).toBe(true);
  });

  it.each([
    ['tcp', /not an IP address/],
    ['smtp 1.2.3.4', /unknown protocol/],
    ['1.2.3.4/33', /prefix/],
    // IPv6 comes in through the named blocks only (a literal's colons are the port separator).
    ['::1', /not an IP address/],
    ['1.2.3.4:0', /port/],
    ['1.2.3.4:90-80', /port/],
    ['dns 1.2.3.4:53', /take no ports/],
  ])('refuses %j', (text, why) => {
    expect(() => parseOutboundRule(text)).toThrow(OutboundRuleError);
    expect(() => parseOutboundRule(text)).toThrow(why);
  });

  it('a CIDR block matches exactly the addresses that share its prefix (property)', () => {
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
    const toInt = (parts: number[]): number => ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
    fc.assert(
      fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (net, address, prefix) => {
        const rule = parseOutboundRule(`tcp ${net.join('.')}/${prefix}`);
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        const inside = ((toInt(net) & mask) >>> 0) === ((toInt(address) & mask) >>> 0);
        return ruleMatches(rule, 'tcp', address.join('.'), 1) === inside;
      }),
    );
  });

  it('deny wins; an allow list confines only the protocols it names; default overrides', () => {
    const guard = new OutboundGuard(outboundConfig({ allow: ['tcp loopback'], deny: ['tcp 127.0.0.9'] }));
    expect(guard.decide('tcp', '127.0.0.1', 80).allowed).toBe(true);
    expect(guard.decide('tcp', '127.0.0.9', 80)).toEqual({ allowed: false, because: 'deny "tcp 127.0.0.9"' });
    expect(guard.decide('tcp', '8.8.8.8', 80)).toEqual({ allowed: false, because: 'default deny' });
    expect(guard.decide('udp', '8.8.8.8', 53)).toEqual({ allowed: true, because: 'default allow' });
    expect(guard.permitsAnswer('93.184.216.34')).toBe(true);
    const strict = new OutboundGuard(outboundConfig({ default: 'deny' }));
    expect(strict.decide('udp', '127.0.0.1', 1).allowed).toBe(false);
    expect(new OutboundGuard(outboundConfig({})).decide('tls', '1.1.1.1', 443).allowed).toBe(true);
  });

  it('the config section is checked like the rest of the world file', () => {
    const world = parseWorldConfig({ outbound: { allow: ['loopback'], default: 'deny' } });
    expect(world.outbound?.allow[0].text).toBe('loopback');
    expect(() => parseWorldConfig({ outbound: { allow: ['loopbak'] } })).toThrow(WorldConfigError);
    expect(() => parseWorldConfig({ outbound: { allow: ['loopbak'] } })).toThrow(/outbound\.allow\[0\]/);
    expect(() => parseWorldConfig({ outbound: { default: 'maybe' } })).toThrow(/outbound\.default/);
    expect(() => parseWorldConfig({ outbound: { permit: [] } })).toThrow(/unknown field/);
  });
});

describe('outbound policy in the module', () => {
  const notes: string[] = [];
  const tracer = { fromHost() {}, toHost() {}, note: (text: string) => notes.push(text) };

  async function moduleWith(outbound: Record<string, unknown>, hosts: Record<string, string> = {}) {
    notes.length = 0;
    const world = parseWorldConfig({ timing: { scale: 0.01 }, hosts, outbound });
    const emu = await startEmulator({ world, trace: tracer, network: { lookup: async () => Promise.reject(new Error('no DNS in tests')) } });
    cleanup.add(() => emu.close());
    const host = new TestHost(emu.host!);
    await host.expect('\r\nready\r\n');
    await joinLab(host, { mux: true });
    return host;
  }

  it('denied TCP and UDP destinations are the firmware\'s connect failure: ERROR', async () => {
    const allowed = await TcpPeer.start(cleanup);
    const denied = await TcpPeer.start(cleanup);
    const udp = await udpPeer(cleanup);
    const host = await moduleWith({ allow: [`tcp loopback:${allowed.port}`], deny: ['udp loopback'] });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${allowed.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=1,"TCP","127.0.0.1",${denied.port}\r\n`, '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART=2,"UDP","127.0.0.1",${udp.port}\r\n`, '\r\nERROR\r\n');
    expect(denied.sockets).toHaveLength(0);
    expect(notes).toContain(`outbound policy denies tcp 127.0.0.1:${denied.port} (default deny)`);
    expect(notes).toContain(`outbound policy denies udp 127.0.0.1:${udp.port} (deny "udp loopback")`);
  });

  it('a denied DNS answer is a DNS failure; allowed names still resolve', async () => {
    const host = await moduleWith({ deny: ['dns private'] }, { 'lan.lab': '10.1.2.3', 'peer.lab': '127.0.0.1' });
    await host.exchange('AT+CIPDOMAIN="lan.lab"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPDOMAIN="peer.lab"\r\n', '+CIPDOMAIN:"127.0.0.1"\r\n\r\nOK\r\n');
  });
});

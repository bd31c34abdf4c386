/**
 * The pure parts of node-net: how driver errors become Node's, how Node's argument forms of
 * connect/send/bind and its TLS options are read, the idle timer on fake time, and readiness waits.
 */
import { describe, expect, it } from 'vitest';
import { osError } from '../../src/errors.js';
import { checkPort, normalizeConnectArgs, targetOf } from '../../src/node-net/connect-args.js';
import { bindArgs, sendArgs } from '../../src/node-net/dgram-args.js';
import { IdleTimer } from '../../src/node-net/idle-timer.js';
import { NodeNetError, toNodeError } from '../../src/node-net/node-errors.js';
import { ReadinessWait } from '../../src/node-net/readiness-wait.js';
import { moduleTlsOptions } from '../../src/node-net/tls-options.js';
import { ChangeSignal } from '../../src/usocket/timeout.js';
import { ManualClock } from '../helpers/manual-clock.js';

describe('Node-style errors', () => {
  it('carry the code, libuv errno, syscall, address and the OSError as cause', () => {
    const cause = osError('ECONNREFUSED', 'the module could not connect');
    const err = toNodeError(cause, { syscall: 'connect', address: '10.0.0.9', port: 80 }) as NodeNetError;
    expect(err).toBeInstanceOf(NodeNetError);
    expect([err.message, err.code, err.errno, err.syscall, err.address, err.port]).toEqual(['connect ECONNREFUSED 10.0.0.9:80', 'ECONNREFUSED', -111, 'connect', '10.0.0.9', 80]);
    expect(err.cause).toBe(cause);
    expect('hostname' in err).toBe(false);
  });

  it.each([
    ['EAI_NONAME', 'getaddrinfo', 'ENOTFOUND'],
    ['EAI_AGAIN', 'getaddrinfo', 'EAI_AGAIN'],
    ['ETIMEDOUT', 'connect', 'ETIMEDOUT'],
    ['ECONNABORTED', 'read', 'ECONNABORTED'],
    ['ENOTCONN', 'write', 'ECONNRESET'],
    ['ENOTCONN', 'read', 'ENOTCONN'],
    ['ECONNRESET', 'write', 'ECONNRESET'],
    ['EIO', 'write', 'EIO'],
  ] as const)('%s in %s is %s', (name, syscall, code) => {
    expect((toNodeError(osError(name), { syscall }) as NodeNetError).code).toBe(code);
  });

  it('names the host of a failed lookup, with the errno Node gives ENOTFOUND', () => {
    const err = toNodeError(osError('EAI_NONAME'), { syscall: 'getaddrinfo', hostname: 'x.invalid' }) as NodeNetError;
    expect([err.message, err.hostname, err.errno]).toEqual(['getaddrinfo ENOTFOUND x.invalid', 'x.invalid', -3008]);
  });

  it('leaves errors that are not OSErrors alone', () => {
    const plain = new TypeError('bad');
    expect(toNodeError(plain, { syscall: 'read' })).toBe(plain);
  });
});

describe("connect()'s argument forms", () => {
  const listener = (): void => undefined;

  it.each([
    [[{ port: 80, host: 'a' }, listener], { port: 80, host: 'a' }, true],
    [[80, 'a', listener], { port: 80, host: 'a' }, true],
    [[80, listener], { port: 80 }, true],
    [['8080', 'a'], { port: '8080', host: 'a' }, false],
    [['/tmp/x.sock', listener], { path: '/tmp/x.sock' }, true],
  ] as const)('%j', (args, options, withListener) => {
    const normalized = normalizeConnectArgs(args);
    expect(normalized.options).toEqual(options);
    expect(normalized.listener === listener).toBe(withListener);
  });

  it("checks ports as Node does, and defaults the host to localhost", () => {
    expect(targetOf({ port: '8080' })).toEqual({ host: 'localhost', port: 8080 });
    for (const bad of [0, -1, 65536, 1.5, 'x', undefined]) expect(() => checkPort(bad)).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_BAD_PORT' }));
    expect(checkPort(0, true)).toBe(0);
    expect(() => targetOf({ path: '/run/x.sock' })).toThrow(/IPC paths/);
  });
});

describe("dgram's send() and bind() argument forms", () => {
  const cb = (): void => undefined;
  const msg = Buffer.from('0123456789');

  it('reads an unconnected send with and without offset/length', () => {
    expect(sendArgs([msg, 9, '10.0.0.1', cb], false)).toEqual({ data: msg, port: 9, address: '10.0.0.1', callback: cb });
    expect(sendArgs([msg, 9, cb], false)).toEqual({ data: msg, port: 9, address: undefined, callback: cb });
    expect(sendArgs([msg, 2, 3, 9, '10.0.0.1', cb], false)).toMatchObject({ port: 9, address: '10.0.0.1', callback: cb });
    expect(sendArgs([msg, 2, 3, 9, '10.0.0.1'], false).data.toString()).toBe('234');
    expect(sendArgs([msg, 2, 3, 9, cb], false)).toMatchObject({ port: 9, address: undefined, callback: cb });
    expect(sendArgs([['ab', Buffer.from('cd')], 9], false).data.toString()).toBe('abcd');
  });

  it('reads a connected send, and refuses an address there', () => {
    expect(sendArgs([msg, cb], true)).toEqual({ data: msg, callback: cb });
    expect(sendArgs([msg, 1, 2, cb], true).data.toString()).toBe('12');
    expect(() => sendArgs([msg, 9, '10.0.0.1'], true)).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_DGRAM_IS_CONNECTED' }));
  });

  it('reads bind() forms', () => {
    expect(bindArgs([])).toEqual({ port: 0, address: undefined, callback: undefined });
    expect(bindArgs([5000, '0.0.0.0', cb])).toEqual({ port: 5000, address: '0.0.0.0', callback: cb });
    expect(bindArgs([{ port: 5000 }, cb])).toEqual({ port: 5000, address: undefined, callback: cb });
  });
});

describe("TLS options in the module's terms", () => {
  it('verifies by default with CA entry 0 and sends the host name as SNI', () => {
    expect(moduleTlsOptions({}, 'api.lab')).toEqual({ serverHostname: 'api.lab', caIndex: 0 });
    expect(moduleTlsOptions({ ca: 2, servername: 'other.lab' }, '10.0.0.1')).toEqual({ serverHostname: 'other.lab', caIndex: 2 });
  });

  it('sends no SNI for an address or an empty servername, verifies nothing without rejectUnauthorized', () => {
    expect(moduleTlsOptions({ rejectUnauthorized: false }, '10.0.0.1')).toEqual({});
    expect(moduleTlsOptions({ rejectUnauthorized: false, servername: '' }, 'api.lab')).toEqual({});
  });

  it('takes client certificates and ALPN in any of Node forms', () => {
    const wire = Uint8Array.from([2, ...Buffer.from('h2'), 8, ...Buffer.from('http/1.1')]);
    expect(moduleTlsOptions({ cert: 1, key: 1, ALPNProtocols: wire, rejectUnauthorized: false }, '10.0.0.1')).toEqual({ clientCertIndex: 1, alpn: ['h2', 'http/1.1'] });
    expect(moduleTlsOptions({ ALPNProtocols: [Buffer.from('mqtt')], rejectUnauthorized: false }, '10.0.0.1')).toEqual({ alpn: ['mqtt'] });
  });

  it('refuses PEM where the module needs a store entry, and names it cannot take', () => {
    const invalid = expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' });
    expect(() => moduleTlsOptions({ ca: '-----BEGIN CERTIFICATE-----' as unknown as number }, 'a.lab')).toThrow(invalid);
    expect(() => moduleTlsOptions({ cert: 0, key: 1 }, 'a.lab')).toThrow(invalid);
    expect(() => moduleTlsOptions({ servername: 'a"b' }, 'a.lab')).toThrow(invalid);
  });
});

describe('the idle timer', () => {
  it('fires after the idle time, restarts on activity, stops at 0', async () => {
    const clock = new ManualClock();
    let fired = 0;
    const idle = new IdleTimer(clock, () => (fired += 1));
    idle.touch(); // off: nothing armed
    expect(clock.timers).toBe(0);
    idle.set(100);
    await clock.advance(60);
    idle.touch();
    await clock.advance(60);
    expect(fired).toBe(0);
    await clock.advance(40);
    expect(fired).toBe(1);
    idle.set(0);
    expect(clock.timers).toBe(0);
  });
});

describe('readiness waits', () => {
  it('resolve when the condition holds after a change, unsubscribe, and can be cancelled', async () => {
    const signal = new ChangeSignal();
    const wait = new ReadinessWait();
    let ready = false;
    const waiting = wait.until(signal, () => ready);
    expect(signal.waiting).toBe(1);
    signal.fire();
    ready = true;
    signal.fire();
    expect(await waiting).toBe(true);
    expect(signal.waiting).toBe(0);
    ready = false;
    const cancelled = wait.until(signal, () => ready);
    wait.cancel();
    expect(await cancelled).toBe(false);
    expect(signal.waiting).toBe(0);
  });
});

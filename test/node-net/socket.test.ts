/**
 * createConnection() over the emulated module through a real PTY, ESP-AT and NINA: net.Socket's
 * events in Node's order, its properties, end() then reading on, destroy(), idle timeouts on a
 * manual clock, and failures as Node-style errors keeping the driver's OSError as cause.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OSError } from '../../src/errors.js';
import { nodeNet } from '../../src/node-net/index.js';
import { echoServer, freePort, stopAll, tcpServer, until } from '../driver/emulator-harness.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { BACKENDS, errorOf, next, readToEnd, recordEvents, startNetRig } from './net-helpers.js';

afterEach(stopAll);

/** A server that answers `hello` to a line and ends its side. */
async function helloServer(): Promise<number> {
  return tcpServer((peer) => {
    peer.once('data', () => {
      peer.write('hello');
      peer.end();
    });
  });
}

describe.each(BACKENDS)('createConnection over $protocol', ({ protocol }) => {
  it("connects, talks and closes with net.Socket's events in Node's order", async () => {
    const rig = await startNetRig(protocol);
    const port = await helloServer();
    const socket = rig.copro.createConnection(port, '127.0.0.1');
    const events = recordEvents(socket, ['connect', 'ready', 'end', 'finish', 'close']);
    expect([socket.connecting, socket.pending, socket.readyState]).toEqual([true, true, 'opening']);
    socket.write('ping\n');
    const reply = await readToEnd(socket);
    await until(() => events.includes('close'));
    expect(reply.toString()).toBe('hello');
    expect(events).toEqual(['connect', 'ready', 'end', 'finish', 'close']);
    // Still known after the close, as net.Socket keeps the peer's address once read.
    expect([socket.remoteAddress, socket.remotePort, socket.remoteFamily]).toEqual(['127.0.0.1', port, 'IPv4']);
    expect([socket.bytesRead, socket.bytesWritten, socket.readyState]).toEqual([5, 5, 'closed']);
  });

  it('reports the peer, its own address and counts while connected', async () => {
    const rig = await startNetRig(protocol);
    const { port } = await echoServer();
    const socket = rig.copro.connect({ port, host: '127.0.0.1' });
    await next(socket, 'connect');
    const ip = (await rig.copro.wlan.ifconfig())[0];
    expect([socket.connecting, socket.pending, socket.readyState]).toEqual([false, false, 'open']);
    expect([socket.remoteAddress, socket.remotePort, socket.remoteFamily]).toEqual(['127.0.0.1', port, 'IPv4']);
    expect([socket.localAddress, socket.localFamily, socket.localPort]).toEqual([ip, 'IPv4', undefined]);
    expect(socket.address()).toEqual({ address: ip, family: 'IPv4', port: 0 });
    socket.write('abc');
    const [data] = await next<[Buffer]>(socket, 'data');
    expect(data.toString()).toBe('abc');
    expect([socket.bytesRead, socket.bytesWritten]).toEqual([3, 3]);
    socket.destroy();
    await next(socket, 'close');
  });

  it('resolves a name through the module and emits lookup first', async () => {
    const rig = await startNetRig(protocol);
    const { port } = await echoServer();
    const socket = rig.copro.createConnection({ port, host: 'copro.local' });
    const [err, address, family, host] = await next(socket, 'lookup');
    expect([err, address, family, host]).toEqual([null, '127.0.0.1', 4, 'copro.local']);
    await next(socket, 'connect');
    expect(socket.remoteAddress).toBe('127.0.0.1');
    socket.destroy();
  });

  it('keeps reading after end(): the reply to a request sent with end() arrives', async () => {
    const rig = await startNetRig(protocol);
    const port = await tcpServer((peer) => {
      peer.once('data', () => setTimeout(() => peer.end('pong'), 50));
    });
    const socket = rig.copro.createConnection(port, '127.0.0.1');
    const events = recordEvents(socket, ['finish', 'data', 'end', 'close']);
    socket.end('ping\n');
    const reply = await readToEnd(socket);
    await until(() => events.includes('close'));
    expect(reply.toString()).toBe('pong');
    expect(events).toEqual(['finish', 'data', 'end', 'close']);
  });

  it("destroy() releases the module's link: the peer sees the connection end", async () => {
    const rig = await startNetRig(protocol);
    const { port, sockets } = await echoServer();
    const socket = rig.copro.createConnection(port, '127.0.0.1');
    await next(socket, 'connect');
    await until(() => sockets.length === 1);
    const peerClosed = next(sockets[0], 'close');
    socket.destroy();
    const [hadError] = await next<[boolean]>(socket, 'close');
    expect(hadError).toBe(false);
    await peerClosed;
  });

  it('destroy(err) emits that error, then close with hadError', async () => {
    const rig = await startNetRig(protocol);
    const { port } = await echoServer();
    const socket = rig.copro.createConnection(port, '127.0.0.1');
    await next(socket, 'connect');
    const events: unknown[] = [];
    socket.on('error', (e: Error) => events.push(e.message));
    socket.on('close', (hadError: boolean) => events.push(hadError));
    socket.destroy(new Error('enough'));
    await until(() => events.length === 2);
    expect(events).toEqual(['enough', true]);
  });

  it('with allowHalfOpen the peer\'s end leaves the socket writable, and a write fails as ECONNRESET', async () => {
    const rig = await startNetRig(protocol);
    const port = await helloServer();
    const socket = rig.copro.createConnection({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.write('ping\n');
    expect((await readToEnd(socket)).toString()).toBe('hello');
    expect(socket.writable).toBe(true);
    socket.write('too late');
    const err = await errorOf(socket);
    expect([err.code, err.syscall]).toEqual(['ECONNRESET', 'write']);
    expect(err.cause).toBeInstanceOf(OSError);
  });

  it('a refused connection is ECONNREFUSED with the OSError as cause', async () => {
    const rig = await startNetRig(protocol);
    const port = await freePort();
    const socket = rig.copro.createConnection(port, '127.0.0.1');
    const events = recordEvents(socket, ['connect', 'close']);
    const err = await errorOf(socket);
    expect([err.code, err.errno, err.syscall, err.message]).toEqual(['ECONNREFUSED', -111, 'connect', `connect ECONNREFUSED 127.0.0.1:${port}`]);
    expect((err.cause as OSError).errno).toBe(111);
    await until(() => events.includes('close'));
    expect(events).toEqual(['close']);
  });

  it('a name the module cannot resolve is ENOTFOUND from getaddrinfo', async () => {
    const rig = await startNetRig(protocol);
    const socket = rig.copro.createConnection(80, 'nothing.invalid');
    const err = await errorOf(socket);
    expect([err.code, err.syscall, (err as { hostname?: string }).hostname]).toEqual(['ENOTFOUND', 'getaddrinfo', 'nothing.invalid']);
    expect(err.cause).toBeInstanceOf(OSError);
  });

  it('a connect the module does not finish within connectTimeout is ETIMEDOUT', async () => {
    const rig = await startNetRig(protocol);
    // A server that accepts and never answers the TLS ClientHello: the module's handshake hangs.
    const port = await tcpServer(() => undefined);
    const socket = rig.copro.tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, connectTimeout: 300 });
    const err = await errorOf(socket);
    expect([err.code, err.syscall, err.message]).toEqual(['ETIMEDOUT', 'connect', `connect ETIMEDOUT 127.0.0.1:${port}`]);
    expect((err.cause as OSError).errno).toBe(110);
  });

  it("the peer's reset during an upload fails the writer with ECONNRESET", async () => {
    const rig = await startNetRig(protocol);
    const port = await tcpServer((peer) => {
      let got = 0;
      peer.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got >= 32 * 1024) peer.resetAndDestroy();
      });
    });
    const socket = rig.copro.createConnection(port, '127.0.0.1');
    socket.write(Buffer.alloc(1024 * 1024, 0x5a));
    const err = await errorOf(socket, 30_000);
    expect([err.code, err.syscall]).toEqual(['ECONNRESET', 'write']);
    expect(err.cause).toBeInstanceOf(OSError);
  }, 40_000);

  it("emits 'timeout' after the idle time, restarted by activity, without closing", async () => {
    const rig = await startNetRig(protocol);
    const { port } = await echoServer();
    const clock = new ManualClock();
    const socket = nodeNet(rig.copro.backend, { clock }).createConnection({ port, host: '127.0.0.1', timeout: 1000 });
    let timeouts = 0;
    socket.on('timeout', () => (timeouts += 1));
    await next(socket, 'connect');
    await clock.advance(900);
    socket.write('x');
    await next(socket, 'data');
    await clock.advance(900);
    expect([timeouts, socket.timeout]).toEqual([0, 1000]);
    await clock.advance(100);
    expect(timeouts).toBe(1);
    expect(socket.destroyed).toBe(false);
    socket.setTimeout(0);
    await clock.advance(5000);
    expect([timeouts, socket.timeout]).toEqual([1, undefined]);
    socket.destroy();
  });
});

describe.each([{ carrier: 'pair' as const }, { carrier: 'tcp' as const }])('createConnection over emu:/tcp:// ($carrier)', ({ carrier }) => {
  it('echoes', async () => {
    const rig = await startNetRig('at', {}, carrier);
    const { port } = await echoServer();
    const socket = rig.copro.createConnection(port, '127.0.0.1');
    socket.write('over any carrier');
    const [data] = await next<[Buffer]>(socket, 'data');
    expect(data.toString()).toBe('over any carrier');
    socket.destroy();
  });
});

it('setKeepAlive() before the module connects reaches AT+CIPSTART', async () => {
  const trace: string[] = [];
  const rig = await startNetRig('at', { trace: (line) => trace.push(line) });
  const { port } = await echoServer();
  const socket = rig.copro.createConnection(port, '127.0.0.1').setKeepAlive(true, 30_000);
  await next(socket, 'connect');
  expect(trace).toContain(`> AT+CIPSTART=0,"TCP","127.0.0.1",${port},30`);
  socket.destroy();
});

it('refuses what a module cannot do at the call, as Node refuses bad arguments', async () => {
  const rig = await startNetRig('at');
  expect(() => rig.copro.createConnection(0, '127.0.0.1')).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_BAD_PORT' }));
  expect(() => rig.copro.createConnection('/tmp/some.sock')).toThrow(/IPC paths/);
  expect(() => rig.copro.tlsConnect({ port: 443, host: 'copro.local', ca: 'PEM' as unknown as number })).toThrow(
    expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
  );
});

/**
 * createSocket('udp4') over a UDP link of the module through a real PTY, ESP-AT and NINA: bind,
 * send with a callback, 'message' with rinfo, connect() filtering, close(), and the module's size
 * limit as EMSGSIZE.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteInfo } from '../../src/node-net/index.js';
import { stopAll, udpEcho, udpPeer, until } from '../driver/emulator-harness.js';
import { BACKENDS, next, startNetRig } from './net-helpers.js';

afterEach(stopAll);

type Sent = [Error | null, number];

describe.each(BACKENDS)('createSocket over $protocol', ({ protocol }) => {
  it('binds, sends, and receives datagrams with their sender', async () => {
    const rig = await startNetRig(protocol);
    const peer = await udpPeer();
    const socket = rig.copro.createSocket('udp4');
    socket.bind(0);
    await next(socket, 'listening');
    const { port: localPort, family } = socket.address();
    expect(family).toBe('IPv4');
    expect(localPort).toBeGreaterThanOrEqual(49152);

    const arrived = next<[Buffer, { port: number }]>(peer, 'message');
    const sent = await new Promise<Sent>((resolve) => socket.send('ping', peer.address().port, '127.0.0.1', (err, bytes) => resolve([err, bytes])));
    expect(sent).toEqual([null, 4]);
    const [datagram, from] = await arrived;
    expect(datagram.toString()).toBe('ping');

    const heard = next<[Buffer, RemoteInfo]>(socket, 'message');
    peer.send('pong', from.port, '127.0.0.1');
    const [message, rinfo] = await heard;
    expect(message.toString()).toBe('pong');
    expect(rinfo).toEqual({ address: '127.0.0.1', family: 'IPv4', port: peer.address().port, size: 4 });

    const closed = next(socket, 'close');
    socket.close();
    await closed;
  });

  it('binds on first send, and once connected hears only its peer', async () => {
    const rig = await startNetRig(protocol);
    const echo = await udpEcho();
    const stranger = await udpPeer();
    const socket = rig.copro.createSocket({ type: 'udp4' });
    socket.connect(echo, '127.0.0.1');
    await next(socket, 'connect');
    expect(socket.remoteAddress()).toEqual({ address: '127.0.0.1', family: 'IPv4', port: echo });
    const messages: string[] = [];
    socket.on('message', (m: Buffer) => messages.push(m.toString()));
    stranger.send('not for you', socket.address().port, '127.0.0.1');
    // Apart from our own send: nina-fw keeps one remote address per UDP socket, and a send in
    // between would make the stranger's datagram read as the destination's (docs/driver.md).
    await new Promise((r) => setTimeout(r, 200));
    socket.send('hello');
    // A stranger's datagram let through would have come in before the echo.
    await until(() => messages.length > 0, 5000);
    expect(messages).toEqual(['echo:hello']);
    socket.close();
  });

  it('resolves names through the module; reports what cannot be sent in the callback', async () => {
    const rig = await startNetRig(protocol);
    const peer = await udpPeer();
    const socket = rig.copro.createSocket('udp4');
    const send = (data: Buffer, host: string): Promise<Sent> => new Promise((resolve) => socket.send(data, peer.address().port, host, (e, n) => resolve([e, n])));
    const arrived = next<[Buffer]>(peer, 'message');
    expect(await send(Buffer.from('by name'), 'copro.local')).toEqual([null, 7]);
    expect(String((await arrived)[0])).toBe('by name');
    expect((await send(Buffer.alloc(9000), '127.0.0.1'))[0]).toMatchObject({ code: 'EMSGSIZE', syscall: 'send' });
    expect((await send(Buffer.from('x'), 'nothing.invalid'))[0]).toMatchObject({ code: 'ENOTFOUND', syscall: 'getaddrinfo' });
    expect(() => socket.send('x', 0, '127.0.0.1')).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_BAD_PORT' }));
    socket.close();
  });
});

it('refuses udp6: the module is used with IPv4 only', async () => {
  const rig = await startNetRig('at');
  expect(() => rig.copro.createSocket('udp6')).toThrow(expect.objectContaining({ code: 'EAFNOSUPPORT' }));
});

import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_SOCKET, formatRequest, NinaCode, ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { freePort, startEchoServer, startUdpPeer, type EchoServer, type UdpPeer } from '../e2e/fixtures.js';
import { eventually, withTimeout } from '../helpers/deadline.js';
import { acceptClient, availableAtLeast } from './full-session.js';
import { joinLab, startNinaBench, type NinaBench } from './harness.js';

const text = f.textBytes;
const str = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const loopback = f.ipv4Bytes('127.0.0.1');

describe('NINA sockets: nina-fw semantics', () => {
  let bench: NinaBench | undefined;
  let echo: EchoServer | undefined;
  let udp: UdpPeer | undefined;
  const peers: net.Socket[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.destroy();
    await bench?.close();
    await echo?.close();
    await udp?.close();
    bench = echo = udp = undefined;
  });

  it('GET_SOCKET does not reserve: it answers the same number until a socket is started there', async () => {
    echo = await startEchoServer();
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    expect(await h.byte('GET_SOCKET')).toBe(0);
    expect(await h.byte('GET_SOCKET')).toBe(0);
    expect(await h.byte('START_CLIENT_TCP', [loopback, f.u16be(echo.port), f.u8(0), f.u8(0)])).toBe(1);
    expect(await h.byte('GET_SOCKET')).toBe(1);
  });

  it('answers a refused connect with zero parameters, and a connect by host name through the hosts table', async () => {
    echo = await startEchoServer();
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    const closed = await freePort();
    expect(await h.call('START_CLIENT_TCP', [loopback, f.u16be(closed), f.u8(0), f.u8(0)])).toEqual([]);
    const byName = [text('copro.local'), f.ipv4Bytes('0.0.0.0'), f.u16be(echo.port), f.u8(0), f.u8(0)];
    expect(await h.byte('START_CLIENT_TCP', byName)).toBe(1);
    const [ip] = await h.call('GET_REMOTE_DATA', [f.u8(0)]);
    expect(f.ipv4Text(ip)).toBe('127.0.0.1');
  });

  it('answers a TLS connect it cannot complete with zero parameters, and carries on', async () => {
    echo = await startEchoServer();
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    // A plain TCP peer (or a stack without TLS): nina-fw's failed START_CLIENT_TCP.
    expect(await h.call('START_CLIENT_TCP', [loopback, f.u16be(echo.port), f.u8(0), f.u8(2)], 10_000)).toEqual([]);
    expect(await h.byte('GET_SOCKET')).toBe(0);
  });

  it('refuses what nina-fw would overflow: socket numbers ≥ 10, missing parameters', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    expect(await h.request('GET_CLIENT_STATE_TCP', [f.u8(10)])).toEqual({ type: 'error-reply' });
    expect(await h.request('START_CLIENT_TCP', [loopback])).toEqual({ type: 'error-reply' });
    expect(await h.request('GET_DATABUF_TCP', [f.u8(0)])).toEqual({ type: 'error-reply' });
    expect(await h.byte('GET_SOCKET')).toBe(0);
  });

  it('answers requests sent back to back in order, even while a connect is running', async () => {
    echo = await startEchoServer();
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    await h.raw(
      Buffer.concat([
        formatRequest(NinaCode.START_CLIENT_TCP, [loopback, f.u16be(echo.port), f.u8(0), f.u8(0)]),
        formatRequest(NinaCode.GET_CLIENT_STATE_TCP, [f.u8(0)]),
        formatRequest(NinaCode.GET_SOCKET),
      ]),
    );
    const replies = [await h.next(), await h.next(), await h.next()];
    expect(replies.map((r) => (r.type === 'reply' ? [r.command, Array.from(r.params[0] ?? [])] : r.type))).toEqual([
      [NinaCode.START_CLIENT_TCP, [1]],
      [NinaCode.GET_CLIENT_STATE_TCP, [4]],
      [NinaCode.GET_SOCKET, [1]],
    ]);
  });

  it('keeps a peer-closed socket ESTABLISHED until its data is read, then frees it', async () => {
    const server = net.createServer((s) => s.end('bye'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      bench = await startNinaBench();
      const h = bench.host;
      await joinLab(h);
      const port = (server.address() as net.AddressInfo).port;
      expect(await h.byte('START_CLIENT_TCP', [loopback, f.u16be(port), f.u8(0), f.u8(0)])).toBe(1);
      expect(await availableAtLeast(h, 0, 3)).toBe(3);
      expect(await h.byte('GET_CLIENT_STATE_TCP', [f.u8(0)])).toBe(4);
      expect(await h.byte('GET_DATA_TCP', [f.u8(0), f.u8(1)])).toBe(0x62); // peek 'b'
      expect(str((await h.call('GET_DATABUF_TCP', [f.u8(0), f.u16le(2)]))[0])).toBe('by');
      expect(await h.byte('GET_DATA_TCP', [f.u8(0), f.u8(0)])).toBe(0x65); // read 'e'
      expect(await h.byte('GET_CLIENT_STATE_TCP', [f.u8(0)])).toBe(0);
      expect(await h.byte('GET_SOCKET')).toBe(0);
    } finally {
      server.close();
    }
  });

  it('moves 64 KiB each way through SEND_DATA_TCP / GET_DATABUF_TCP intact', async () => {
    echo = await startEchoServer();
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    expect(await h.byte('START_CLIENT_TCP', [loopback, f.u16be(echo.port), f.u8(0), f.u8(0)])).toBe(1);
    const payload = Buffer.alloc(64 * 1024, 0);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) & 0xff;
    const got: Buffer[] = [];
    let gotBytes = 0;
    for (let at = 0; at < payload.length; at += 4000) {
      const [written] = await h.call('SEND_DATA_TCP', [f.u8(0), payload.subarray(at, at + 4000)]);
      expect(f.readU16le(written)).toBe(Math.min(4000, payload.length - at));
    }
    for (let guard = 0; guard < 2000 && gotBytes < payload.length; guard++) {
      const [chunk] = await h.call('GET_DATABUF_TCP', [f.u8(0), f.u16le(4086)]);
      got.push(Buffer.from(chunk));
      gotBytes += chunk.length;
      if (chunk.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(Buffer.concat(got).equals(payload)).toBe(true);
  });

  it('UDP: staged bytes stay after SEND_UDP_DATA until START_CLIENT_TCP starts a new datagram', async () => {
    udp = await startUdpPeer();
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    expect(await h.byte('START_SERVER_TCP', [f.u16be(0), f.u8(3), f.u8(1)])).toBe(1);
    const destination = [loopback, f.u16be(udp.port), f.u8(3), f.u8(1)];
    expect(await h.byte('START_CLIENT_TCP', destination)).toBe(1);
    expect(await h.byte('INSERT_DATABUF', [f.u8(3), text('ab')])).toBe(1);
    expect(await h.byte('SEND_UDP_DATA', [f.u8(3)])).toBe(1);
    expect(await h.byte('INSERT_DATABUF', [f.u8(3), text('cd')])).toBe(1);
    expect(await h.byte('SEND_UDP_DATA', [f.u8(3)])).toBe(1);
    expect(await h.byte('START_CLIENT_TCP', destination)).toBe(1);
    expect(await h.byte('INSERT_DATABUF', [f.u8(3), text('ef')])).toBe(1);
    expect(await h.byte('SEND_UDP_DATA', [f.u8(3)])).toBe(1);
    expect(await eventually(() => udp!.received.length === 3, 3000)).toBe(true);
    expect(udp.received.map((d) => d.data.toString())).toEqual(['ab', 'abcd', 'ef']);
  });

  it('UDP: a datagram is read in parts; polling the state of a UDP socket frees its number', async () => {
    udp = await startUdpPeer();
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    expect(await h.byte('START_SERVER_TCP', [f.u16be(0), f.u8(0), f.u8(1)])).toBe(1);
    expect(await h.byte('START_CLIENT_TCP', [loopback, f.u16be(udp.port), f.u8(0), f.u8(1)])).toBe(1);
    expect(await h.byte('INSERT_DATABUF', [f.u8(0), text('x')])).toBe(1);
    expect(await h.byte('SEND_UDP_DATA', [f.u8(0)])).toBe(1);
    expect(await eventually(() => udp!.received.length === 1, 3000)).toBe(true);
    const { from } = udp.received[0];
    udp.socket.send(Buffer.from('hello'), from.port, from.address);
    udp.socket.send(Buffer.from('world!'), from.port, from.address);
    expect(await availableAtLeast(h, 0, 5)).toBe(5);
    expect(str((await h.call('GET_DATABUF_TCP', [f.u8(0), f.u16le(3)]))[0])).toBe('hel');
    expect(str((await h.call('GET_DATABUF_TCP', [f.u8(0), f.u16le(100)]))[0])).toBe('lo');
    expect(await availableAtLeast(h, 0, 6)).toBe(6);
    expect(str((await h.call('GET_DATABUF_TCP', [f.u8(0), f.u16le(100)]))[0])).toBe('world!');
    expect(await h.byte('GET_CLIENT_STATE_TCP', [f.u8(0)])).toBe(0);
    expect(await h.byte('GET_SOCKET')).toBe(0);
  });

  it('server: without the accept flag only a client that has sent data is handed out', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    const port = await freePort();
    expect(await h.byte('START_SERVER_TCP', [f.u16be(port), f.u8(0), f.u8(0)])).toBe(1);
    const peer = net.connect(port, '127.0.0.1');
    peers.push(peer);
    await withTimeout(new Promise<void>((resolve) => peer.once('connect', resolve)), 3000, 'connect');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(f.readU16le((await h.call('AVAIL_DATA_TCP', [f.u8(0), f.u8(0)]))[0])).toBe(NO_SOCKET);
    peer.write('hi');
    let client = NO_SOCKET;
    for (let i = 0; i < 200 && client === NO_SOCKET; i++) {
      client = f.readU16le((await h.call('AVAIL_DATA_TCP', [f.u8(0), f.u8(0)]))[0]);
      if (client === NO_SOCKET) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(client).toBe(1);
    // Asked again while that client still has data: the same number, not a new one.
    expect(f.readU16le((await h.call('AVAIL_DATA_TCP', [f.u8(0), f.u8(0)]))[0])).toBe(1);
    expect(str((await h.call('GET_DATABUF_TCP', [f.u8(1), f.u16le(10)]))[0])).toBe('hi');
  });

  it('server: with the accept flag a fresh connection gets a number at once; the module reports the module port', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    const port = await freePort();
    expect(await h.byte('START_SERVER_TCP', [f.u16be(port), f.u8(2), f.u8(0)])).toBe(1);
    const peer = net.connect(port, '127.0.0.1');
    peers.push(peer);
    await withTimeout(new Promise<void>((resolve) => peer.once('connect', resolve)), 3000, 'connect');
    expect(await acceptClient(h, 2)).toBe(0);
    expect(await h.byte('GET_CLIENT_STATE_TCP', [f.u8(0)])).toBe(4);
    expect(await h.byte('GET_STATE_TCP', [f.u8(2)])).toBe(1);
    expect(await h.byte('GET_STATE_TCP', [f.u8(0)])).toBe(0);
  });
});

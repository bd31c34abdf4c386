/**
 * The whole driver (usocket → protocol back end → serial carrier) against the emulator, for both
 * protocols (ESP-AT and NINA frames) on the in-process pair, on a real PTY opened with serialport
 * and on raw serial over TCP, talking to loopback peers. One suite, the same expectations: where
 * the protocols reach them differently (NINA polls, and infers a reset it is never told about) a
 * comment says how; the differences an application can see are in docs/driver.md and docs/spi.md,
 * and the NINA-only ones are tested in test/nina/nina-backend.test.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { OSError, errno, gaiErrno } from '../../src/errors.js';
import type { Carrier, Protocol } from './emulator-harness.js';
import { collect, echoServer, freePort, startRig, stopAll, tcpClient, tcpServer, udpEcho, udpPeer, until } from './emulator-harness.js';

afterEach(stopAll);

async function errOf(p: Promise<unknown>): Promise<OSError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OSError) return err;
    throw err;
  }
  throw new Error('expected an OSError');
}

const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString());
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const PROTOCOLS: readonly Protocol[] = ['at', 'nina'];
const CARRIERS: readonly Carrier[] = ['pair', 'pty', 'tcp'];
const SETUPS = PROTOCOLS.flatMap((protocol) => CARRIERS.map((carrier) => [protocol, carrier] as const));

describe.each(SETUPS)('driver on the emulator (%s over %s)', (protocol, carrier) => {
  /** A rig of this protocol on this carrier, joined to the lab's AP unless `join` is false. */
  const openRig = (join = true) => startRig(carrier, undefined, join, { protocol });

  it('resolves names through the module, numbers without it', async () => {
    const { copro } = await openRig();
    const { usocket } = copro;
    expect(await usocket.getaddrinfo('copro.local', 80)).toEqual([[usocket.AF_INET, usocket.SOCK_STREAM, usocket.IPPROTO_TCP, '', ['127.0.0.1', 80]]]);
    expect((await usocket.getaddrinfo('127.0.0.1', '22'))[0][4]).toEqual(['127.0.0.1', 22]);
    const err = await errOf(usocket.getaddrinfo('no-such-host.invalid', 80));
    expect(err.args[0]).toBeLessThan(0);
  });

  it('speaks TCP: every stream method, EOF after the peer closes', async () => {
    const { copro } = await openRig();
    const { usocket } = copro;
    const { port } = await echoServer();
    const s = usocket.socket(usocket.AF_INET, usocket.SOCK_STREAM);
    await s.connect((await usocket.getaddrinfo('127.0.0.1', port))[0][4]);
    const f = s.makefile('rwb');
    expect(await f.write('GET / HTTP/1.0\r\n\r\n')).toBe(18);
    expect(text(await f.readline())).toBe('GET / HTTP/1.0\r\n');
    expect(text(await f.readline())).toBe('\r\n');
    expect(await s.send(Buffer.from('abcdef'))).toBe(6);
    expect(text(await s.read(4))).toBe('abcd');
    const buf = new Uint8Array(8);
    expect(await s.readinto(buf, 2)).toBe(2);
    expect(text(buf.subarray(0, 2))).toBe('ef');
    await s.sendall('xyz');
    const [data, addr] = await s.recvfrom(10);
    expect(text(data)).toBe('xyz');
    expect(addr).toEqual(['127.0.0.1', port]);
    await s.close();
    expect((await errOf(s.recv(1))).errno).toBe(errno.EBADF);

    // A peer that says goodbye and closes: read() to EOF, then recv() gives empty bytes.
    const byePort = await tcpServer((peer) => peer.end('bye!'));
    const t = usocket.socket();
    await t.connect(['127.0.0.1', byePort]);
    expect(text(await t.read())).toBe('bye!');
    expect(text(await t.recv(10))).toBe('');
    expect((await errOf(t.send('x'))).errno).toBe(errno.ENOTCONN);
    await t.close();
  });

  it('applies timeouts: EINPROGRESS, EAGAIN, ETIMEDOUT, ECONNREFUSED', async () => {
    const { copro } = await openRig();
    const { usocket } = copro;
    const { port } = await echoServer();
    const s = usocket.socket();
    s.setblocking(false);
    expect((await errOf(s.connect(['127.0.0.1', port]))).errno).toBe(errno.EINPROGRESS);
    expect((await errOf(s.recv(10))).errno).toBe(errno.EAGAIN);
    s.setblocking(true);
    expect(await s.send('ping')).toBe(4);
    s.settimeout(5);
    expect(text(await s.read(4))).toBe('ping');
    s.settimeout(0.1);
    expect((await errOf(s.recv(10))).errno).toBe(errno.ETIMEDOUT);
    s.settimeout(0);
    expect((await errOf(s.recv(10))).errno).toBe(errno.EAGAIN);
    await s.close();

    const closedPort = await freePort();
    expect((await errOf(usocket.socket().connect(['127.0.0.1', closedPort]))).errno).toBe(errno.ECONNREFUSED);
  });

  it('moves 4 MiB through sendall and read with the same sha256', async () => {
    const { copro } = await openRig();
    const { usocket } = copro;
    const { port } = await echoServer();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', port]);
    const data = randomBytes(4 * 1024 * 1024);
    const [, back] = await Promise.all([s.sendall(data), s.read(data.length)]);
    expect(back?.length).toBe(data.length);
    expect(sha(back!)).toBe(sha(data));
    await s.close();
  }, 60_000);

  it('serves: accepts several clients with their addresses, accept() times out', async () => {
    const { copro } = await openRig();
    const { usocket } = copro;
    const port = await freePort();
    const srv = usocket.socket();
    srv.setsockopt(usocket.SOL_SOCKET, usocket.SO_REUSEADDR, 1);
    await srv.bind(['0.0.0.0', port]);
    await srv.listen(3);
    const clients = await Promise.all([tcpClient(port), tcpClient(port), tcpClient(port)]);
    const expected = clients.map((c) => c.localPort).sort();
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [conn, addr] = await srv.accept();
      expect(addr[0]).toBe('127.0.0.1');
      seen.push(addr[1]);
      const client = clients.find((c) => c.localPort === addr[1])!;
      const got = collect(client);
      client.write(`hello ${i}\n`);
      const line = await conn.readline();
      await conn.write(Buffer.from(`got ${text(line)}`));
      await conn.close();
      expect((await got).toString()).toBe(`got hello ${i}\n`);
    }
    expect(seen.sort()).toEqual(expected);
    srv.settimeout(0.1);
    expect((await errOf(srv.accept())).errno).toBe(errno.ETIMEDOUT);
    await srv.close();
  });

  it('speaks UDP: sendto/recvfrom with the sender of each datagram, bound sockets receive', async () => {
    const { copro } = await openRig();
    const { usocket } = copro;
    const echoPort = await udpEcho();
    const s = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
    expect(await s.sendto('one', ['127.0.0.1', echoPort])).toBe(3);
    s.settimeout(5);
    const [data, addr] = await s.recvfrom(100);
    expect(text(data)).toBe('echo:one');
    expect(addr).toEqual(['127.0.0.1', echoPort]);
    // Each datagram stands alone (NINA stages datagrams in the module: nothing of 'one' may ride along).
    expect(await s.sendto('two', ['127.0.0.1', echoPort])).toBe(3);
    expect(text((await s.recvfrom(100))[0])).toBe('echo:two');
    await s.close();

    const port = await freePort();
    const bound = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
    await bound.bind(['0.0.0.0', port]);
    const peer = await udpPeer();
    peer.send('to the module', port, '127.0.0.1');
    bound.settimeout(5);
    const [d2, a2] = await bound.recvfrom(100);
    expect(text(d2)).toBe('to the module');
    expect(a2).toEqual(['127.0.0.1', peer.address().port]);
    const reply = new Promise<string>((r) => peer.once('message', (m) => r(m.toString())));
    await bound.sendto('and back', a2);
    expect(await reply).toBe('and back');
    await bound.close();
  });

  it('survives a module reset: sockets fail clearly, the engine resynchronises', async () => {
    const rig = await openRig();
    const { usocket, wlan } = rig.copro;
    const { port } = await echoServer();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', port]);
    const blocked = s.recv(10);
    const srv = usocket.socket();
    await srv.bind(['0.0.0.0', await freePort()]);
    await srv.listen(1);
    const accepting = srv.accept();
    await rig.reset();
    // ESP-AT prints `ready` and the engine fails everything at once. nina-fw announces nothing: the
    // NINA back end infers the reset while polling for the waiters — the connection ended while the
    // station is off its network, the listener is gone — and fails them the same way.
    const err = await errOf(blocked);
    expect(err.errno).toBe(errno.ECONNABORTED);
    expect(err.message).toMatch(/restarted/);
    expect((await errOf(accepting)).errno).toBe(errno.ECONNABORTED);
    await srv.close();
    await until(() => !wlan.isconnected());
    await wlan.connect('copro-lab', 'labpass123');
    const t = usocket.socket();
    await t.connect(['127.0.0.1', port]);
    await t.sendall('again');
    expect(text(await t.read(5))).toBe('again');
    await t.close();
    await s.close();
  });

  it('manages the station: scan, failed and good joins, ifconfig, disconnect', async () => {
    const { copro } = await openRig(false);
    const { wlan } = copro;
    expect(wlan.isconnected()).toBe(false);
    const aps = await wlan.scan();
    expect(aps.map((ap) => ap[0])).toContain('copro-lab');
    expect((await errOf(wlan.connect('copro-lab', 'wrong-pass'))).errno).toBe(errno.EACCES);
    expect(wlan.status()).toBe(wlan.STAT_WRONG_PASSWORD);
    await wlan.connect('copro-lab', 'labpass123');
    expect(wlan.isconnected()).toBe(true);
    expect(wlan.status()).toBe(wlan.STAT_GOT_IP);
    const [ip, mask, gw] = await wlan.ifconfig();
    expect([ip, mask, gw]).toEqual(['192.168.10.42', '255.255.255.0', '192.168.10.1']);
    await wlan.disconnect();
    expect(wlan.isconnected()).toBe(false);
    const err = await errOf(copro.usocket.socket().connect(['127.0.0.1', 1]));
    expect(err.errno).toBe(errno.EHOSTUNREACH);
    expect((await errOf(copro.usocket.getaddrinfo('copro.local', 80))).errno).toBe(gaiErrno.EAI_FAIL);
  });
});

describe('driver on the emulated ESP8266 AT 1.7', () => {
  it('connects, sends, receives, resolves and serves in the old dialect', async () => {
    const { copro } = await startRig('pair', 'esp8266-at-1.7');
    const { usocket } = copro;
    expect(copro.backend.info.name).toContain('esp8266-at-1.7');
    expect((await usocket.getaddrinfo('copro.local', 7))[0][4]).toEqual(['127.0.0.1', 7]);
    const { port } = await echoServer();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', port]);
    const data = randomBytes(100_000);
    const [, back] = await Promise.all([s.sendall(data), s.read(data.length)]);
    expect(sha(back!)).toBe(sha(data));
    await s.close();

    const srvPort = await freePort();
    const srv = usocket.socket();
    await srv.bind(['0.0.0.0', srvPort]);
    await srv.listen();
    const client = await tcpClient(srvPort);
    const [conn, addr] = await srv.accept();
    expect(addr).toEqual(['127.0.0.1', client.localPort]);
    client.end('from a client');
    expect(text(await conn.read())).toBe('from a client');
    await conn.close();
    await srv.close();
  });
});

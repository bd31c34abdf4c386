import { describe, expect, it } from 'vitest';
import { OSError, errno, isOSError } from '../../src/errors.js';
import { createUsocket } from '../../src/usocket/module.js';
import type { Usocket } from '../../src/usocket/module.js';
import { FakeBackend, FakeLink } from './fake-backend.js';

function setup(): { backend: FakeBackend; usocket: Usocket } {
  const backend = new FakeBackend();
  return { backend, usocket: createUsocket(backend) };
}

async function errnoOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OSError) return err.errno;
    throw err;
  }
  throw new Error('expected an OSError');
}

async function connected(usocket: Usocket, backend: FakeBackend) {
  const s = usocket.socket();
  await s.connect(['127.0.0.1', 80]);
  return { s, link: backend.links.at(-1) as FakeLink };
}

const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString());

describe('usocket module', () => {
  it('resolves numeric addresses without asking the back end', async () => {
    const { backend, usocket } = setup();
    expect(await usocket.getaddrinfo('10.1.2.3', 80)).toEqual([[usocket.AF_INET, usocket.SOCK_STREAM, usocket.IPPROTO_TCP, '', ['10.1.2.3', 80]]]);
    expect(await usocket.getaddrinfo('::1', '8080')).toEqual([[usocket.AF_INET6, usocket.SOCK_STREAM, usocket.IPPROTO_TCP, '', ['::1', 8080, 0, 0]]]);
    expect(backend.resolved).toEqual([]);
  });

  it('resolves names through the back end and reports failures as negative OSErrors', async () => {
    const { backend, usocket } = setup();
    const [[, type, proto, , addr]] = await usocket.getaddrinfo('copro.local', 7, 0, usocket.SOCK_DGRAM);
    expect([type, proto, addr]).toEqual([usocket.SOCK_DGRAM, usocket.IPPROTO_UDP, ['127.0.0.1', 7]]);
    expect(backend.resolved).toEqual(['copro.local']);
    const err = await usocket.getaddrinfo('nowhere.invalid', 80).catch((e: OSError) => e);
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).args[0]).toBeLessThan(0);
    expect(await errnoOf(usocket.getaddrinfo('copro.local', 'http'))).toBeLessThan(0);
  });

  it('converts addresses with inet_pton/inet_ntop', () => {
    const { usocket } = setup();
    expect(Array.from(usocket.inet_pton(usocket.AF_INET, '1.2.3.4'))).toEqual([1, 2, 3, 4]);
    expect(usocket.inet_ntop(usocket.AF_INET, Uint8Array.from([127, 0, 0, 1]))).toBe('127.0.0.1');
    const v6 = usocket.inet_pton(usocket.AF_INET6, '2001:db8::1');
    expect(v6.length).toBe(16);
    expect(usocket.inet_ntop(usocket.AF_INET6, v6)).toBe('2001:db8::1');
    expect(usocket.inet_ntop(usocket.AF_INET6, usocket.inet_pton(usocket.AF_INET6, '::ffff:1.2.3.4'))).toBe('::ffff:102:304');
    expect(usocket.inet_ntop(usocket.AF_INET6, new Uint8Array(16))).toBe('::');
    expect(usocket.inet_ntop(usocket.AF_INET6, usocket.inet_pton(usocket.AF_INET6, '1:0:0:2:0:0:0:3'))).toBe('1:0:0:2::3');
    expect(() => usocket.inet_pton(usocket.AF_INET, '1.2.3')).toThrow(OSError);
    expect(() => usocket.inet_ntop(usocket.AF_INET, new Uint8Array(3))).toThrow(OSError);
  });

  it('rejects impossible socket/protocol combinations', () => {
    const { usocket } = setup();
    expect(() => usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM, usocket.IPPROTO_TCP)).toThrow(OSError);
    expect(() => usocket.socket(99)).toThrow(OSError);
    expect(usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM).proto).toBe(usocket.IPPROTO_UDP);
  });
});

describe('socket timeouts', () => {
  it('recv blocks until data arrives when the timeout is None', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    const pending = s.recv(10);
    setTimeout(() => link.peerWrite('late'), 20);
    expect(text(await pending)).toBe('late');
  });

  it('recv raises EAGAIN at once in non-blocking mode and returns data when there is some', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    s.setblocking(false);
    expect(await errnoOf(s.recv(10))).toBe(errno.EAGAIN);
    link.peerWrite('now');
    expect(text(await s.recv(10))).toBe('now');
    expect(link.waiters).toBe(0);
  });

  it('recv raises ETIMEDOUT when a timeout elapses, and leaves no waiter behind', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    s.settimeout(0.05);
    expect(await errnoOf(s.recv(10))).toBe(errno.ETIMEDOUT);
    expect(link.waiters).toBe(0);
    link.peerWrite('x');
    expect(text(await s.recv(10))).toBe('x');
  });

  it('non-blocking connect raises EINPROGRESS, then the socket becomes usable', async () => {
    const { backend, usocket } = setup();
    let finish!: () => void;
    backend.connector = (spec) => new Promise((resolve) => (finish = () => resolve(new FakeLink('tcp', spec.remote))));
    const s = usocket.socket();
    s.setblocking(false);
    expect(await errnoOf(s.connect(['127.0.0.1', 80]))).toBe(errno.EINPROGRESS);
    expect(await errnoOf(s.connect(['127.0.0.1', 80]))).toBe(errno.EALREADY);
    expect(await errnoOf(s.send('x'))).toBe(errno.EAGAIN);
    finish();
    await new Promise((r) => setImmediate(r));
    expect(await s.send('hi')).toBe(2);
    expect(await errnoOf(s.connect(['127.0.0.1', 80]))).toBe(errno.EISCONN);
  });

  it('a failed background connect is reported by the next operation', async () => {
    const { backend, usocket } = setup();
    backend.connector = async () => {
      throw new OSError(errno.ECONNREFUSED);
    };
    const s = usocket.socket();
    s.setblocking(false);
    expect(await errnoOf(s.connect(['127.0.0.1', 1]))).toBe(errno.EINPROGRESS);
    await new Promise((r) => setImmediate(r));
    expect(await errnoOf(s.send('x'))).toBe(errno.ECONNREFUSED);
    expect(await errnoOf(s.send('x'))).toBe(errno.ENOTCONN);
  });

  it('connect with a timeout raises ETIMEDOUT and closes the link that connects later', async () => {
    const { backend, usocket } = setup();
    let late!: FakeLink;
    backend.connector = (spec) =>
      new Promise((resolve) => setTimeout(() => resolve((late = new FakeLink('tcp', spec.remote))), 80));
    const s = usocket.socket();
    s.settimeout(0.02);
    expect(await errnoOf(s.connect(['127.0.0.1', 80]))).toBe(errno.ETIMEDOUT);
    await new Promise((r) => setTimeout(r, 120));
    expect(late.closed).toBe(true);
  });

  it('accept with a timeout raises ETIMEDOUT; a client then is accepted with its address', async () => {
    const { backend, usocket } = setup();
    const srv = usocket.socket();
    await srv.bind(['0.0.0.0', 8080]);
    await srv.listen(2);
    expect(backend.servers[0].backlog).toBe(2);
    srv.settimeout(0.03);
    expect(await errnoOf(srv.accept())).toBe(errno.ETIMEDOUT);
    srv.setblocking(false);
    expect(await errnoOf(srv.accept())).toBe(errno.EAGAIN);
    srv.setblocking(true);
    const pending = srv.accept();
    const client = backend.servers[0].clientArrives({ ip: '127.0.0.1', port: 50000 });
    const [conn, addr] = await pending;
    expect(addr).toEqual(['127.0.0.1', 50000]);
    client.peerWrite('hello');
    expect(text(await conn.recv(100))).toBe('hello');
  });

  it('settimeout validates its argument', () => {
    const { usocket } = setup();
    const s = usocket.socket();
    expect(() => s.settimeout(-1)).toThrow(RangeError);
    s.settimeout(1.5);
    expect(s.gettimeout()).toBe(1.5);
    s.setblocking(false);
    expect(s.gettimeout()).toBe(0);
  });
});

describe('socket state errors', () => {
  it('fails every operation on a closed socket with EBADF', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    await s.close();
    await s.close();
    expect(link.closed).toBe(true);
    for (const op of [s.recv(1), s.send('x'), s.read(1), s.readline(), s.write('x'), s.connect(['1.2.3.4', 1]), s.bind(['0.0.0.0', 1]), s.accept()]) {
      expect(await errnoOf(op)).toBe(errno.EBADF);
    }
    expect(() => s.settimeout(1)).toThrow(OSError);
  });

  it('closing wakes a blocked recv with EBADF', async () => {
    const { backend, usocket } = setup();
    const { s } = await connected(usocket, backend);
    const pending = errnoOf(s.recv(10));
    await new Promise((r) => setImmediate(r));
    await s.close();
    expect(await pending).toBe(errno.EBADF);
  });

  it('raises ENOTCONN before connect and EINVAL for names in tuples', async () => {
    const { usocket } = setup();
    const s = usocket.socket();
    expect(await errnoOf(s.recv(1))).toBe(errno.ENOTCONN);
    expect(await errnoOf(s.send('x'))).toBe(errno.ENOTCONN);
    expect(await errnoOf(s.connect(['example.com', 80] as never))).toBe(errno.EINVAL);
    expect(await errnoOf(s.listen())).toBe(errno.EINVAL);
  });

  it('reports a link failure (module reset) with its own error', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    const pending = s.recv(10).catch((e: OSError) => e);
    link.fail(new OSError(errno.ECONNABORTED, 'module reset'));
    const err = await pending;
    expect(isOSError(err, 'ECONNABORTED')).toBe(true);
    expect((err as OSError).args[1]).toContain('reset');
  });

  it('setsockopt accepts what the module can honour and refuses the rest', async () => {
    const { backend, usocket } = setup();
    const s = usocket.socket();
    s.setsockopt(usocket.SOL_SOCKET, usocket.SO_REUSEADDR, 1);
    s.setsockopt(usocket.SOL_SOCKET, usocket.SO_KEEPALIVE, 1);
    expect(() => s.setsockopt(usocket.SOL_SOCKET, 0x1234, 1)).toThrow(OSError);
    await s.connect(['127.0.0.1', 80]);
    expect(backend.links[0].spec?.keepAliveSec).toBeGreaterThan(0);
  });
});

describe('stream methods', () => {
  it('readline joins lines split across packets and keeps the rest for the next read', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    expect(s.makefile('rwb')).toBe(s);
    link.peerWrite('HTTP/1.0 2');
    link.peerWrite('00 OK\r');
    link.peerWrite('\nHost: x\r\n\r\nbody');
    link.peerClose();
    expect(text(await s.readline())).toBe('HTTP/1.0 200 OK\r\n');
    expect(text(await s.readline())).toBe('Host: x\r\n');
    expect(text(await s.readline())).toBe('\r\n');
    expect(text(await s.readline())).toBe('body');
    expect(text(await s.readline())).toBe('');
  });

  it('read(size) does not short-read, read() reads to EOF, readinto fills the buffer', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    const five = s.read(5);
    link.peerWrite('ab');
    setTimeout(() => link.peerWrite('cdefgh'), 10);
    expect(text(await five)).toBe('abcde');
    const buf = new Uint8Array(2);
    expect(await s.readinto(buf)).toBe(2);
    expect(text(buf)).toBe('fg');
    const rest = s.read();
    setTimeout(() => {
      link.peerWrite('ij');
      link.peerClose();
    }, 10);
    expect(text(await rest)).toBe('hij');
    expect(await s.readinto(new Uint8Array(4), 3)).toBe(0);
  });

  it('a timed-out read keeps the bytes it had for the next read', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    s.settimeout(0.03);
    link.peerWrite('abc');
    expect(await errnoOf(s.read(10))).toBe(errno.ETIMEDOUT);
    link.peerWrite('def');
    expect(text(await s.read(6))).toBe('abcdef');
  });

  it('non-blocking read/readline return what is there, or null', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    s.setblocking(false);
    expect(await s.read(10)).toBeNull();
    expect(await s.readline()).toBeNull();
    link.peerWrite('par');
    expect(text(await s.read(10))).toBe('par');
  });

  it('send may short-write; sendall and write do not', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    link.maxSend = 3;
    expect(await s.send('abcdefgh')).toBe(3);
    await s.sendall('ijklmnop');
    expect(await s.write(Buffer.from('qrstuvw'))).toBe(7);
    expect(link.sentText()).toBe('abcijklmnopqrstuvw');
    expect(link.sent.every((c) => c.data.length <= 3)).toBe(true);
  });

  it('non-blocking write returns null while a send is in flight', async () => {
    const { backend, usocket } = setup();
    const { s, link } = await connected(usocket, backend);
    link.stalled = true;
    s.setblocking(false);
    expect(await s.write('x')).toBeNull();
    expect(await errnoOf(s.send('x'))).toBe(errno.EAGAIN);
    link.unstall();
    expect(await s.write('xy')).toBe(2);
  });
});

describe('UDP sockets', () => {
  it('sendto opens the link on first use, recvfrom reports each sender', async () => {
    const { backend, usocket } = setup();
    const s = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
    expect(await s.sendto('ping', ['127.0.0.1', 9999])).toBe(4);
    const link = backend.links[0];
    expect(link.kind).toBe('udp');
    expect(link.sent[0].to).toEqual({ ip: '127.0.0.1', port: 9999 });
    link.peerWrite('pong', { ip: '127.0.0.1', port: 9999 });
    link.peerWrite('other', { ip: '127.0.0.2', port: 1234 });
    expect(await s.recvfrom(100)).toEqual([Buffer.from('pong'), ['127.0.0.1', 9999]]);
    const [data, addr] = await s.recvfrom(3);
    expect([text(data), addr]).toEqual(['oth', ['127.0.0.2', 1234]]);
    expect(backend.links.length).toBe(1);
  });

  it('bind opens a receiving link on the bound port; connect sets the default destination', async () => {
    const { backend, usocket } = setup();
    const s = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
    await s.bind(['0.0.0.0', 5005]);
    expect(backend.links[0].spec).toMatchObject({ kind: 'udp', localPort: 5005, remote: null });
    expect(await errnoOf(s.send('x'))).toBe(errno.EDESTADDRREQ);
    await s.connect(['127.0.0.1', 6000]);
    expect(await s.send('abc')).toBe(3);
    expect(backend.links[0].sent[0].to).toEqual({ ip: '127.0.0.1', port: 6000 });
  });
});

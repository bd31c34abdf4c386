/**
 * Real MicroPython scripts (the WebAssembly port, run by `copro mpy`) using socket and select
 * against loopback peers the test starts: on an in-process emulator and on the PTY of a running
 * `copro emulate`. The scripts are written as board code is: the reference's own examples, an
 * HTTP client shaped like micropython-lib's `requests`, a server, UDP, every timeout mode.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, firstLine, requireBuiltCli } from '../helpers/cli-process.js';
import { withTimeout } from '../helpers/deadline.js';
import { freePort, startEchoServer, startUdpPeer } from '../e2e/fixtures.js';
import { JOIN_PY, defer, endLabTest, startLab, type Carrier } from './mpy-lab.js';

const CARRIERS: Carrier[] = ['emu', 'pty'];

function listening(server: HttpServer | Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(requireBuiltCli);
afterEach(endLabTest);

describe.each(CARRIERS)('copro mpy sockets (%s)', (carrier) => {
  it("runs the reference's examples and an HTTP GET written with write/readline/read", async () => {
    const seen: { url?: string; host?: string }[] = [];
    const http = createHttpServer((req, res) => {
      seen.push({ url: req.url, host: req.headers.host });
      res.setHeader('Content-Type', 'text/plain');
      res.end(`hello from ${req.url}`);
    });
    const port = await listening(http);
    defer(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const lab = await startLab(carrier);
    const script = lab.write(
      'get.py',
      `${JOIN_PY}
import socket, usocket
print('ntop', usocket.inet_ntop(usocket.AF_INET, b"\\x7f\\0\\0\\1"))
print('pton', usocket.inet_pton(usocket.AF_INET, "1.2.3.4"))
s = usocket.socket()
s.connect(usocket.getaddrinfo('127.0.0.1', ${port})[0][-1])
s.close()
print('tuple', usocket.getaddrinfo('127.0.0.1', ${port})[0][-1])
try:
    usocket.getaddrinfo('no-such-host.invalid', 80)
except OSError as e:
    print('gai_negative', e.args[0] < 0)

def get(host, port, path):
    ai = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)[0]
    s = socket.socket(ai[0], socket.SOCK_STREAM, ai[2])
    s.settimeout(None)
    s.connect(ai[-1])
    s.write("GET /%s HTTP/1.0\\r\\n" % path)
    header = b"Host: %s\\r\\n\\r\\n" % host
    s.write(header + b"not sent", len(header))
    status = s.readline()
    headers = {}
    while True:
        line = s.readline()
        if line == b"\\r\\n":
            break
        name, value = line.decode().split(":", 1)
        headers[name.strip().lower()] = value.strip()
    body = s.read()
    s.close()
    return status, headers, body

status, headers, body = get('peer.lab', ${port}, 'hello')
print('status', status)
print('type', headers['content-type'])
print('body', body)
`,
    );
    const report = await lab.report([script]);
    expect(report.ntop).toBe('127.0.0.1');
    expect(report.pton).toBe("b'\\x01\\x02\\x03\\x04'");
    expect(report.tuple).toBe(`('127.0.0.1', ${port})`);
    expect(report.gai_negative).toBe('True');
    expect(report.status).toBe("b'HTTP/1.1 200 OK\\r\\n'");
    expect(report.type).toBe('text/plain');
    expect(report.body).toBe("b'hello from /hello'");
    expect(seen).toEqual([{ url: '/hello', host: 'peer.lab' }]);
  }, 90_000);

  it('sends 1 MiB with sendall and reads the echo back intact with readinto', async () => {
    const echo = await startEchoServer();
    defer(() => echo.close());
    const lab = await startLab(carrier);
    const script = lab.write(
      'bulk.py',
      `${JOIN_PY}
import socket, hashlib, binascii
data = b"".join(hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(32768))
s = socket.socket()
s.connect(socket.getaddrinfo('127.0.0.1', ${echo.port})[0][-1])
s.sendall(data)
digest = hashlib.sha256()
buf = bytearray(4096)
got = 0
while got < len(data):
    n = s.readinto(buf)
    digest.update(memoryview(buf)[:n])
    got += n
s.close()
print('length', len(data))
print('sent', binascii.hexlify(hashlib.sha256(data).digest()).decode())
print('echoed', binascii.hexlify(digest.digest()).decode())
`,
    );
    const report = await lab.report([script], 120_000);
    expect(report.length).toBe(String(1 << 20));
    expect(echo.receivedBytes()).toBe(1 << 20);
    expect(report.sent).toBe(echo.receivedDigest());
    expect(report.echoed).toBe(echo.receivedDigest());
  }, 150_000);

  it("exchanges UDP datagrams and reports the sender's address as getaddrinfo() does", async () => {
    const peer = await startUdpPeer((data) => Buffer.concat([Buffer.from('pong:'), data]));
    defer(() => peer.close());
    const lab = await startLab(carrier);
    const script = lab.write(
      'udp.py',
      `${JOIN_PY}
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
target = socket.getaddrinfo('127.0.0.1', ${peer.port}, 0, socket.SOCK_DGRAM)[0][-1]
print('sent', u.sendto(b'ping', target))
data, sender = u.recvfrom(512)
print('reply', data)
print('sender', sender)
print('same_form', type(sender) is type(target) and sender == target)
u.close()
`,
    );
    const report = await lab.report([script]);
    expect(report.sent).toBe('4');
    expect(report.reply).toBe("b'pong:ping'");
    expect(report.sender).toBe(`('127.0.0.1', ${peer.port})`);
    expect(report.same_form).toBe('True');
    expect(peer.received.map((d) => d.data.toString())).toEqual(['ping']);
  }, 90_000);

  it('accepts a connection from the test on a server socket, having printed its port first', async () => {
    const port = await freePort();
    const lab = await startLab(carrier);
    const script = lab.write(
      'server.py',
      `${JOIN_PY}
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(socket.getaddrinfo('0.0.0.0', ${port})[0][-1])
s.listen(1)
print('listening', ${port})
conn, addr = s.accept()
print('client', addr[0])
conn.write(b'echo:' + conn.readline())
conn.close()
s.close()
`,
    );
    const child = lab.start([script]);
    // The line reaches the pipe while the script waits in accept().
    expect(await firstLine(child, 60_000)).toBe(`listening ${port}`);
    const reply = await withTimeout(
      new Promise<string>((resolve, reject) => {
        const client = connect(port, '127.0.0.1', () => client.write('hello module\n'));
        let text = '';
        client.on('data', (d) => (text += d.toString()));
        client.on('end', () => resolve(text));
        client.on('error', reject);
      }),
      30_000,
      'the reply of the script',
    );
    expect(reply).toBe('echo:hello module\n');
    expect(await exitOf(child, 30_000)).toBe(0);
  }, 120_000);

  it('keeps every timeout mode: ETIMEDOUT within bounds, EAGAIN, None from read, and select.poll', async () => {
    const silent: Server = createServer((socket) => socket.on('error', () => undefined));
    const silentPort = await listening(silent);
    defer(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const echo = await startEchoServer();
    defer(() => echo.close());
    const lab = await startLab(carrier);
    const script = lab.write(
      'timeouts.py',
      `${JOIN_PY}
import socket, select, errno, time
quiet = socket.socket()
quiet.connect(socket.getaddrinfo('127.0.0.1', ${silentPort})[0][-1])
quiet.settimeout(0.5)
started = time.ticks_ms()
try:
    quiet.recv(10)
    print('timeout no')
except OSError as e:
    print('timeout', errno.errorcode[e.errno])
print('waited', time.ticks_diff(time.ticks_ms(), started))
quiet.setblocking(False)
try:
    quiet.recv(10)
    print('nonblocking no')
except OSError as e:
    print('nonblocking', errno.errorcode[e.errno])
print('read', quiet.read(10))
print('readline', quiet.readline())
poller = select.poll()
poller.register(quiet, select.POLLIN)
started = time.ticks_ms()
print('idle', poller.poll(300))
print('idle_waited', time.ticks_diff(time.ticks_ms(), started))
talker = socket.socket()
talker.connect(socket.getaddrinfo('127.0.0.1', ${echo.port})[0][-1])
poller.register(talker, select.POLLIN)
talker.write(b'x')
ready = poller.poll(10000)
print('ready', [(obj is talker, event) for obj, event in ready])
print('byte', talker.read(1)[0])
talker.close()
quiet.close()
`,
    );
    const report = await lab.report([script]);
    expect(report.timeout).toBe('ETIMEDOUT');
    expect(Number(report.waited)).toBeGreaterThanOrEqual(450);
    expect(Number(report.waited)).toBeLessThan(5000);
    expect(report.nonblocking).toBe('EAGAIN');
    expect(report.read).toBe('None');
    expect(report.readline).toBe('None');
    expect(report.idle).toBe('[]');
    expect(Number(report.idle_waited)).toBeGreaterThanOrEqual(250);
    expect(report.ready).toBe('[(True, 1)]');
    expect(report.byte).toBe(String('x'.charCodeAt(0)));
  }, 90_000);
});

describe('copro mpy over nina-fw frames (--protocol nina)', () => {
  it('runs the same socket code: a stream echo and a UDP exchange', async () => {
    const echo = await startEchoServer();
    defer(() => echo.close());
    const peer = await startUdpPeer((data) => data);
    defer(() => peer.close());
    const lab = await startLab('emu', [], 'nina');
    const script = lab.write(
      'nina.py',
      `${JOIN_PY}
import socket
s = socket.socket()
s.connect(socket.getaddrinfo('peer.lab', ${echo.port})[0][-1])
s.write(b'over nina\\n')
print('stream', s.readline())
s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b'datagram', ('127.0.0.1', ${peer.port}))
print('datagram', u.recvfrom(64))
u.close()
`,
    );
    const report = await lab.report([script]);
    expect(report.stream).toBe("b'over nina\\n'");
    expect(report.datagram).toBe(`(b'datagram', ('127.0.0.1', ${peer.port}))`);
  }, 90_000);
});

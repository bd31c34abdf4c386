/**
 * `copro mpy` as a program runner: sys.argv, imports from the script's folder and -I, exit
 * statuses and tracebacks as MicroPython's Unix port gives them, Ctrl-C as KeyboardInterrupt,
 * the REPL in a terminal, and a small MQTT client written the way micropython-lib's umqtt.simple
 * uses its socket, against a broker the test starts.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { spawn as spawnPty } from 'node-pty';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, exitOf, firstLine, requireBuiltCli } from '../helpers/cli-process.js';
import { eventually, withTimeout } from '../helpers/deadline.js';
import { JOIN_PY, defer, endLabTest, linesOf, reportOf, startLab } from './mpy-lab.js';

beforeAll(requireBuiltCli);
afterEach(endLabTest);

describe('copro mpy runs a program as the Unix port does', () => {
  it('gives sys.argv, imports from its folder and -I, and reports an uncaught exception on stderr with status 1', async () => {
    const lab = await startLab('emu');
    lab.write('helper.py', 'def fail(n):\n    raise ValueError("bad value %d" % n)\n');
    mkdirSync(join(lab.dir, 'lib'));
    writeFileSync(join(lab.dir, 'lib', 'libmod.py'), 'GREETING = "from lib"\n');
    const script = lab.write(
      'main.py',
      `import sys, helper, libmod
print('argv', sys.argv)
print('lib', libmod.GREETING)
helper.fail(7)
print('not reached')
`,
    );
    const done = await lab.run(['-I', join(lab.dir, 'lib'), script, '--flag', 'x', '-d', 'kept']);
    expect(done.code).toBe(1);
    const report = reportOf(done);
    expect(report.argv).toBe(`['${script}', '--flag', 'x', '-d', 'kept']`);
    expect(report.lib).toBe('from lib');
    expect(linesOf(done)).toHaveLength(2);
    expect(done.stderr).toBe(
      [
        'Traceback (most recent call last):',
        `  File "${script}", line 4, in <module>`,
        `  File "${join(lab.dir, 'helper.py')}", line 2, in fail`,
        'ValueError: bad value 7',
        '',
      ].join('\n'),
    );
  }, 60_000);

  it("exits with SystemExit's code, and 0 when the script ends", async () => {
    const lab = await startLab('emu');
    const three = await lab.run([lab.write('three.py', 'import sys\nsys.exit(3)\n')]);
    expect([three.code, three.stderr]).toEqual([3, '']);
    const plain = await lab.run([lab.write('plain.py', 'print("done")\n')]);
    expect([plain.code, plain.stderr, plain.stdout.toString()]).toEqual([0, '', 'done\n']);
  }, 60_000);

  it("reads standard input with input(), and reports file errors with the errno module's numbers", async () => {
    const lab = await startLab('emu');
    lab.write('config.json', '{"name": "lab"}');
    const script = lab.write(
      'files.py',
      `import errno, json, os
print('config', json.load(open('config.json'))['name'])
try:
    open('missing.json')
except OSError as e:
    print('missing', e.errno == errno.ENOENT)
try:
    open('new.txt', 'w')
except OSError as e:
    print('readonly', e.errno)
print('listed', sorted(n for n in os.listdir('.') if n.endswith('.py')))
print('first', input('name? '))
print('second', input())
try:
    input()
except EOFError:
    print('eof')
`,
    );
    const done = await lab.run([script], 60_000, 'ada\nlovelace\n');
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout.toString()).toBe(
      ["config lab", 'missing True', 'readonly 30', "listed ['files.py']", 'name? first ada', 'second lovelace', 'eof', ''].join('\n'),
    );
  }, 60_000);

  it('turns Ctrl-C into KeyboardInterrupt, in a sleep and in a blocking recv', async () => {
    const silent: Server = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    defer(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const lab = await startLab('emu');
    const source = `${JOIN_PY}
import socket, time
print('sleeping')
try:
    time.sleep(60)
except KeyboardInterrupt:
    print('woken')
s = socket.socket()
s.connect(socket.getaddrinfo('127.0.0.1', ${(silent.address() as AddressInfo).port})[0][-1])
print('receiving')
s.recv(10)
`;
    const script = lab.write('interrupted.py', source);
    const recvLine = source.split('\n').indexOf('s.recv(10)') + 1;
    const child = lab.start([script]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await eventually(() => out.includes('sleeping\n'), 60_000)).toBe(true);
    child.kill('SIGINT');
    expect(await eventually(() => out.includes('receiving\n'), 30_000)).toBe(true);
    child.kill('SIGINT');
    expect(await exitOf(child, 30_000)).toBe(1);
    expect(out).toBe('sleeping\nwoken\nreceiving\n');
    expect(err).toBe(`Traceback (most recent call last):\n  File "${script}", line ${recvLine}, in <module>\nKeyboardInterrupt: \n`);
  }, 120_000);
});

describe('copro mpy with no script', () => {
  it('is a working MicroPython REPL in a terminal', async () => {
    const lab = await startLab('emu');
    const term = spawnPty(process.execPath, [CLI, 'mpy', ...lab.deviceArgs], { cols: 120, rows: 30, cwd: lab.dir, env: process.env });
    let screen = '';
    term.onData((d) => (screen += d));
    let exitCode: number | null = null;
    term.onExit(({ exitCode: code }) => (exitCode = code));
    defer(() => {
      if (exitCode === null) term.kill('SIGKILL');
    });
    const prompts = (): number => screen.split('>>> ').length - 1;
    const type = async (line: string, expected: RegExp): Promise<void> => {
      const before = prompts();
      term.write(`${line}\r`);
      expect(await eventually(() => prompts() > before && expected.test(screen), 30_000), `${line} → ${String(expected)} in ${screen}`).toBe(true);
    };
    expect(await eventually(() => prompts() === 1, 60_000), screen).toBe(true);
    await type('import usocket', /import usocket/);
    await type('usocket.inet_ntop(usocket.AF_INET, b"\\x7f\\0\\0\\1")', /'127\.0\.0\.1'/);
    await type('usocket.inet_pton(usocket.AF_INET, "1.2.3.4")', /b'\\x01\\x02\\x03\\x04'/);
    // Ctrl-C while a line runs interrupts it and brings the prompt back.
    const before = prompts();
    term.write('import time; print("asleep" + "!"); time.sleep(60)\r');
    // The printed word (not the echoed line) says the line runs: the sleep starts right after it.
    expect(await eventually(() => screen.includes('asleep!'), 30_000), screen).toBe(true);
    term.write('\x03');
    expect(await eventually(() => prompts() > before && /KeyboardInterrupt/.test(screen), 30_000), screen).toBe(true);
    term.write('\x04');
    expect(await eventually(() => exitCode !== null, 30_000), screen).toBe(true);
    expect(exitCode).toBe(0);
  }, 120_000);
});

describe('copro mpy with an MQTT client written as umqtt.simple uses its socket', () => {
  it('connects, subscribes, publishes, and polls with a non-blocking read', async () => {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    defer(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    });
    const published: { topic: string; payload: string; client: string }[] = [];
    broker.on('publish', (packet, client) => {
      if (client) published.push({ topic: packet.topic, payload: packet.payload.toString(), client: client.id });
    });
    const lab = await startLab('emu');
    lab.write('tinymqtt.py', TINY_MQTT_PY);
    const script = lab.write(
      'mqtt_main.py',
      `${JOIN_PY}
from tinymqtt import Client
client = Client('mpy-test', 'peer.lab', ${port})
client.connect()
client.subscribe(b'copro/in')
print('idle', client.check_msg())
client.publish(b'copro/out', b'hello from micropython')
print('ready')
print('got', client.wait_msg())
client.disconnect()
`,
    );
    const child = lab.start([script]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    expect(await firstLine(child, 60_000)).toBe('idle None');
    expect(await eventually(() => out.includes('ready\n'), 30_000)).toBe(true);
    await withTimeout(
      new Promise<void>((resolve, reject) =>
        broker.publish({ cmd: 'publish', topic: 'copro/in', payload: Buffer.from('hi script'), qos: 0, retain: false, dup: false }, (err) =>
          err ? reject(err) : resolve(),
        ),
      ),
      10_000,
      'the broker to publish',
    );
    expect(await exitOf(child, 30_000)).toBe(0);
    expect(out).toBe("idle None\nready\ngot (b'copro/in', b'hi script')\n");
    expect(published).toContainEqual({ topic: 'copro/out', payload: 'hello from micropython', client: 'mpy-test' });
  }, 120_000);
});

/**
 * MQTT 3.1.1 at QoS 0, written for this test the way umqtt.simple drives its socket: stream
 * methods on the socket itself, write(buf, n), write() of a str, read(1)[0], setblocking().
 */
const TINY_MQTT_PY = `import usocket as socket
import ustruct as struct


class Client:
    def __init__(self, client_id, server, port):
        self.client_id = client_id
        self.server = server
        self.port = port
        self.sock = None

    def _length(self, header, size):
        at = 1
        while size > 0x7F:
            header[at] = (size & 0x7F) | 0x80
            size >>= 7
            at += 1
        header[at] = size
        return at + 1

    def _string(self, text):
        self.sock.write(struct.pack("!H", len(text)))
        self.sock.write(text)

    def _remaining(self):
        size = 0
        shift = 0
        while True:
            byte = self.sock.read(1)[0]
            size |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return size
            shift += 7

    def connect(self):
        self.sock = socket.socket()
        self.sock.connect(socket.getaddrinfo(self.server, self.port)[0][-1])
        header = bytearray(5)
        header[0] = 0x10
        self.sock.write(header, self._length(header, 10 + 2 + len(self.client_id)))
        self.sock.write(b"\\x00\\x04MQTT\\x04\\x02\\x00\\x3c")
        self._string(self.client_id)
        ack = self.sock.read(4)
        if ack[0] != 0x20 or ack[3] != 0:
            raise OSError("connect refused %r" % ack)

    def subscribe(self, topic):
        header = bytearray(5)
        header[0] = 0x82
        self.sock.write(header, self._length(header, 2 + 2 + len(topic) + 1))
        self.sock.write(b"\\x00\\x01")
        self._string(topic)
        self.sock.write(b"\\x00")
        while self.wait_msg() != 0x90:
            pass
        self.sock.read(4)

    def publish(self, topic, message):
        header = bytearray(5)
        header[0] = 0x30
        self.sock.write(header, self._length(header, 2 + len(topic) + len(message)))
        self._string(topic)
        self.sock.write(message)

    def wait_msg(self):
        first = self.sock.read(1)
        self.sock.setblocking(True)
        if first is None:
            return None
        if first == b"":
            raise OSError(-1)
        op = first[0]
        if op & 0xF0 != 0x30:
            return op
        size = self._remaining()
        topic = self.sock.read(struct.unpack("!H", self.sock.read(2))[0])
        return topic, self.sock.read(size - 2 - len(topic))

    def check_msg(self):
        self.sock.setblocking(False)
        return self.wait_msg()

    def disconnect(self):
        self.sock.write(b"\\xe0\\x00")
        self.sock.close()
`;

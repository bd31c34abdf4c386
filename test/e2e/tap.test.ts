/**
 * `copro tap` between a host and the emulator on two real PTYs: whole sessions pass byte for
 * byte, the tap's transcript equals the emulator's own record, the tap survives either end going
 * away, and `copro replay` of the tap's transcript satisfies the same host with no network.
 */
import * as net from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openSerialDeviceTransport } from '../../emulator/transport/serial-device-transport.js';
import { open, openHostPort } from '../../src/open.js';
import { Tap } from '../../src/tap/tap.js';
import { AtDialogueDecoder } from '../../src/transcript/at-dialogue.js';
import { compareExchanges } from '../../src/transcript/compare.js';
import { splitExchanges } from '../../src/transcript/exchanges.js';
import type { TimedBytes } from '../../src/transcript/exchanges.js';
import type { Transcript } from '../../src/transcript/reader.js';
import { bytesFrom } from '../../src/transcript/reader.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import { echoThrough } from '../driver/tls-helpers.js';
import { exitOf, firstLine, requireBuiltCli, runCli, spawnCli, stopCli } from '../helpers/cli-process.js';
import { AtHostSession } from '../helpers/at-host-session.js';
import { openHostSerial } from '../helpers/host-serial.js';
import { makeTestPki, TlsPeer, tlsWorld } from '../helpers/tls-lab.js';
import type { TlsWorld } from '../helpers/tls-lab.js';
import { freePort, pseudoRandomBytes, sha256, startEchoServer, startUdpPeer } from './fixtures.js';
import type { EchoServer, UdpPeer } from './fixtures.js';
import { readTranscript, scriptedSession, startPtyEmulator, startTap } from './tap-fixtures.js';
import type { PtyEmulator, RunningTap } from './tap-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'copro-tap-'));
const path = (name: string): string => join(dir, name);
let echo: EchoServer;
let udp: UdpPeer;
let tls: TlsPeer;
let world: TlsWorld;
const running: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  requireBuiltCli();
  const pki = await makeTestPki();
  echo = await startEchoServer();
  udp = await startUdpPeer((data) => Buffer.from(data.toString('latin1').toUpperCase(), 'latin1'));
  tls = await TlsPeer.start({ identity: pki.server });
  world = tlsWorld({ caCerts: [pki.ca.cert] });
});

afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close();
});

afterAll(async () => {
  await echo.close();
  await udp.close();
  await tls.close();
  world.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function bench(name: string, record: boolean): Promise<{ emu: PtyEmulator; tap: RunningTap }> {
  const emu = await startPtyEmulator({ world: world.world, link: path(`${name}-emu`), ...(record ? { record: path(`${name}-emu.jsonl`) } : {}) });
  running.push(emu);
  const tap = await startTap(path(`${name}-emu`), path(`${name}-tap`), record ? path(`${name}-tap.jsonl`) : undefined);
  running.push(tap);
  return { emu, tap };
}

/** Both sides' bytes from the host's first byte on (the emulator's boot banner came before the tap opened it). */
function fromFirstHostByte(transcript: Transcript): TimedBytes[] {
  const first = transcript.records.findIndex((r) => r.kind === 'data' && r.from === 'host');
  return transcript.records.slice(first).flatMap((r) => (r.kind === 'data' ? [{ side: r.from, bytes: r.bytes, t: r.t }] : []));
}

function expectSameDialogue(tapFile: string, emuFile: string): void {
  const tapSide = { header: readTranscript(tapFile).header, records: readTranscript(tapFile).records };
  const tapItems = fromFirstHostByte(tapSide);
  const emuItems = fromFirstHostByte(readTranscript(emuFile));
  const join = (items: TimedBytes[], side: 'host' | 'module'): Buffer => Buffer.concat(items.filter((i) => i.side === side).map((i) => i.bytes));
  expect(sha256(join(tapItems, 'host'))).toBe(sha256(join(emuItems, 'host')));
  expect(join(tapItems, 'module').length).toBe(join(emuItems, 'module').length);
  expect(sha256(join(tapItems, 'module'))).toBe(sha256(join(emuItems, 'module')));
  // And decoded the same, exchange by exchange.
  const differences = compareExchanges(splitExchanges(emuItems), splitExchanges(tapItems), { profile: DEFAULT_PROFILE, measured: false });
  expect(differences.map((d) => d.detail)).toEqual([]);
}

describe('copro tap between a host and the emulator on two PTYs', () => {
  it('passes a usocket driver session (join, TCP 1 MiB each way, UDP, TLS) byte for byte; its transcript equals the emulator\'s', async () => {
    const { tap } = await bench('driver', true);
    const copro = await open(tap.address, { pollIntervalMs: 200 });
    try {
      await copro.wlan.connect('copro-lab', 'labpass123');
      const s = copro.usocket.socket();
      await s.connect(['127.0.0.1', echo.port]);
      const payload = pseudoRandomBytes(1024 * 1024, 0x1a9);
      const back = await echoThrough(s, payload);
      expect(sha256(back)).toBe(sha256(payload));
      expect(echo.receivedDigest()).toBe(sha256(payload));
      await s.close();
      const u = copro.usocket.socket(copro.usocket.AF_INET, copro.usocket.SOCK_DGRAM);
      await u.sendto('hello', ['127.0.0.1', udp.port]);
      const [data] = await u.recvfrom(100);
      expect(Buffer.from(data).toString()).toBe('HELLO');
      await u.close();
      const t = copro.ssl.wrap_socket(copro.usocket.socket(), { cert_reqs: copro.ssl.CERT_REQUIRED });
      await t.connect((await copro.usocket.getaddrinfo('peer.lab', tls.port))[0][4]);
      const secret = pseudoRandomBytes(16 * 1024, 0x5ec);
      expect(sha256(await echoThrough(t, secret))).toBe(sha256(secret));
      await t.close();
    } finally {
      await copro.close();
    }
    for (const item of running.splice(0).reverse()) await item.close();
    expectSameDialogue(path('driver-tap.jsonl'), path('driver-emu.jsonl'));
    const counts = tap.tap.counts();
    expect(counts.hostToDevice).toBe(bytesFrom(readTranscript(path('driver-tap.jsonl')), 'host').length);
    expect(counts.hostToDevice).toBeGreaterThan(1024 * 1024);
    expect(counts.deviceToHost).toBeGreaterThan(1024 * 1024);
  }, 120_000);

  it('passes a reset and an AT+UART_CUR rate change, the device following the host\'s new rate; replay of the tap\'s transcript satisfies the same host with no socket opened', async () => {
    const { tap } = await bench('script', true);
    const peers = { tcp: echo.port, udp: udp.port, tls: tls.port };
    const followed = `host set 230400 baud; ${path('script-emu')} follows`;
    const live = await scriptedSession(tap.address, peers, 256 * 1024, async () => {
      // The tap polls the host's line settings: wait (bounded) until it has followed.
      for (let i = 0; i < 500 && !tap.reports.includes(followed); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    });
    expect(live.tcpBack).toBe(live.sent.tcp);
    expect(live.tlsBack).toBe(live.sent.tls);
    expect(live.udpBack).toBe(sha256(Buffer.from('PING')));
    expect(tap.reports).toContain(followed);
    for (const item of running.splice(0).reverse()) await item.close();
    expectSameDialogue(path('script-tap.jsonl'), path('script-emu.jsonl'));
    const recorded = readTranscript(path('script-tap.jsonl'));
    expect(recorded.records).toContainEqual(expect.objectContaining({ kind: 'line', event: 'baud', rate: 230400 }));
    expect(recorded.records).toContainEqual(expect.objectContaining({ kind: 'firmware', profile: DEFAULT_PROFILE.id }));

    // The same host against `copro replay` of that transcript: no emulator, no network.
    const replay = spawnCli(['replay', path('script-tap.jsonl'), '--link', path('replay')]);
    try {
      expect(await firstLine(replay, 10_000)).toMatch(/^copro replay: .*script-tap\.jsonl on .*replay · expecting \d+ host bytes/);
      let stderr = '';
      replay.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const again = await scriptedSession(path('replay'), peers, 256 * 1024);
      expect(again).toEqual(live);
      expect(inetSocketsOf(replay.pid!)).toEqual([]);
      expect(await exitOf(replay, 10_000)).toBe(0);
      expect(stderr).toMatch(/complete: \d+ host bytes matched/);
    } finally {
      await stopCli(replay);
    }
  }, 180_000);

  it('reports where a host deviates from the transcript, and stops', async () => {
    const { tap } = await bench('short', true);
    const serial = await openHostSerial(tap.address, 115200);
    const h = new AtHostSession(serial);
    await h.ok('AT');
    await h.ok('AT+CWMODE=1');
    await serial.close();
    for (const item of running.splice(0).reverse()) await item.close();
    const replay = spawnCli(['replay', path('short-tap.jsonl'), '--link', path('short-replay'), '--timing', 'asap']);
    let stderr = '';
    replay.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await firstLine(replay, 10_000);
      const again = new AtHostSession(await openHostSerial(path('short-replay'), 115200));
      await again.ok('AT');
      await again.write('AT+CWMODE=2\r\n');
      expect(await exitOf(replay, 10_000)).toBe(1);
      await again.serial.close();
    } finally {
      await stopCli(replay);
    }
    expect(stderr).toContain(`copro replay: the host deviated from the transcript at host byte 14 (${path('short-tap.jsonl')} line 4): expected "1\\r\\n", got "2\\r\\n"`);
  }, 60_000);

  it('survives the host closing and reopening the line, and the device going away and coming back', async () => {
    const { emu, tap } = await bench('life', false);
    for (let round = 0; round < 2; round++) {
      const serial = await openHostSerial(tap.address, 115200);
      const h = new AtHostSession(serial);
      await h.ok('AT');
      await serial.close();
    }
    const serial = await openHostSerial(tap.address, 115200);
    const h = new AtHostSession(serial);
    await h.ok('ATE0');
    running.splice(running.indexOf(emu), 1);
    await emu.close();
    for (let i = 0; i < 200 && !tap.reports.some((r) => r.includes('went away')); i++) await new Promise((r) => setTimeout(r, 10));
    expect(tap.reports.some((r) => r.includes('went away'))).toBe(true);
    // Sent while the module is gone: waits in the tap, reaches the new module once it is there.
    await h.write('AT\r\n');
    const second = await startPtyEmulator({ world: world.world, link: path('life-emu') });
    running.unshift(second);
    await h.rawUntil('OK\r\n', 10_000);
    expect(tap.reports.some((r) => r.endsWith('is back'))).toBe(true);
    await h.ok('AT+GMR');
    await serial.close();
  }, 60_000);

  it('runs as a command: serial over TCP for the host, the decoded dialogue on stderr, the record on exit', async () => {
    const emu = await startPtyEmulator({ world: world.world, link: path('cli-emu') });
    running.push(emu);
    const port = await freePort();
    const child = spawnCli(['tap', '--device', path('cli-emu'), '--listen', String(port), '--record', path('cli.jsonl'), '--trace']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      expect(await firstLine(child, 10_000)).toBe(`copro tap: host opens socket://127.0.0.1:${port} ↔ module on ${path('cli-emu')} at 115200 baud · recording to ${path('cli.jsonl')}`);
      const socket = net.connect(port, '127.0.0.1');
      let got = '';
      socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
      socket.write('AT+GMR\r\n');
      for (let i = 0; i < 500 && !got.includes('OK\r\n'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(got).toMatch(/^AT\+GMR\r\r\nAT version:.*\r\n\r\nOK\r\n$/s);
      socket.destroy();
      for (let i = 0; i < 100 && !stderr.includes('module < OK'); i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await stopCli(child);
    }
    expect(stderr).toMatch(/^\s+\d+\.\d{3}\s+host   > AT\+GMR  \[echoed\]$/m);
    expect(stderr).toMatch(/^\s+\d+\.\d{3}\s+\+\d+\.\d{3} module < AT version:/m);
    expect(stderr).toContain('copro tap: 8 bytes host → module, ');
    const recorded = readTranscript(path('cli.jsonl'));
    expect(recorded.header).toMatchObject({ recorder: 'tap', device: path('cli-emu') });
    expect(recorded.records).toContainEqual(expect.objectContaining({ kind: 'line', event: 'host-attached' }));
    expect(recorded.records).toContainEqual(expect.objectContaining({ kind: 'firmware', profile: DEFAULT_PROFILE.id }));
    expect(bytesFrom(recorded, 'host').toString('latin1')).toBe('AT+GMR\r\n');
  }, 30_000);

  it('explains itself in --help', async () => {
    const expected = [
      ['tap', ['--device', '--pty', '--link', '--listen', '--record', '--trace', '--protocol', 'never alters']],
      ['replay', ['--timing', '--match', '--link', '--listen', 'deviat', 'Exit status']],
      ['verify', ['--profile', 'missing-command', 'format', 'value', 'timing', 'local-port', 'Exit status']],
    ] as const;
    // Three independent processes: started together.
    const helps = await Promise.all(expected.map(([command]) => runCli([command, '--help'], null, 10_000)));
    expected.forEach(([, words], i) => {
      const text = helps[i].stdout.toString();
      for (const word of words) expect(text).toContain(word);
    });
  });
});

/** TCP/UDP sockets (IPv4 or IPv6) a process holds, by inode; Unix sockets (its stdio pipes) are not counted. */
function inetSocketsOf(pid: number): string[] {
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1);
    for (const line of lines) {
      const inode = line.trim().split(/\s+/)[9];
      if (inode && inode !== '0') inodes.add(inode);
    }
  }
  const held: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const target = (() => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })();
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m && inodes.has(m[1])) held.push(target);
  }
  return held;
}


describe('copro tap with the host on a real serial line', () => {
  it('switches both lines when the module answers OK to the host\'s AT+UART_CUR', async () => {
    const emu = await startPtyEmulator({ world: world.world, link: path('wire-emu') });
    running.push(emu);
    // The MCU's wire: a PTY whose slave the tap opens as a serial device; the test is the MCU on its master.
    const mcu = await openPtyTransport({ link: path('wire-mcu') });
    running.push(mcu);
    const received: Buffer[] = [];
    mcu.setSink({ onData: (bytes) => received.push(Buffer.from(bytes)) });
    const hostSide = await openSerialDeviceTransport({ path: path('wire-mcu'), baudRate: 115200 });
    const reports: string[] = [];
    const tap = await Tap.start({ hostSide, hostIsSerialDevice: true, devicePath: path('wire-emu'), openDevice: () => openHostPort(path('wire-emu'), { baudRate: 115200 }), decoder: new AtDialogueDecoder(), report: (t) => reports.push(t) });
    running.push(tap);
    const until = async (text: string): Promise<void> => {
      for (let i = 0; i < 500 && !Buffer.concat(received).toString('latin1').includes(text); i++) await new Promise((r) => setTimeout(r, 10));
      expect(Buffer.concat(received).toString('latin1')).toContain(text);
    };
    mcu.write(Buffer.from('ATE0\r\n'));
    await until('OK\r\n');
    received.length = 0;
    mcu.write(Buffer.from('AT+UART_CUR=230400,8,1,0,0\r\n'));
    // Not waiting for the OK itself: serialport's rate switch flushes the line's kernel buffers
    // (tcflush), and on a PTY the OK may still be there, unread by the test's end, when it does.
    for (let i = 0; i < 500 && (await mcu.hostBaudRate()) !== 230400; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await mcu.hostBaudRate()).toBe(230400);
    expect(reports).toContain(`host set 230400 baud; ${path('wire-emu')} follows`);
    received.length = 0;
    mcu.write(Buffer.from('AT\r\n'));
    await until('\r\nOK\r\n');
  }, 30_000);
});

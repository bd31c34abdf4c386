import { afterEach, describe, expect, it } from 'vitest';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openTcpTransport, type TcpTransport } from '../../emulator/transport/tcp-transport.js';
import { openUartLine, type UartLineTransport } from '../../emulator/transport/uart-line-transport.js';
import { frameMs } from '../../emulator/transport/line-pacer.js';
import { garbleUartBytes } from '../../emulator/transport/uart-garble.js';
import type { LineControlEvent } from '../../emulator/transport/types.js';
import { openHostSerial, type HostSerial } from '../helpers/host-serial.js';
import { ByteCollector } from '../helpers/byte-collector.js';
import { eventually } from '../helpers/deadline.js';
import { openHostTcp, type HostTcp } from '../helpers/host-tcp.js';

/**
 * The UART line model on a real PTY with a serialport host: pacing both ways at the rate the
 * host set (never faster than the line), the host's termios changes followed, a module rate
 * that differs from the host's garbling both ways until they agree again.
 * Timing checks are lower bounds only, measured from the moment bytes were handed over.
 */

let line: UartLineTransport | null = null;
let host: HostSerial | null = null;
let tcpHost: HostTcp | null = null;

afterEach(async () => {
  await host?.close();
  host = null;
  await tcpHost?.close();
  tcpHost = null;
  await line?.close();
  line = null;
});

interface Opened {
  line: UartLineTransport;
  host: HostSerial;
  moduleRx: ByteCollector;
  controls: LineControlEvent[];
  /** How often the line asked the PTY to hold the host's bytes back. */
  pauses: () => number;
}

async function open(options: { pace: boolean; hostBaud: number }): Promise<Opened> {
  const pty = await openPtyTransport({ baudPollMs: 20 });
  let pauses = 0;
  const pause = pty.pauseInput.bind(pty);
  pty.pauseInput = () => {
    pauses += 1;
    pause();
  };
  // These tests are about the host's rate and pacing: the module follows the host (--lenient-baud).
  line = await openUartLine(pty, { pace: options.pace, lenientBaud: true });
  const moduleRx = new ByteCollector();
  const controls: LineControlEvent[] = [];
  line.setSink({ onData: (bytes) => moduleRx.push(bytes), onControl: (event) => controls.push(event) });
  host = await openHostSerial(pty.address, options.hostBaud);
  const opened = line;
  expect(await eventually(() => opened.lineState().hostRate === options.hostBaud, 3000)).toBe(true);
  return { line: opened, host, moduleRx, controls, pauses: () => pauses };
}

function pattern(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + (i >> 8)) & 0xff;
  return out;
}

describe('paced UART line on a PTY', () => {
  it('delivers module output no faster than the host’s line rate, intact and in order', async () => {
    const { line: l, host: h } = await open({ pace: true, hostBaud: 57600 });
    expect(l.lineState()).toMatchObject({ pacing: true, lineRate: 57600, moduleRate: null });
    const data = pattern(2048); // ≈ 356 ms at 57600
    const started = performance.now();
    l.write(data.subarray(0, 1000));
    l.write(data.subarray(1000));
    const got = await h.readUntil((seen) => seen.length >= data.length, 5000);
    const elapsedMs = performance.now() - started;
    expect(got).toEqual(data);
    // 0.99: performance.now and the kernel's delivery are not the same clock edge.
    expect(elapsedMs).toBeGreaterThanOrEqual(data.length * frameMs(57600) * 0.99);
  });

  it('delivers the host’s bytes to the front end no faster than the line, however fast the host writes', async () => {
    const { host: h, moduleRx, pauses } = await open({ pace: true, hostBaud: 115200 });
    const data = pattern(16 * 1024); // ≈ 1.4 s at 115200, written at once: the PTY holds most of it back
    const started = performance.now();
    await h.write(data);
    const got = await moduleRx.readUntil((seen) => seen.length >= data.length, 8000);
    const elapsedMs = performance.now() - started;
    expect(got).toEqual(data);
    expect(elapsedMs).toBeGreaterThanOrEqual(data.length * frameMs(115200) * 0.99);
    expect(pauses()).toBeGreaterThan(0); // held back in the kernel, not piled up in memory
  });

  it('follows the host’s termios changes: the line runs at the rate the host set', async () => {
    const { line: l, host: h, controls } = await open({ pace: true, hostBaud: 115200 });
    await new Promise<void>((resolve, reject) => h.port.update({ baudRate: 19200 }, (err) => (err ? reject(err) : resolve())));
    expect(await eventually(() => l.lineState().hostRate === 19200, 3000)).toBe(true);
    expect(controls).toContainEqual({ type: 'baud', rate: 19200 });
    expect(l.lineState().lineRate).toBe(19200);
    const data = pattern(256); // ≈ 133 ms at 19200, 22 ms at 115200
    const started = performance.now();
    l.write(data);
    expect(await h.readUntil((seen) => seen.length >= data.length, 3000)).toEqual(data);
    expect(performance.now() - started).toBeGreaterThanOrEqual(data.length * frameMs(19200) * 0.99);
  });

  it('unpaced, passes bytes straight through while the rates agree', async () => {
    const { line: l, host: h, moduleRx } = await open({ pace: false, hostBaud: 921600 });
    l.write(Buffer.from('\r\nready\r\n'));
    expect((await h.readUntil('ready\r\n', 2000)).toString()).toBe('\r\nready\r\n');
    await h.write('AT\r\n');
    expect((await moduleRx.readUntil('\r\n', 2000)).toString()).toBe('AT\r\n');
  });
});

describe('baud mismatch on a PTY', () => {
  it('garbles both ways once the module’s rate differs from the host’s, and recovers when the host follows', async () => {
    const { line: l, host: h, moduleRx } = await open({ pace: false, hostBaud: 115200 });
    l.write(Buffer.from('\r\nOK\r\n'));
    expect((await h.readUntil('OK\r\n', 2000)).toString()).toBe('\r\nOK\r\n');
    l.setModuleBaudRate(921600); // what AT+UART_CUR=921600 does after its OK
    expect(l.lineState()).toMatchObject({ moduleRate: 921600, hostRate: 115200, mismatched: true });

    const text = Buffer.from('\r\n+CIPSEND:0,5\r\nHELLO WORLD 0123456789\r\n');
    const expectedAtHost = garbleUartBytes(text, 921600, 115200);
    l.write(text);
    if (expectedAtHost.length > 0) {
      expect(await h.readUntil((seen) => seen.length >= expectedAtHost.length, 2000)).toEqual(expectedAtHost);
    }
    const command = Buffer.from('AT+GMR\r\n');
    const expectedAtModule = garbleUartBytes(command, 115200, 921600);
    expect(expectedAtModule.length).toBeGreaterThan(0);
    await h.write(command);
    expect(await moduleRx.readUntil((seen) => seen.length >= expectedAtModule.length, 2000)).toEqual(expectedAtModule);

    // The host follows to 921600: its very next bytes are understood (the rate is re-read before they are decoded).
    await new Promise<void>((resolve, reject) => h.port.update({ baudRate: 921600 }, (err) => (err ? reject(err) : resolve())));
    await h.write('AT\r\n');
    expect((await moduleRx.readUntil('\r\n', 2000)).toString()).toBe('AT\r\n');
    expect(await eventually(() => !l.lineState().mismatched, 2000)).toBe(true);
    l.write(Buffer.from('\r\nOK\r\n'));
    expect((await h.readUntil('OK\r\n', 2000)).toString()).toBe('\r\nOK\r\n');
  });
});

// Telnet COM-PORT-OPTION SET-BAUDRATE (RFC 2217), spelled out.
const setBaudrate = (rate: number): Buffer => {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(rate);
  return Buffer.concat([Buffer.from([0xff, 0xfa, 0x2c, 1]), value, Buffer.from([0xff, 0xf0])]);
};

async function openTcpLine(protocol: 'raw' | 'rfc2217'): Promise<{ line: UartLineTransport; host: HostTcp; inner: TcpTransport }> {
  const inner = await openTcpTransport({ port: 0, protocol });
  line = await openUartLine(inner, { pace: true, lenientBaud: true });
  line.setSink({ onData: () => undefined });
  tcpHost = await openHostTcp(inner.port);
  return { line, host: tcpHost, inner };
}

describe('UART line over TCP', () => {
  it('raw TCP: the host’s rate is unknown, so the module’s rate paces and nothing is garbled', async () => {
    const { line: l, host: h } = await openTcpLine('raw');
    l.setModuleBaudRate(19200);
    expect(l.lineState()).toMatchObject({ moduleRate: 19200, hostRate: null, lineRate: 19200, mismatched: false });
    const data = pattern(256);
    const started = performance.now();
    l.write(data);
    expect(await h.readUntil((seen) => seen.length >= data.length, 3000)).toEqual(data);
    expect(performance.now() - started).toBeGreaterThanOrEqual(data.length * frameMs(19200) * 0.99);
  });

  it('RFC 2217: SET-BAUDRATE is the host’s rate; the line runs at it, and a module rate that differs garbles', async () => {
    const { line: l, host: h } = await openTcpLine('rfc2217');
    await h.write(setBaudrate(38400));
    await h.readUntil((seen) => seen.length >= 10, 2000); // the server's SET-BAUDRATE acknowledgement
    expect(await eventually(() => l.lineState().hostRate === 38400, 2000)).toBe(true);
    expect(l.lineState().lineRate).toBe(38400);
    const data = Buffer.from('\r\nready\r\n'.repeat(10)); // no 0xFF: nothing to Telnet-escape
    const started = performance.now();
    l.write(data);
    expect(await h.readUntil((seen) => seen.length >= data.length, 3000)).toEqual(data);
    expect(performance.now() - started).toBeGreaterThanOrEqual(data.length * frameMs(38400) * 0.99);

    l.setModuleBaudRate(115200);
    expect(l.lineState().mismatched).toBe(true);
    l.write(Buffer.from('\r\nOK\r\n'));
    await l.drained();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.collector.received.includes('OK')).toBe(false);
  });
});

import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openUartLine, type UartLineTransport } from '../../emulator/transport/uart-line-transport.js';
import { openSerialDeviceTransport, type SerialDeviceTransport } from '../../emulator/transport/serial-device-transport.js';
import { openPtyPair } from '../../emulator/transport/pty-native.js';
import { ByteCollector } from '../helpers/byte-collector.js';
import { eventually } from '../helpers/deadline.js';
import { openHostSerial, type HostSerial } from '../helpers/host-serial.js';
import { FAST_WORLD } from './harness.js';

/**
 * The whole baud-switch dance on a real PTY, as a driver does it with a real module:
 * AT+UART_CUR=921600 → OK at 115200 → the host switches its port → commands at 921600.
 * The host's rate is read from the PTY's termios (what serialport's update() sets). On a real
 * serial device the device's own UART switches instead.
 */

let emu: RunningEmulator | null = null;
let line: UartLineTransport | null = null;
let host: HostSerial | null = null;
let device: SerialDeviceTransport | null = null;
let mcuClose: (() => Promise<void>) | null = null;

afterEach(async () => {
  await host?.close();
  host = null;
  await emu?.close();
  emu = null;
  await line?.close();
  line = null;
  await device?.close();
  device = null;
  await mcuClose?.();
  mcuClose = null;
});

async function setHostBaud(serial: HostSerial, baudRate: number): Promise<void> {
  await new Promise<void>((resolve, reject) => serial.port.update({ baudRate }, (err) => (err ? reject(err) : resolve())));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('AT+UART_CUR on a PTY', () => {
  it('switches after OK; the host is understood again the moment it switches its port', async () => {
    line = await openUartLine(await openPtyTransport());
    emu = await startEmulator({ transport: line, world: FAST_WORLD });
    await emu.ready;
    await line.drained();
    host = await openHostSerial(line.address, 115200);

    await host.write('ATE0\r\n');
    await host.readUntil('OK\r\n', 2000);
    await host.write('AT+UART_CUR=921600,8,1,0,0\r\n');
    expect((await host.readUntil('OK\r\n', 2000)).toString()).toBe('\r\nOK\r\n');
    expect(line.lineState()).toMatchObject({ moduleRate: 921600, hostRate: 115200, mismatched: true });

    // Still at 115200: the module decodes garbage and the host hears nothing it can use.
    await host.write('AT\r\n');
    await sleep(200);
    expect(host.collector.take().includes('OK')).toBe(false);

    await setHostBaud(host, 921600);
    await host.write('\r\n'); // ends the garbage line: refused
    await host.readUntil('ERROR\r\n', 2000);
    await host.write('AT+UART_CUR?\r\n');
    expect((await host.readUntil('OK\r\n', 2000)).toString()).toBe('+UART_CUR:922190,8,1,0,0\r\n\r\nOK\r\n');
    expect(line.lineState().mismatched).toBe(false);

    // AT+RST: the module comes back at 115200, so the host must too (peers.md E10).
    await host.write('AT+RST\r\n');
    await host.readUntil('OK\r\n', 2000);
    await sleep(100);
    await setHostBaud(host, 115200);
    host.collector.take();
    await host.write('AT\r\n');
    expect((await host.readUntil('OK\r\n', 2000)).toString()).toBe('AT\r\r\n\r\nOK\r\n');
  });
});

describe('AT+UART_CUR on a real serial device', () => {
  it('switches the device’s own UART once the OK has left (no pacing, no garbling: the wire does that)', async () => {
    // The "device" is a PTY slave; the test's MCU is the master side.
    const pair = openPtyPair();
    const rx = new tty.ReadStream(pair.master);
    const mcu = new ByteCollector();
    rx.on('data', (bytes: Buffer) => mcu.push(bytes));
    rx.on('error', () => undefined);
    mcuClose = async () => {
      const closed = once(rx, 'close');
      rx.destroy();
      await closed;
      fs.closeSync(pair.slave);
    };
    device = await openSerialDeviceTransport({ path: pair.pty, baudRate: 115200 });
    emu = await startEmulator({ transport: device, world: FAST_WORLD });
    await emu.ready;
    await mcu.readUntil('ready\r\n', 5000);
    fs.writeSync(pair.master, 'AT+UART_CUR=460800,8,1,0,0\r\n');
    expect((await mcu.readUntil('OK\r\n', 5000)).toString()).toBe('AT+UART_CUR=460800,8,1,0,0\r\r\n\r\nOK\r\n');
    const opened = device;
    let rate: number | null = null;
    expect(await eventually(() => {
      void opened.hostBaudRate().then((r) => (rate = r));
      return rate === 460800;
    }, 5000)).toBe(true);
  });
});

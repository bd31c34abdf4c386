import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { openSerialDeviceTransport } from '../../emulator/transport/serial-device-transport.js';
import type { SerialDeviceTransport } from '../../emulator/transport/serial-device-transport.js';
import { openPtyPair } from '../../emulator/transport/pty-native.js';
import { ByteCollector } from '../helpers/byte-collector.js';
import { openPtyFds } from '../helpers/open-fds.js';

/**
 * The "device" is a PTY slave; the test plays the MCU on the master side. The test keeps its
 * own slave fd open so the master survives the transport closing the device.
 */
interface FakeMcu {
  readonly devicePath: string;
  readonly received: ByteCollector;
  send(bytes: Uint8Array): void;
  close(): Promise<void>;
}

function openFakeMcu(): FakeMcu {
  const pair = openPtyPair();
  const rx = new tty.ReadStream(pair.master);
  const received = new ByteCollector();
  rx.on('data', (bytes: Buffer) => received.push(bytes));
  rx.on('error', () => undefined);
  return {
    devicePath: pair.pty,
    received,
    send: (bytes) => {
      // Small test writes fit the kernel buffer: a sync write cannot stall here.
      fs.writeSync(pair.master, bytes);
    },
    close: async () => {
      const closed = once(rx, 'close');
      rx.destroy();
      await closed;
      fs.closeSync(pair.slave);
    },
  };
}

let mcu: FakeMcu | null = null;
let transport: SerialDeviceTransport | null = null;

afterEach(async () => {
  await transport?.close();
  transport = null;
  await mcu?.close();
  mcu = null;
});

describe('serial device transport', () => {
  it('carries bytes both ways unchanged and reports the configured baud', async () => {
    mcu = openFakeMcu();
    transport = await openSerialDeviceTransport({ path: mcu.devicePath, baudRate: 921600 });
    const moduleRx = new ByteCollector();
    transport.setSink({ onData: (bytes) => moduleRx.push(bytes) });
    expect(transport.address).toBe(mcu.devicePath);
    expect(await transport.hostBaudRate()).toBe(921600);

    const awkward = Buffer.from([0x00, 0x03, 0x11, 0x13, 0x1a, 0xff, 0x0d, 0x0a]);
    mcu.send(Buffer.concat([Buffer.from('AT\r\n'), awkward]));
    expect(await moduleRx.readUntil((got) => got.length >= 4 + awkward.length, 2000)).toEqual(
      Buffer.concat([Buffer.from('AT\r\n'), awkward]),
    );
    transport.write(Buffer.concat([Buffer.from('\r\nOK\r\n'), awkward]));
    expect(await mcu.received.readUntil((got) => got.length >= 6 + awkward.length, 2000)).toEqual(
      Buffer.concat([Buffer.from('\r\nOK\r\n'), awkward]),
    );
    await transport.drained();
    expect(transport.pendingBytes()).toBe(0);
  });

  it('says clearly when the device does not exist', async () => {
    await expect(openSerialDeviceTransport({ path: '/dev/ttyCOPRO-missing', baudRate: 115200 })).rejects.toThrow(
      'serial device /dev/ttyCOPRO-missing does not exist',
    );
  });

  it('says clearly when the device is busy (held by another program)', async () => {
    mcu = openFakeMcu();
    transport = await openSerialDeviceTransport({ path: mcu.devicePath, baudRate: 115200 });
    await expect(openSerialDeviceTransport({ path: mcu.devicePath, baudRate: 115200 })).rejects.toThrow(
      `serial device ${mcu.devicePath} is busy: another program has it open`,
    );
  });

  it('says clearly when the path is not a serial device', async () => {
    await expect(openSerialDeviceTransport({ path: '/dev/null', baudRate: 115200 })).rejects.toThrow(
      '/dev/null is not a serial device',
    );
  });

  it('close() releases the device fd', async () => {
    mcu = openFakeMcu();
    const before = openPtyFds();
    transport = await openSerialDeviceTransport({ path: mcu.devicePath, baudRate: 115200 });
    expect(openPtyFds().length).toBe(before.length + 1);
    transport.write(Buffer.from('bye'));
    await transport.close();
    transport = null;
    expect(openPtyFds()).toEqual(before);
  });
});

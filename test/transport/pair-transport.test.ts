import { describe, expect, it } from 'vitest';
import { createTransportPair } from '../../emulator/transport/pair-transport.js';
import type { LineControlEvent } from '../../emulator/transport/types.js';
import { ByteCollector } from '../helpers/byte-collector.js';
import { eventually } from '../helpers/deadline.js';

describe('in-process transport pair', () => {
  it('delivers both ways asynchronously, in order, never from inside write()', async () => {
    const { module, host } = createTransportPair();
    const moduleRx = new ByteCollector();
    const hostRx = new ByteCollector();
    module.setSink({ onData: (bytes) => moduleRx.push(bytes) });
    host.onData((bytes) => hostRx.push(bytes));

    host.write(Buffer.from('AT'));
    host.write(Buffer.from([0x0d, 0x0a, 0x00, 0xff]));
    expect(moduleRx.totalReceived).toBe(0); // not re-entrant
    module.write(Buffer.from('\r\nOK'));
    module.write(Buffer.from('\r\n'));
    expect(hostRx.totalReceived).toBe(0);

    expect([...(await moduleRx.readUntil((got) => got.length >= 6, 1000))]).toEqual([0x41, 0x54, 0x0d, 0x0a, 0x00, 0xff]);
    expect((await hostRx.readUntil('OK\r\n', 1000)).toString()).toBe('\r\nOK\r\n');
    expect(module.address).toBe('emu:pair');
    await module.close();
  });

  it('keeps data and line events in the order the host made them', async () => {
    const { module, host } = createTransportPair({ address: 'emu:test' });
    const seen: string[] = [];
    module.setSink({
      onData: (bytes) => seen.push(`data:${bytes.toString()}`),
      onControl: (event: LineControlEvent) => seen.push(event.type === 'baud' ? `baud:${event.rate}` : event.type),
    });
    host.write(Buffer.from('a'));
    host.control({ type: 'reset' });
    host.write(Buffer.from('b'));
    host.write(Buffer.from('c'));
    host.control({ type: 'baud', rate: 921600 });
    expect(await module.hostBaudRate()).toBe(921600);
    host.close();
    expect(host.closed).toBe(true);
    host.write(Buffer.from('ignored'));
    expect(await eventually(() => seen.includes('host-detached'), 1000)).toBe(true);
    expect(seen).toEqual(['host-attached', 'data:a', 'reset', 'data:bc', 'baud:921600', 'host-detached']);
    expect(module.address).toBe('emu:test');
    await module.close();
  });

  it('bounds the module output while the host does not listen, and tells the host when the module closes', async () => {
    const { module, host } = createTransportPair({ maxQueuedBytes: 8 });
    module.setSink({ onData: () => undefined });
    module.write(Buffer.from('0123456789ABCDEF'));
    expect(module.pendingBytes()).toBe(8);
    expect(module.droppedBytes()).toBe(8);
    const hostRx = new ByteCollector();
    host.onData((bytes) => hostRx.push(bytes));
    expect((await hostRx.readUntil((got) => got.length >= 8, 1000)).toString()).toBe('89ABCDEF');
    await module.drained();

    let closed = false;
    host.onClose(() => (closed = true));
    await module.close();
    expect(await eventually(() => closed, 1000)).toBe(true);
    expect(host.closed).toBe(true);
  });

  it('holds host bytes until the module sets its sink', async () => {
    const { module, host } = createTransportPair();
    host.write(Buffer.from('early'));
    await new Promise((resolve) => setImmediate(resolve));
    const moduleRx = new ByteCollector();
    module.setSink({ onData: (bytes) => moduleRx.push(bytes) });
    expect((await moduleRx.readUntil('early', 1000)).toString()).toBe('early');
    await module.close();
  });

  it('holds host bytes while the module pauses input, in order, and delivers them on resume', async () => {
    const { module, host } = createTransportPair();
    const moduleRx = new ByteCollector();
    module.setSink({ onData: (bytes) => moduleRx.push(bytes) });
    host.write(Buffer.from('one,'));
    expect((await moduleRx.readUntil('one,', 1000)).toString()).toBe('one,');
    module.pauseInput();
    host.write(Buffer.from('two,'));
    host.write(Buffer.from('three'));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(moduleRx.totalReceived).toBe(4);
    module.resumeInput();
    expect((await moduleRx.readUntil('three', 1000)).toString()).toBe('two,three');
    await module.close();
  });
});

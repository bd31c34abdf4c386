import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { createTransportPair } from '../../emulator/transport/pair-transport.js';
import { openUartLine } from '../../emulator/transport/uart-line-transport.js';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { ESP32_AT_2X } from '../../firmware-protocol/at/profiles.js';
import { Cleanup, FAST_WORLD, LAB, TcpPeer, TestHost, waitUntil } from './harness.js';

/**
 * On a paced line a fast TCP peer must not overrun the module's output: the firmware stops reading
 * the socket while its data waits for the wire, so every byte arrives, in order, at the line rate.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function pattern(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 13 + (i >> 9)) & 0xff;
  return out;
}

describe('+IPD on a paced line', () => {
  it('holds a fast TCP peer back instead of dropping: 512 KiB through a 96 KiB line queue arrive intact', async () => {
    const rate = 4_000_000; // 400 KB/s keeps the test short; the mechanism is the same at 115200
    const pair = createTransportPair();
    // The host runs at 4 Mbaud from the start: the module follows it (--lenient-baud).
    const line = await openUartLine(pair.module, { pace: true, maxQueuedBytes: 96 * 1024, lenientBaud: true });
    cleanup.add(() => line.close());
    const emu = await startEmulator({ transport: line, world: FAST_WORLD });
    cleanup.add(() => emu.close());
    pair.host.control({ type: 'baud', rate });
    const host = new TestHost(pair.host);
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');

    const payload = pattern(512 * 1024);
    const peer = await TcpPeer.start(cleanup, (socket) => socket.end(payload));
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');

    // From here the test reads the stream itself (the host link has one listener).
    const parser = new HostResponseParser(ESP32_AT_2X);
    const hash = createHash('sha256');
    let received = 0;
    let closed = false;
    pair.host.onData((bytes) => {
      parser.push(bytes);
      for (let event = parser.next(); event; event = parser.next()) {
        if (event.type === 'ipd') {
          hash.update(event.data);
          received += event.data.length;
        } else if (event.type === 'urc' && event.urc.kind === 'closed') {
          closed = true;
        }
      }
    });
    const leftover = Buffer.from(host.pending);
    if (leftover.length > 0) parser.push(leftover);
    await waitUntil(() => closed, 'all data and CLOSED', 15_000);
    expect(received).toBe(payload.length);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(line.droppedBytes()).toBe(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import type { RunningNinaEmulator } from '../../emulator/nina/index.js';
import { openPtyTransport, type PtyTransport } from '../../emulator/transport/pty-transport.js';
import { FAST_WORLD, freePort, startEchoServer, startUdpPeer, type EchoServer, type UdpPeer } from '../e2e/fixtures.js';
import { openHostSerial, type HostSerial } from '../helpers/host-serial.js';
import { NinaHostSession } from '../helpers/nina-host-session.js';
import { runFullSession } from './full-session.js';

describe('NINA module on a real PTY, host through serialport', () => {
  let transport: PtyTransport | undefined;
  let emulator: RunningNinaEmulator | undefined;
  let serial: HostSerial | undefined;
  let echo: EchoServer | undefined;
  let udp: UdpPeer | undefined;
  afterEach(async () => {
    await serial?.close();
    await emulator?.close();
    await transport?.close();
    await echo?.close();
    await udp?.close();
    transport = emulator = serial = echo = udp = undefined;
  });

  it('runs the same whole session over the kernel PTY', async () => {
    echo = await startEchoServer();
    udp = await startUdpPeer((d) => Buffer.concat([Buffer.from('re:'), d]));
    transport = await openPtyTransport();
    emulator = await startEmulator({ transport, world: FAST_WORLD, protocol: 'nina' });
    await emulator.ready;
    serial = await openHostSerial(transport.address, 115200);
    const port = serial.port;
    const session = new NinaHostSession({
      write: (bytes) => serial!.write(bytes),
      onData: (listener) => port.on('data', listener),
    });
    await runFullSession(session, { echo, udp, serverPort: await freePort() });
    expect(emulator.module.core.closed).toBe(false);
  });
});

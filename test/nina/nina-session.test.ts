import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import type { RunningNinaEmulator } from '../../emulator/nina/index.js';
import { FAST_WORLD, freePort, startEchoServer, startUdpPeer, type EchoServer, type UdpPeer } from '../e2e/fixtures.js';
import { NinaHostSession } from '../helpers/nina-host-session.js';
import { runFullSession } from './full-session.js';

describe('NINA module through the in-process pair', () => {
  let emulator: RunningNinaEmulator | undefined;
  let echo: EchoServer | undefined;
  let udp: UdpPeer | undefined;
  afterEach(async () => {
    await emulator?.close();
    await echo?.close();
    await udp?.close();
    emulator = echo = udp = undefined;
  });

  it('runs a whole host session: scan, join, status, DNS, TCP, UDP, server, errors, padding', async () => {
    echo = await startEchoServer();
    udp = await startUdpPeer((d) => Buffer.concat([Buffer.from('re:'), d]));
    emulator = await startEmulator({ protocol: 'nina', world: FAST_WORLD });
    expect(emulator.protocol).toBe('nina');
    const host = emulator.host!;
    const session = new NinaHostSession({ write: (b) => host.write(b), onData: (l) => host.onData(l) });
    await runFullSession(session, { echo, udp, serverPort: await freePort() });
  });
});

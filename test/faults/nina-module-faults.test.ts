/**
 * The NINA module fault layer, at the frame level on fake time: a reset is nina-fw rebooting (the
 * command it was running never answered, frames during the reboot never read, everything gone
 * after), a WiFi loss is nina-fw's disconnect (DISCONNECTED, no rejoin of its own), and the ESP-AT
 * busy lines are refused, never ignored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { faultControlHandler } from '../../emulator/control/control-handler.js';
import { startEmulator } from '../../emulator/emulator.js';
import { FaultInjector } from '../../emulator/faults/injector.js';
import type { RunningNinaEmulator } from '../../emulator/nina/start-nina.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { ConnectionStatus, ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { startEchoServer, type EchoServer } from '../e2e/fixtures.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { NinaHostSession } from '../helpers/nina-host-session.js';
import { FAST_WORLD } from '../e2e/fixtures.js';
import { NO_DNS, joinLab } from '../nina/harness.js';

let emulator: RunningNinaEmulator | undefined;
let echo: EchoServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await echo?.close();
  emulator = echo = undefined;
});

async function ninaWithFaults(clock: ManualClock, faults: FaultInjector): Promise<{ h: NinaHostSession; faults: FaultInjector }> {
  emulator = await startEmulator({ protocol: 'nina', world: FAST_WORLD, network: NO_DNS, clock, faults });
  const link = emulator.host!;
  return { h: new NinaHostSession({ write: (b) => link.write(b), onData: (l) => link.onData(l) }, clock), faults };
}

const tcpTo = (port: number, n: number): Uint8Array[] => [f.ipv4Bytes('127.0.0.1'), f.u16be(port), f.u8(n), f.u8(0)];

describe('NINA module faults', () => {
  it('reset@#2: the second command frame is never answered, frames during the reboot are not read, then the chip is fresh', async () => {
    echo = await startEchoServer();
    const clock = new ManualClock();
    const { h, faults } = await ninaWithFaults(clock, new FaultInjector({ seed: 5 }));
    await joinLab(h);
    expect(faults.apply('reset@#2')).toBe('armed reset@#2');
    expect(await h.byte('START_CLIENT_TCP', tcpTo(echo.port, 0))).toBe(1); // opportunity 1
    await expect(h.request('GET_CONN_STATUS', [], { timeoutMs: 200 })).rejects.toThrow('no NINA reply'); // 2: the chip resets
    expect(faults.status().injected.reset).toBe(1);
    await h.raw(Buffer.from([0xe0, 0x20, 0x00, 0xee])); // GET_CONN_STATUS while it reboots
    expect(await h.silentFor(100)).toBe(true);
    await clock.advance(10); // NINA_REBOOT_MS (500) at the world's scale 0.01
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.IDLE);
    expect(await h.byte('GET_CLIENT_STATE_TCP', [f.u8(0)])).toBe(0);
    expect(await h.byte('GET_SOCKET')).toBe(0);
    // The host rejoins and connects again, as after a RESETN pulse.
    await joinLab(h);
    expect(await h.byte('START_CLIENT_TCP', tcpTo(echo.port, 0))).toBe(1);
    expect(faults.status().armed).toEqual([{ spec: 'reset@#2', opportunities: 2, fired: 1, spent: true }]);
  });

  it("wifi-drop: GET_CONN_STATUS reads DISCONNECTED, sockets are closed, and nina-fw does not rejoin on its own", async () => {
    echo = await startEchoServer();
    const clock = new ManualClock();
    const { h, faults } = await ninaWithFaults(clock, new FaultInjector({ seed: 5 }));
    await joinLab(h);
    expect(await h.byte('START_CLIENT_TCP', tcpTo(echo.port, 0))).toBe(1);
    expect(faults.apply('wifi-drop')).toBe('wifi-drop: AP lost, AP stays; status DISCONNECTED until the host joins again');
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.DISCONNECTED);
    // ESP-IDF's reason for an AP that went off the air: WIFI_REASON_BEACON_TIMEOUT (200), not 8 (we left).
    expect(await h.byte('GET_REASON_CODE')).toBe(200);
    expect(await h.byte('GET_CLIENT_STATE_TCP', [f.u8(0)])).toBe(0);
    await clock.advance(60_000);
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.DISCONNECTED);
    await joinLab(h);

    // rejoin=2s: the AP is off the air that long; a join meanwhile fails (no AP), one after succeeds.
    expect(faults.apply('wifi-drop:rejoin=2s')).toBe('wifi-drop: AP lost, AP back in 2000 ms; status DISCONNECTED until the host joins again');
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.DISCONNECTED);
    expect(await h.join('copro-lab', 'labpass123', 500)).toBe(ConnectionStatus.CONNECT_FAILED);
    await clock.advance(2000);
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.CONNECT_FAILED);
    await joinLab(h);
    expect(faults.status().injected['wifi-drop']).toBe(2);
  });

  it('wifi-drop@#1 fires at a command frame, which still runs and is answered', async () => {
    const clock = new ManualClock();
    const { h, faults } = await ninaWithFaults(clock, new FaultInjector({ seed: 5 }));
    await joinLab(h);
    faults.apply('wifi-drop@#1');
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.DISCONNECTED);
  });

  it('refuses busy-p and busy-s on a NINA module: armed at start, in a world file, now, and over the control channel', async () => {
    const message = 'bad fault "busy-p@#2": busy-p is an ESP-AT line (`busy p...`); nina-fw has no busy reply';
    await expect(startEmulator({ protocol: 'nina', world: FAST_WORLD, faults: new FaultInjector({ seed: 1, faults: ['busy-p@#2'] }) })).rejects.toThrow(message);
    const world = parseWorldConfig({ timing: { scale: 0.01 }, faults: { seed: 3, plan: ['busy-s@0.1:after-ok'] } });
    await expect(startEmulator({ protocol: 'nina', world })).rejects.toThrow('bad fault "busy-s@0.1:after-ok": busy-s is an ESP-AT line');

    const clock = new ManualClock();
    const { faults } = await ninaWithFaults(clock, new FaultInjector({ seed: 1, faults: ['reset@#50'] }));
    expect(() => faults.apply('busy-p')).toThrow('bad fault "busy-p@now": busy-p is an ESP-AT line');
    expect(() => faults.apply('busy-s@#3')).toThrow('cannot apply to a NINA module');
    const control = faultControlHandler(faults, { name: 'unit', address: 'emu:pair', profile: 'nina', pid: process.pid });
    expect(await control({ op: 'fault', specs: ['busy-p@0.5'] })).toEqual({ ok: false, error: expect.stringContaining('busy-p is an ESP-AT line') });
    expect(faults.status().armed.map((fault) => fault.spec)).toEqual(['reset@#50']);
    // The same plan on an ESP-AT module is armed as before.
    const at = await startEmulator({ world, clock: new ManualClock() });
    expect(at.faults?.status().armed.map((fault) => fault.spec)).toEqual(['busy-s@0.1:after-ok']);
    await at.close();
  });
});

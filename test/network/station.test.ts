import { afterEach, describe, expect, it } from 'vitest';
import {
  JoinError,
  SimulatedStation,
  StackError,
  type StationListener,
} from '../../emulator/network/index.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { FAST_WORLD, LAB, sleep } from './helpers.js';

/** Two networks with the same SSID (the stronger one wins), a weaker open one, and one more. */
const WORLD_SOURCE = {
  accessPoints: [
    { ssid: 'mesh', password: 'meshpass1', rssi: -70, channel: 1, bssid: '02:00:00:00:00:01', ip: '10.1.0.10', gateway: '10.1.0.1', netmask: '255.255.0.0' },
    { ssid: 'cafe', rssi: -80, channel: 11, bssid: '02:00:00:00:00:02', ip: '10.2.0.10', gateway: '10.2.0.1', netmask: '255.255.255.0' },
    { ssid: 'mesh', password: 'meshpass1', rssi: -40, channel: 6, bssid: '02:00:00:00:00:03', ip: '10.1.0.11', gateway: '10.1.0.1', netmask: '255.255.0.0' },
    { ssid: 'lab', password: 'labpass123', security: 'wpa-wpa2-psk', rssi: -55, channel: 3, bssid: '02:00:00:00:00:04', ip: '10.3.0.10', gateway: '10.3.0.1', netmask: '255.255.255.0' },
  ],
  // associate 4 ms, DHCP 2 ms, wrong password 40 ms, no AP 25 ms, scan 15 ms
  timing: { scale: 0.01 },
};
const WORLD = parseWorldConfig(WORLD_SOURCE);

/** A listener that logs events, with the station's view at each one. */
function recordEvents(station: SimulatedStation): string[] {
  const events: string[] = [];
  const listener: StationListener = {
    onConnected: () => events.push(`connected ip=${station.info().ip}`),
    onGotIp: () => events.push(`got-ip ip=${station.info().ip}`),
    onDisconnected: () => events.push('disconnected'),
  };
  station.setListener(listener);
  return events;
}

async function joinFailure(promise: Promise<void>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof JoinError) return error.failure;
    throw error;
  }
  throw new Error('join succeeded');
}

let station: SimulatedStation;
afterEach(() => station?.reset());

describe('SimulatedStation join', () => {
  it('fires onConnected, then onGotIp, then resolves, with the lease of the AP', async () => {
    station = new SimulatedStation(FAST_WORLD);
    const events = recordEvents(station);
    const joined = station.join(LAB.ssid, LAB.password).then(() => events.push('resolved'));
    expect(station.info()).toMatchObject({ connected: false, ip: '0.0.0.0', ssid: null });
    await joined;
    expect(events).toEqual(['connected ip=0.0.0.0', 'got-ip ip=192.168.10.42', 'resolved']);
    expect(station.info()).toEqual({
      connected: true,
      ssid: 'copro-lab',
      bssid: 'ca:d7:19:d8:a6:44',
      channel: 6,
      rssi: -45,
      ip: '192.168.10.42',
      gateway: '192.168.10.1',
      netmask: '255.255.255.0',
      mac: FAST_WORLD.station.mac,
      dns: ['192.168.10.1'],
      hostname: null,
    });
  });

  it('disconnects from the current AP first when joining again', async () => {
    station = new SimulatedStation(WORLD);
    const events = recordEvents(station);
    await station.join('mesh', 'meshpass1');
    await station.join('lab', 'labpass123');
    expect(events).toEqual([
      'connected ip=0.0.0.0',
      'got-ip ip=10.1.0.11',
      'disconnected',
      'connected ip=0.0.0.0',
      'got-ip ip=10.3.0.10',
    ]);
  });

  it('picks the strongest AP of an SSID, or the one a bssid names', async () => {
    station = new SimulatedStation(WORLD);
    await station.join('mesh', 'meshpass1');
    expect(station.info()).toMatchObject({ bssid: '02:00:00:00:00:03', rssi: -40 });
    await station.join('mesh', 'meshpass1', { bssid: '02:00:00:00:00:01' });
    expect(station.info()).toMatchObject({ bssid: '02:00:00:00:00:01', channel: 1, ip: '10.1.0.10' });
  });

  it('joins an open network whatever the password', async () => {
    station = new SimulatedStation(WORLD);
    await station.join('cafe', 'anything');
    expect(station.info().ip).toBe('10.2.0.10');
  });

  it('fails with wrong-password, without any event', async () => {
    station = new SimulatedStation(WORLD);
    const events = recordEvents(station);
    expect(await joinFailure(station.join('mesh', 'wrongpass'))).toBe('wrong-password');
    expect(await joinFailure(station.join('lab', ''))).toBe('wrong-password');
    expect(events).toEqual([]);
    expect(station.info().connected).toBe(false);
  });

  it('fails with no-ap for an unknown SSID or a bssid that does not match', async () => {
    station = new SimulatedStation(WORLD);
    const events = recordEvents(station);
    expect(await joinFailure(station.join('nobody-here', 'whatever1'))).toBe('no-ap');
    expect(await joinFailure(station.join('lab', 'labpass123', { bssid: '02:00:00:00:00:01' }))).toBe('no-ap');
    expect(events).toEqual([]);
  });

  it('times out when the deadline comes before the outcome', async () => {
    const slow = parseWorldConfig({ accessPoints: WORLD.accessPoints, timing: { scale: 1, associateMs: 40, dhcpMs: 200 } });
    station = new SimulatedStation(slow);
    const events = recordEvents(station);
    // Deadline before association: no event at all.
    expect(await joinFailure(station.join('mesh', 'meshpass1', { timeoutMs: 10 }))).toBe('timeout');
    expect(events).toEqual([]);
    // Deadline during DHCP: associated, then given up.
    expect(await joinFailure(station.join('mesh', 'meshpass1', { timeoutMs: 120 }))).toBe('timeout');
    expect(events).toEqual(['connected ip=0.0.0.0', 'disconnected']);
    expect(station.info()).toMatchObject({ connected: false, ip: '0.0.0.0' });
    // Wrong password and unknown SSID also end in timeout when the deadline is shorter.
    expect(await joinFailure(station.join('mesh', 'badpass99', { timeoutMs: 5 }))).toBe('timeout');
    expect(await joinFailure(station.join('ghost', 'badpass99', { timeoutMs: 5 }))).toBe('timeout');
    // A deadline long enough changes nothing.
    await station.join('mesh', 'meshpass1', { timeoutMs: 1000 });
    expect(station.info().connected).toBe(true);
  });

  it('a new join cancels the one under way: it fails and its timers never fire', async () => {
    const slow = parseWorldConfig({ accessPoints: WORLD.accessPoints, timing: { associateMs: 30, dhcpMs: 30 } });
    station = new SimulatedStation(slow);
    const events = recordEvents(station);
    const first = joinFailure(station.join('mesh', 'meshpass1'));
    await station.join('lab', 'labpass123');
    expect(await first).toBe('failed');
    await sleep(80); // past the first join's schedule
    expect(events).toEqual(['connected ip=0.0.0.0', 'got-ip ip=10.3.0.10']);
    expect(station.info().ssid).toBe('lab');
  });
});

describe('SimulatedStation leave, drop, reset', () => {
  it('leave() disconnects once; when not connected it does nothing', async () => {
    station = new SimulatedStation(FAST_WORLD);
    const events = recordEvents(station);
    station.leave();
    await station.join(LAB.ssid, LAB.password);
    station.leave();
    station.leave();
    expect(events).toEqual(['connected ip=0.0.0.0', 'got-ip ip=192.168.10.42', 'disconnected']);
    expect(station.info()).toMatchObject({ connected: false, ssid: null, ip: '0.0.0.0' });
  });

  it('dropAssociation() reports the AP lost', async () => {
    station = new SimulatedStation(FAST_WORLD);
    const events = recordEvents(station);
    expect(station.dropAssociation()).toBe(false);
    await station.join(LAB.ssid, LAB.password);
    expect(station.dropAssociation()).toBe(true);
    expect(events.at(-1)).toBe('disconnected');
    expect(station.info().connected).toBe(false);
  });

  it('reset() forgets everything silently and cancels what is pending', async () => {
    station = new SimulatedStation(parseWorldConfig({ timing: { associateMs: 20, dhcpMs: 20, scanMs: 20 } }));
    const events = recordEvents(station);
    await station.join(LAB.ssid, LAB.password);
    events.length = 0;
    station.reset();
    expect(station.info()).toMatchObject({ connected: false, ip: '0.0.0.0' });
    const pendingJoin = joinFailure(station.join(LAB.ssid, LAB.password));
    const pendingScan = station.scan().then(
      () => 'resolved',
      (error: unknown) => (error instanceof StackError ? error.code : 'other'),
    );
    station.reset();
    expect(await pendingJoin).toBe('failed');
    expect(await pendingScan).toBe('closed');
    await sleep(60);
    expect(events).toEqual([]);
    expect(station.info().connected).toBe(false);
  });
});

describe('SimulatedStation scan', () => {
  it('reports every AP, strongest first, without secrets', async () => {
    station = new SimulatedStation(WORLD);
    const found = await station.scan();
    expect(found.map((ap) => [ap.ssid, ap.rssi])).toEqual([
      ['mesh', -40],
      ['lab', -55],
      ['mesh', -70],
      ['cafe', -80],
    ]);
    expect(found[1]).toEqual({ ssid: 'lab', security: 'wpa-wpa2-psk', rssi: -55, bssid: '02:00:00:00:00:04', channel: 3 });
    expect(found.some((ap) => 'password' in ap)).toBe(false);
  });
});

describe('SimulatedStation: APs that go away', () => {
  it('an AP off the air is lost with reason "lost", missing from scans and joins, and back on time', async () => {
    const clock = new ManualClock();
    const world = parseWorldConfig({ ...WORLD_SOURCE, timing: { scale: 1 }, outages: [{ ssid: 'lab', atMs: 5000, forMs: 2000 }] });
    station = new SimulatedStation(world, clock);
    const reasons: string[] = [];
    station.setListener({ onConnected: () => undefined, onGotIp: () => undefined, onDisconnected: (reason) => reasons.push(reason) });
    const joined = station.join('lab', 'labpass123');
    await clock.advance(1000);
    await joined;
    await clock.advance(4000);
    expect(reasons).toEqual(['lost']);
    expect(station.info().connected).toBe(false);
    const scan = station.scan();
    await clock.advance(1500);
    expect((await scan).map((ap) => ap.ssid)).not.toContain('lab');
    const failing = joinFailure(station.join('lab', 'labpass123'));
    await clock.advance(3000);
    expect(await failing).toBe('no-ap');
    // Back at 7 s: a join finds it; leaving is reason "left".
    const again = station.join('lab', 'labpass123');
    await clock.advance(1000);
    await again;
    station.leave();
    expect(reasons).toEqual(['lost', 'left']);
    // takeApAway: the associated AP, for a while.
    const third = station.join('lab', 'labpass123');
    await clock.advance(1000);
    await third;
    expect(station.takeApAway(100)).toBe(true);
    expect(reasons).toEqual(['lost', 'left', 'lost']);
    expect(station.takeApAway(100)).toBe(false);
    station.dispose();
  });
});

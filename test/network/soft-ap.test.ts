import { describe, expect, it } from 'vitest';
import { SoftAccessPoint, inSubnet } from '../../emulator/network/soft-ap.js';

function accessPoint(maxConnections = 4): { ap: SoftAccessPoint; events: string[] } {
  const ap = new SoftAccessPoint(
    '24:0a:c4:c0:90:02',
    { ssid: 'ap', password: 'secret123', channel: 1, security: 'wpa2-psk', maxConnections, hidden: false },
    { ip: '192.168.4.1', gateway: '192.168.4.1', netmask: '255.255.255.0' },
    { leaseMinutes: 120, start: '192.168.4.2', end: '192.168.4.3' },
  );
  const events: string[] = [];
  ap.setListener({
    onStationConnected: (mac) => events.push(`connected ${mac}`),
    onStationGotIp: (mac, ip) => events.push(`ip ${mac} ${ip}`),
    onStationDisconnected: (mac) => events.push(`gone ${mac}`),
  });
  return { ap, events };
}

describe('SoftAccessPoint: association, DHCP pool, letting stations go', () => {
  it('refuses while down, a wrong key, and a station beyond max connections', () => {
    const { ap, events } = accessPoint(1);
    const handle = { kicked: () => undefined };
    expect(ap.associate('aa:aa:aa:aa:aa:01', 'secret123', handle)).toBe('no-ap');
    ap.start();
    expect(ap.associate('aa:aa:aa:aa:aa:01', 'wrong', handle)).toBe('wrong-password');
    expect(ap.associate('AA:AA:AA:AA:AA:01', 'secret123', handle)).toBeNull();
    expect(ap.associate('aa:aa:aa:aa:aa:02', 'secret123', handle)).toBe('failed');
    expect(events).toEqual(['connected aa:aa:aa:aa:aa:01']);
  });

  it('leases the lowest free address, keeps a station its lease, and runs out', () => {
    const { ap, events } = accessPoint();
    ap.start();
    const handle = { kicked: () => undefined };
    for (const mac of ['aa:aa:aa:aa:aa:01', 'aa:aa:aa:aa:aa:02', 'aa:aa:aa:aa:aa:03']) ap.associate(mac, 'secret123', handle);
    expect(ap.lease('aa:aa:aa:aa:aa:01')).toBe('192.168.4.2');
    expect(ap.lease('aa:aa:aa:aa:aa:01')).toBe('192.168.4.2');
    expect(ap.lease('aa:aa:aa:aa:aa:02')).toBe('192.168.4.3');
    expect(ap.lease('aa:aa:aa:aa:aa:03')).toBeNull();
    ap.release('aa:aa:aa:aa:aa:01');
    expect(ap.lease('aa:aa:aa:aa:aa:03')).toBe('192.168.4.2');
    expect(ap.stationAt('192.168.4.3')).toBe('aa:aa:aa:aa:aa:02');
    expect(events.filter((event) => event.startsWith('gone'))).toEqual(['gone aa:aa:aa:aa:aa:01']);
  });

  it('lets one station or all go, telling each; a new configuration restarts the AP', () => {
    const { ap, events } = accessPoint();
    ap.start();
    const kicked: string[] = [];
    for (const mac of ['aa:aa:aa:aa:aa:01', 'aa:aa:aa:aa:aa:02']) ap.associate(mac, 'secret123', { kicked: () => kicked.push(mac) });
    expect(ap.disconnect('AA:AA:AA:AA:AA:02')).toBe(true);
    expect(ap.disconnect('aa:aa:aa:aa:aa:09')).toBe(false);
    ap.configure({ ...ap.config, ssid: 'renamed' });
    expect(kicked).toEqual(['aa:aa:aa:aa:aa:02', 'aa:aa:aa:aa:aa:01']);
    expect(ap.stations()).toEqual([]);
    expect(events.slice(-2)).toEqual(['gone aa:aa:aa:aa:aa:02', 'gone aa:aa:aa:aa:aa:01']);
  });

  it('knows its subnet', () => {
    const address = { ip: '192.168.4.1', gateway: '192.168.4.1', netmask: '255.255.255.0' };
    expect(inSubnet(address, '192.168.4.200')).toBe(true);
    expect(inSubnet(address, '192.168.5.2')).toBe(false);
    expect(inSubnet({ ...address, netmask: '255.255.0.0' }, '192.168.5.2')).toBe(true);
  });
});

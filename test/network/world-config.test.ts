import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WORLD,
  WorldConfigError,
  hostPortFor,
  loadWorldConfig,
  parseWorldConfig,
  scaledMs,
} from '../../emulator/world-config.js';

const AP = {
  ssid: 'home',
  password: 'secret-pass',
  rssi: -60,
  channel: 11,
  bssid: 'AA:BB:CC:DD:EE:01',
  ip: '10.0.0.5',
  gateway: '10.0.0.1',
  netmask: '255.255.255.0',
};

function errorOf(document: unknown): WorldConfigError {
  try {
    parseWorldConfig(document);
  } catch (error) {
    if (error instanceof WorldConfigError) return error;
    throw error;
  }
  throw new Error('expected a WorldConfigError');
}

describe('DEFAULT_WORLD', () => {
  it('has the copro-lab WPA2 network, a loopback hosts table and realistic timing', () => {
    expect(DEFAULT_WORLD.accessPoints).toHaveLength(1);
    const ap = DEFAULT_WORLD.accessPoints[0];
    expect(ap).toMatchObject({ ssid: 'copro-lab', password: 'labpass123', security: 'wpa2-psk', channel: 6 });
    expect(ap.rssi).toBeLessThan(-30);
    expect(ap.rssi).toBeGreaterThan(-60);
    expect(ap.ip).toBe('192.168.10.42');
    expect(DEFAULT_WORLD.hosts['copro.local']).toBe('127.0.0.1');
    expect(Object.values(DEFAULT_WORLD.hosts).every((ip) => ip.startsWith('127.'))).toBe(true);
    expect(DEFAULT_WORLD.timing.scale).toBe(1);
    expect(DEFAULT_WORLD.timing.wrongPasswordMs).toBeGreaterThan(DEFAULT_WORLD.timing.associateMs);
  });

  it('is what an empty document parses to', () => {
    expect(parseWorldConfig({})).toEqual(DEFAULT_WORLD);
  });
});

describe('parseWorldConfig', () => {
  it('normalises an AP and defaults its security from the password', () => {
    const world = parseWorldConfig({ accessPoints: [AP, { ...AP, ssid: 'cafe', password: undefined, bssid: 'aa:bb:cc:dd:ee:02' }] });
    expect(world.accessPoints[0]).toMatchObject({ ssid: 'home', security: 'wpa2-psk', bssid: 'aa:bb:cc:dd:ee:01' });
    expect(world.accessPoints[1]).toMatchObject({ ssid: 'cafe', security: 'open', password: '' });
  });

  it('reads security by name, and an older file\'s ESP-AT ecn number as the same kind', () => {
    const securities = (aps: object[]): string[] =>
      parseWorldConfig({ accessPoints: aps.map((ap, i) => ({ ...AP, ...ap, bssid: `aa:bb:cc:dd:ee:0${i}` })) }).accessPoints.map(
        (ap) => ap.security,
      );
    expect(securities([{ security: 'wpa3-psk' }, { security: 'open', password: '' }, { security: 'wep' }])).toEqual(['wpa3-psk', 'open', 'wep']);
    expect(securities([{ ecn: 4 }, { ecn: 0, password: undefined }, { ecn: 7 }, { ecn: 10 }])).toEqual([
      'wpa-wpa2-psk',
      'open',
      'wpa2-wpa3-psk',
      'wpa3-enterprise-192',
    ]);
  });

  it('fills missing timing fields and keeps the other sections from DEFAULT_WORLD', () => {
    const world = parseWorldConfig({ timing: { scale: 0.01, dhcpMs: 50 } });
    expect(world.timing).toEqual({ ...DEFAULT_WORLD.timing, scale: 0.01, dhcpMs: 50 });
    expect(world.accessPoints).toEqual(DEFAULT_WORLD.accessPoints);
    expect(scaledMs(world.timing, 'dhcpMs')).toBeCloseTo(0.5);
  });

  it('lower-cases host names and maps ports', () => {
    const world = parseWorldConfig({ hosts: { 'Printer.LAN.': '127.0.0.9' }, ports: { '80': 8080, '23': 0 } });
    expect(world.hosts).toEqual({ 'printer.lan': '127.0.0.9' });
    expect(hostPortFor(world, 80)).toBe(8080);
    expect(hostPortFor(world, 23)).toBe(0);
    expect(hostPortFor(world, 333)).toBe(333);
  });

  it.each([
    [{ accessPoints: [{ ...AP, rssi: 'strong' }] }, 'accessPoints[0].rssi', /integer in -100\.\.0/],
    [{ accessPoints: [AP, { ...AP, ssid: 'x'.repeat(33) }] }, 'accessPoints[1].ssid', /1\.\.32 bytes/],
    [{ accessPoints: [{ ...AP, bssid: 'nope' }] }, 'accessPoints[0].bssid', /MAC address/],
    [{ accessPoints: [{ ...AP, password: 'short' }] }, 'accessPoints[0].password', /8\.\.63/],
    [{ accessPoints: [{ ...AP, ecn: 0 }] }, 'accessPoints[0].ecn', /cannot have a password/],
    [{ accessPoints: [{ ...AP, ecn: 16 }] }, 'accessPoints[0].ecn', /integer in 0\.\.15/],
    [{ accessPoints: [{ ...AP, security: 'open' }] }, 'accessPoints[0].security', /cannot have a password/],
    [{ accessPoints: [{ ...AP, password: undefined, security: 'wpa2-psk' }] }, 'accessPoints[0].security', /no password is open/],
    [{ accessPoints: [{ ...AP, security: 'wpa9' }] }, 'accessPoints[0].security', /must be one of open, wep/],
    [{ accessPoints: [{ ...AP, security: 3 }] }, 'accessPoints[0].security', /must be one of/],
    [{ accessPoints: [{ ...AP, security: 'wpa2-psk', ecn: 3 }] }, 'accessPoints[0].ecn', /security or ecn, not both/],
    [{ accessPoints: [{ ...AP, ip: '10.0.0' }] }, 'accessPoints[0].ip', /IPv4/],
    [{ accessPoints: [{ ...AP, chanel: 3 }] }, 'accessPoints[0].chanel', /unknown field/],
    [{ accessPoints: [AP, AP] }, 'accessPoints[1].bssid', /duplicates/],
    [{ accessPoints: {} }, 'accessPoints', /array/],
    [{ hosts: { 'ok.lan': 'localhost' } }, 'hosts["ok.lan"]', /IPv4/],
    [{ hosts: { 'bad name': '127.0.0.1' } }, 'hosts["bad name"]', /host name/],
    [{ station: { mac: '24:0a:c4' } }, 'station.mac', /MAC address/],
    [{ timing: { scanMs: -1 } }, 'timing.scanMs', />= 0/],
    [{ timing: { scale: '2' } }, 'timing.scale', />= 0/],
    [{ ports: { http: 80 } }, 'ports["http"]', /module port/],
    [{ ports: { '80': 70000 } }, 'ports["80"]', /0\.\.65535/],
    [{ colour: 'blue' }, 'colour', /unknown field/],
    [[], '', /object/],
  ])('rejects %j at %s', (document, path, detail) => {
    const error = errorOf(document);
    expect(error.path).toBe(path);
    expect(error.message).toMatch(detail);
    if (path !== '') expect(error.message).toContain(`${path}: `);
  });
});

describe('loadWorldConfig', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copro-world-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and validates a file', async () => {
    const file = join(dir, 'world.json');
    await writeFile(file, JSON.stringify({ accessPoints: [AP], timing: { scale: 0 } }));
    const world = await loadWorldConfig(file);
    expect(world.accessPoints.map((ap) => ap.ssid)).toEqual(['home']);
    expect(world.timing.scale).toBe(0);
  });

  it('names the file and the field in its errors', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ accessPoints: [{ ...AP, channel: 15 }] }));
    await expect(loadWorldConfig(file)).rejects.toThrow(`${file}: accessPoints[0].channel: must be an integer in 1..14`);
  });

  it('reports invalid JSON and a missing file', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ "hosts": ');
    await expect(loadWorldConfig(file)).rejects.toThrow(/not valid JSON/);
    await expect(loadWorldConfig(join(dir, 'absent.json'))).rejects.toThrow(/cannot read file/);
  });
});

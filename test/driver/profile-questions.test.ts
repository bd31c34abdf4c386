/**
 * The driver asks the firmware profile instead of keeping its own constants: how many links the
 * module has (limits.links), which words a reply line holds (the command table's CIPSTART lines,
 * the profile's error words). The emulator's link table takes its size from the profile too.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, PROFILES } from '../../firmware-protocol/at/profiles.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import { LinkIds } from '../../src/at/link-ids.js';
import { startError } from '../../src/at/link-errors.js';
import { accessPoints, alreadyConnected, saysNoIp } from '../../src/at/replies.js';
import { errno } from '../../src/errors.js';
import { LinkTable } from '../../emulator/at/link-table.js';

const reply = (lines: string[]) => ({ result: 'ERROR' as const, infos: [], lines, received: [], pieces: [], urcs: [] });
const NONOS: FirmwareProfile = PROFILES['esp8266-at-1.7'];

describe('questions the driver asks the profile', () => {
  it('reserves link ids up to the profile limit, which may change at a resync', () => {
    let links = DEFAULT_PROFILE.limits.links;
    const ids = new LinkIds(() => links);
    const reserved: (number | null)[] = [];
    for (let i = 0; i <= links; i++) reserved.push(ids.reserve());
    expect(reserved).toEqual([0, 1, 2, 3, 4, null]);
    for (let id = 0; id < 5; id++) ids.unreserve(id);
    links = 2;
    expect([ids.reserve(), ids.reserve(), ids.reserve()]).toEqual([0, 1, null]);
    expect(ids.capacity).toBe(2);
  });

  it("reads ALREADY CONNECTED from CIPSTART's declared lines", () => {
    expect(alreadyConnected(DEFAULT_PROFILE, reply(['ALREADY CONNECTED']))).toBe(true);
    expect(alreadyConnected(NONOS, reply(['ALREADY CONNECTED']))).toBe(true);
    expect(alreadyConnected(DEFAULT_PROFILE, reply(['ALREADY']))).toBe(false);
  });

  it("takes `no ip` as the NonOS error word, and no word on 2.x, which prints none", () => {
    expect(saysNoIp(NONOS, reply(['no ip']))).toBe(true);
    expect(saysNoIp(NONOS, reply(['DNS Fail']))).toBe(false);
    expect(saysNoIp(DEFAULT_PROFILE, reply(['no ip']))).toBe(false);
    const spec = { kind: 'tcp' as const, remote: { ip: '10.0.0.1', port: 80 } };
    expect(startError(NONOS, reply(['no ip']), spec, true).errno).toBe(errno.EHOSTUNREACH);
    expect(startError(DEFAULT_PROFILE, reply([]), spec, true).errno).toBe(errno.ECONNREFUSED);
  });

  it("sizes the emulator's link table from the profile; one past the last id means every link", () => {
    const table = new LinkTable(DEFAULT_PROFILE.limits.links);
    expect(table.capacity).toBe(5);
    expect(table.allLinksId).toBe(5);
    const small = new LinkTable(2);
    small.reserve(0);
    small.reserve(1);
    expect(small.lowestFree()).toBeNull();
  });

  it('hands the back-end interface neutral security kinds, not ESP-AT ecn numbers', () => {
    const infos = [
      { name: 'CWLAP', text: '(3,"lab",-45,"02:00:00:00:00:01",6,-1,-1,4,4,7,0)' },
      { name: 'CWLAP', text: '(6,"new",-60,"02:00:00:00:00:03",1,-1,-1,4,4,7,0)' },
      { name: 'CWLAP', text: '(42,"odd",-70,"02:00:00:00:00:04",1,-1,-1,4,4,7,0)' },
    ];
    const scan = { result: 'OK' as const, infos, lines: [], received: [], pieces: [], urcs: [] };
    expect(accessPoints(DEFAULT_PROFILE, scan).map((ap) => ap.security)).toEqual(['wpa2-psk', 'wpa3-psk', null]);
  });
});

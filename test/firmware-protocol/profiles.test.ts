import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROFILE,
  ESP32_AT_2X,
  ESP8266_AT_17,
  PROFILE_IDS,
  commandsOf,
  deriveProfile,
  detectProfile,
  ESP8266_RTOS_AT_22,
  findCommand,
  findProfile,
  formatRequest,
} from '../../firmware-protocol/index.js';
import { detectProfile as detectAmong } from '../../firmware-protocol/at/profiles/detect.js';
import { text } from './helpers.js';

describe('firmware profiles', () => {
  it('lists the default first and finds profiles by id', () => {
    expect(PROFILE_IDS[0]).toBe(DEFAULT_PROFILE.id);
    expect(PROFILE_IDS).toEqual(['esp32-at-2.x', 'esp8266-at-1.7', 'esp8266-rtos-at-2.2', 'esp32c3-at-4.1']);
    expect(findProfile('esp8266-at-1.7')).toBe(ESP8266_AT_17);
    expect(findProfile('esp8266-at-9')).toBeUndefined();
  });

  it('tells ESP8266 RTOS AT 2.2 from the ESP32 2.x by the chip its version line names', () => {
    expect(detectProfile(ESP8266_RTOS_AT_22.gmrLines).profile.id).toBe('esp8266-rtos-at-2.2');
    expect(detectProfile(['AT version:2.2.0.0(b097cdf - ESP8266 - Jun 17 2021 12:58:29)']).profile).toBe(ESP8266_RTOS_AT_22);
    expect(detectProfile(['AT version:2.2.0.0(c6fa6bf - ESP32 - Jul  2 2021 06:44:05)']).profile.id).toBe('esp32-at-2.x');
    expect(detectProfile(['AT version:4.1.1.0(ba4dd0e - ESP32C3 - Jul 31 2025 08:38:07)']).profile.id).toBe('esp32c3-at-4.1');
    expect(detectProfile(['AT version:4.1.1.0(ba4dd0e - ESP32 - Jul 31 2025 08:38:07)']).profile.id).toBe('esp32-at-2.x');
    expect(ESP8266_RTOS_AT_22.limits).toMatchObject({ maxSendLength: 2048, sslLinks: 1, passiveWindow: 5760 });
  });

  it('detects the firmware from AT+GMR lines', () => {
    const v24 = detectProfile(ESP32_AT_2X.gmrLines);
    expect(v24.profile.id).toBe('esp32-at-2.x');
    expect(v24.profile.limits.maxSendLength).toBe(8192);
    expect(v24.versionText).toBe('2.4.0.0(4c6eb5e - ESP32 - May 20 2022 03:12:58)');
    const v17 = detectProfile(ESP8266_AT_17.gmrLines);
    expect(v17.profile).toBe(ESP8266_AT_17);
    expect(v17.profile.limits.maxRecvDataLength).toBe(2048);
  });

  it('takes an older 2.x release for the 2.x profile with its smaller CIPSEND', () => {
    const v22 = detectProfile(['AT version:2.2.0.0(c6fa6bf - ESP32 - Jul  2 2021 06:44:05)']);
    expect(v22.profile.id).toBe('esp32-at-2.x');
    expect(v22.profile.limits.maxSendLength).toBe(2048);
    expect(v22.profile.limits.maxRecvDataLength).toBe(8192);
    const silent = detectProfile(['something else']);
    expect(silent.profile.id).toBe(DEFAULT_PROFILE.id);
    expect(silent.profile.limits.maxSendLength).toBe(2048);
    expect(silent.versionText).toBeNull();
    expect(detectProfile(['AT version:3.2.0.0(s-1234)']).profile.limits.maxSendLength).toBe(8192);
  });

  it('derives a firmware version from another as a few changes', () => {
    const derived = deriveProfile(ESP32_AT_2X, 'esp8266-rtos-at-2.2', {
      title: 'ESP8266 RTOS AT 2.2 (example)',
      gmrLines: ['AT version:2.2.0.0(b097cdf - ESP8266 - Jun 17 2021 12:58:29)'],
      limits: { maxSendLength: 2048, sslLinks: 1 },
      commands: { CIPSTARTEX: null, CIPSSLCSNI: null },
    });
    expect(derived.id).toBe('esp8266-rtos-at-2.2');
    expect(derived.limits).toEqual({ ...ESP32_AT_2X.limits, maxSendLength: 2048, sslLinks: 1 });
    expect(derived.layout).toEqual(ESP32_AT_2X.layout);
    expect(findCommand('CIPSTARTEX', derived)).toBeUndefined();
    expect(findCommand('CIPSTART', derived)).toBeDefined();
    expect(commandsOf(derived)).toHaveLength(commandsOf(ESP32_AT_2X).length - 2);
    expect(text(formatRequest(derived, 'CIPCLOSE', 'set', { link_id: 5 }))).toBe('AT+CIPCLOSE=5\r\n');
  });

  it('tells firmware of the same versions apart by the chip the version line names', () => {
    const rtos = deriveProfile(ESP32_AT_2X, 'esp8266-rtos-at-2.2', {
      title: 'ESP8266 RTOS AT 2.2 (example)',
      gmrLines: ['AT version:2.2.0.0(b097cdf - ESP8266 - Jun 17 2021 12:58:29)'],
      versions: { from: [2, 0], chip: 'ESP8266' },
    });
    const list = [ESP32_AT_2X, ESP8266_AT_17, rtos];
    expect(detectAmong(rtos.gmrLines, list, ESP32_AT_2X).profile.id).toBe('esp8266-rtos-at-2.2');
    expect(detectAmong(ESP32_AT_2X.gmrLines, list, ESP32_AT_2X).profile.id).toBe('esp32-at-2.x');
    expect(detectAmong(ESP8266_AT_17.gmrLines, list, ESP32_AT_2X).profile).toBe(ESP8266_AT_17);
  });
});

/** Source folders where no firmware version may be named: they ask the profile instead. */
const SOURCE_DIRS = ['src', 'emulator', 'cli', 'firmware-protocol', 'fuzz', 'soak', 'bench', 'runtime'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return path === join('firmware-protocol', 'at', 'profiles') ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('one firmware model', () => {
  it('names profile ids only in firmware-protocol/at/profiles/ (everything else asks the profile)', () => {
    const offenders = SOURCE_DIRS.flatMap(sourceFiles).filter((path) => {
      const source = readFileSync(path, 'utf8');
      return PROFILE_IDS.some((id) => source.includes(`'${id}'`) || source.includes(`"${id}"`));
    });
    expect(offenders).toEqual([]);
  });
});

import type { FirmwareProfile } from '../profile.js';
import { detectProfile as detectAmong, type Detection } from './detect.js';
import { ESP32_AT_2X } from './esp32-at-2.x.js';
import { ESP8266_AT_17 } from './esp8266-at-1.7.js';
import { ESP8266_RTOS_AT_22 } from './esp8266-rtos-at-2.2.js';
import { ESP32C3_AT_41 } from './esp32c3-at-4.1.js';

/**
 * The firmware profiles copro knows (esp-at.md §6, §7.1), one file each; the default first.
 * Adding a firmware version is a new file here (often `deriveProfile` from another) and its line
 * in PROFILE_LIST.
 */
export const PROFILE_LIST = [ESP32_AT_2X, ESP8266_AT_17, ESP8266_RTOS_AT_22, ESP32C3_AT_41] as const;

export type ProfileId = (typeof PROFILE_LIST)[number]['id'];

export const DEFAULT_PROFILE = PROFILE_LIST[0];

/** All profile ids, default first (for CLI choices and parametrised tests). */
export const PROFILE_IDS: readonly ProfileId[] = PROFILE_LIST.map((profile) => profile.id);

export const PROFILES: Readonly<Record<ProfileId, FirmwareProfile>> = Object.fromEntries(
  PROFILE_LIST.map((profile) => [profile.id, profile]),
) as Record<ProfileId, FirmwareProfile>;

export function isProfileId(id: string): id is ProfileId {
  return (PROFILE_IDS as readonly string[]).includes(id);
}

/** The profile with this id, or undefined. */
export function findProfile(id: string): FirmwareProfile | undefined {
  return isProfileId(id) ? PROFILES[id] : undefined;
}

/** The profile a module's AT+GMR lines stand for (driver side). */
export function detectProfile(gmrLines: readonly string[]): Detection {
  return detectAmong(gmrLines, PROFILE_LIST, DEFAULT_PROFILE);
}

export type { Detection } from './detect.js';
export { isGmrVersionLine } from './detect.js';
export { curDefNames, defineProfile, deriveProfile } from './define.js';
export { ESP32_AT_2X, ESP32C3_AT_41, ESP8266_AT_17, ESP8266_RTOS_AT_22 };

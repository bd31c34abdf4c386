import type { FirmwareProfile, ProfileId } from './profile.js';

/**
 * The firmware profiles copro knows (esp-at.md §6, §7.1).
 *
 * `promptText` holds the bytes the module sends AFTER the final `\r\nOK\r\n` of a CIPSEND /
 * CIPSENDEX / passthrough-entry command, up to and including the `>`; nothing follows it
 * (no CR LF). The full wire answer is therefore `\r\nOK\r\n` + promptText:
 *   2.x  `\r\nOK\r\n` + `\r\n>`  (core library string `"\r\nOK\r\n\r\n>"`, no space)
 *   1.7  `\r\nOK\r\n` + `> `     (NonOS: `>` then one space, no blank line before it)
 * `module-output.ts#okPrompt` builds exactly that; the host parser accepts both.
 *
 * The GMR lines are in the shape real firmware prints; hashes and dates are illustrative.
 */

/** ESP-AT v2.4.0.0 on an ESP32-WROOM-32: the default. */
export const ESP32_AT_2X: FirmwareProfile = {
  id: 'esp32-at-2.x',
  title: 'ESP-AT 2.4 (ESP32-WROOM-32)',
  gmrLines: [
    'AT version:2.4.0.0(4c6eb5e - ESP32 - May 20 2022 03:12:58)',
    'SDK version:v4.2.2-dirty',
    'compile time(5c2b3e8):May 20 2022 11:04:25',
    'Bin version:2.4.0(WROOM-32)',
  ],
  promptText: '\r\n>',
  joinFailResult: 'ERROR',
  quoteDomainAnswer: true,
  quoteIpdRemote: true,
  recvDataStyle: '2.x',
  maxSendLength: 8192,
  maxIpdLength: 2920,
  passthroughPacketSize: 2920,
  passiveWindow: 5760,
  maxLineLength: 256,
  errorWords: { noIp: null, dnsFail: null, invalidLink: null, closeNotOpen: null },
};

/**
 * ESP8266 NonOS AT 1.7.4. The +IPD chunk (one TCP MSS) and the passive window (two MSS) are
 * UNSURE in the reference; they only shape how the emulator splits data.
 */
export const ESP8266_AT_17: FirmwareProfile = {
  id: 'esp8266-at-1.7',
  title: 'ESP8266 NonOS AT 1.7.4',
  gmrLines: [
    'AT version:1.7.4.0(May 11 2020 19:13:04)',
    'SDK version:3.0.4(9532ceb)',
    'compiled @ May 27 2020 10:12:17',
    'Bin version(Wroom 02):1.7.4',
  ],
  promptText: '> ',
  joinFailResult: 'FAIL',
  quoteDomainAnswer: false,
  quoteIpdRemote: false,
  recvDataStyle: '1.7',
  maxSendLength: 2048,
  maxIpdLength: 1460,
  passthroughPacketSize: 2048,
  passiveWindow: 2920,
  maxLineLength: 256,
  errorWords: {
    noIp: 'no ip',
    dnsFail: 'DNS Fail',
    invalidLink: 'link is not valid',
    closeNotOpen: 'UNLINK',
  },
};

export const PROFILES: Readonly<Record<ProfileId, FirmwareProfile>> = {
  'esp32-at-2.x': ESP32_AT_2X,
  'esp8266-at-1.7': ESP8266_AT_17,
};

export const DEFAULT_PROFILE: FirmwareProfile = ESP32_AT_2X;

/** All profile ids, default first (for CLI choices and parametrised tests). */
export const PROFILE_IDS: readonly ProfileId[] = ['esp32-at-2.x', 'esp8266-at-1.7'];

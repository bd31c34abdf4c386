import type { CommandSpec, SetSignature } from '../command-spec.js';
import {
  ALL,
  PASSWORD_MAX_LENGTH,
  SSID_MAX_LENGTH,
  V17,
  V2,
  any,
  flag,
  int,
  opt,
  str,
} from './spec-builders.js';

/** Wi-Fi commands (esp-at.md §3; ESP-AT v2.4 Wi-Fi_AT_Commands.rst; NonOS AT 1.7 manual). */

const MAC_TEXT_LENGTH = 17;

const CWJAP_2X: SetSignature = any(
  opt(str('ssid', SSID_MAX_LENGTH)),
  opt(str('pwd', PASSWORD_MAX_LENGTH)),
  opt(str('bssid', MAC_TEXT_LENGTH)),
  opt(flag('pci_en')),
  opt(int('reconn_interval', 0, 7200)),
  opt(int('listen_interval', 1, 100)),
  opt(flag('scan_mode')),
  opt(int('jap_timeout', 3, 600)),
  opt(int('pmf', 0, 3)),
);

const CWJAP_17: SetSignature = any(
  str('ssid', SSID_MAX_LENGTH),
  str('pwd', PASSWORD_MAX_LENGTH),
  opt(str('bssid', MAC_TEXT_LENGTH)),
  opt(flag('pci_en')),
);

const CWLAP_FILTER: SetSignature = any(
  opt(str('ssid', SSID_MAX_LENGTH)),
  opt(str('mac', MAC_TEXT_LENGTH)),
  opt(int('channel', 1, 14)),
  opt(flag('scan_type')),
  opt(int('scan_time_min', 0, 1500)),
  opt(int('scan_time_max', 0, 1500)),
);

/** Static station IP: the address alone, or with gateway and netmask together. */
const CIPSTA_SET: readonly SetSignature[] = [
  any(str('ip')),
  any(str('ip'), str('gateway'), str('netmask')),
];

const CWMODE_17: SetSignature = any(int('mode', 1, 3));
const CWDHCP_17: SetSignature = any(int('mode', 0, 2), flag('en'));

function v17Variants(
  base: string,
  forms: CommandSpec['forms'],
  set: readonly SetSignature[],
  summary: string,
): CommandSpec[] {
  return [
    { name: base, area: 'wifi', forms, set, profiles: V17, summary: `${summary} (deprecated = _DEF)` },
    { name: `${base}_CUR`, area: 'wifi', forms, set, profiles: V17, summary: `${summary}, not saved` },
    { name: `${base}_DEF`, area: 'wifi', forms, set, profiles: V17, summary: `${summary}, saved in flash` },
  ];
}

export const WIFI_COMMANDS: readonly CommandSpec[] = [
  {
    name: 'CWMODE',
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(int('mode', 0, 3), opt(flag('auto_connect')))],
    profiles: V2,
    summary: 'Wi-Fi mode: 0 off, 1 station, 2 softAP, 3 both',
  },
  ...v17Variants('CWMODE', ['test', 'query', 'set'], [CWMODE_17], 'Wi-Fi mode'),
  {
    name: 'CWJAP',
    area: 'wifi',
    forms: ['query', 'set', 'exec'],
    set: [CWJAP_2X],
    profiles: V2,
    summary: 'Join an access point',
  },
  ...v17Variants('CWJAP', ['query', 'set'], [CWJAP_17], 'Join an access point'),
  { name: 'CWQAP', area: 'wifi', forms: ['exec'], profiles: ALL, summary: 'Leave the access point' },
  {
    name: 'CWLAP',
    area: 'wifi',
    forms: ['set', 'exec'],
    set: [CWLAP_FILTER],
    profiles: ALL,
    summary: 'List access points',
  },
  {
    name: 'CWLAPOPT',
    area: 'wifi',
    forms: ['set'],
    set: [
      any(
        flag('reserved'),
        int('print_mask', 0, 2047),
        opt(int('rssi_filter', -100, 40)),
        opt(int('authmode_mask', 0, 65535)),
      ),
    ],
    profiles: V2,
    summary: 'Fields and filters of CWLAP',
  },
  {
    name: 'CWLAPOPT',
    area: 'wifi',
    forms: ['set'],
    set: [any(flag('sort_enable'), int('print_mask', 0, 2047))],
    profiles: V17,
    summary: 'Fields and order of CWLAP',
  },
  {
    name: 'CWSTATE',
    area: 'wifi',
    forms: ['query'],
    profiles: V2,
    summary: 'Station state and SSID',
  },
  {
    name: 'CWAUTOCONN',
    area: 'wifi',
    forms: ['set'],
    set: [any(flag('enable'))],
    profiles: ALL,
    summary: 'Join the saved access point at power-on',
  },
  {
    name: 'CWDHCP',
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(flag('operate'), int('mode', 0, 3))],
    profiles: V2,
    summary: 'Enable/disable DHCP (mode bit0 station, bit1 softAP)',
  },
  ...v17Variants('CWDHCP', ['query', 'set'], [CWDHCP_17], 'Enable/disable DHCP'),
  {
    name: 'CIPSTA',
    area: 'wifi',
    forms: ['query', 'set'],
    set: CIPSTA_SET,
    profiles: V2,
    summary: 'Station IP address, gateway, netmask',
  },
  ...v17Variants('CIPSTA', ['query', 'set'], CIPSTA_SET, 'Station IP address'),
];

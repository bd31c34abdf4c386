import type { CommandDecl } from '../command-spec.js';
import { MAC_TEXT_LENGTH, PASSWORD_MAX_LENGTH, SSID_MAX_LENGTH, any, flag, int, opt, str } from './spec-builders.js';

/** Wi-Fi commands (esp-at.md §3; ESP-AT v2.4 Wi-Fi_AT_Commands.rst; NonOS AT 1.7 manual). */

/** Static station IP: the address alone, or with gateway and netmask together. */
const CIPSTA_SET = [any(str('ip')), any(str('ip'), str('gateway'), str('netmask'))] as const;

export const WIFI_COMMANDS = {
  CWMODE: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(int('mode', 0, 3), opt(flag('auto_connect')))],
    summary: 'Wi-Fi mode: 0 off, 1 station, 2 softAP, 3 both',
    variants: {
      nonos: { forms: ['test', 'query', 'set'], set: [any(int('mode', 1, 3))] },
    },
  },
  CWJAP: {
    area: 'wifi',
    forms: ['query', 'set', 'exec'],
    set: [
      any(
        opt(str('ssid', SSID_MAX_LENGTH)),
        opt(str('pwd', PASSWORD_MAX_LENGTH)),
        opt(str('bssid', MAC_TEXT_LENGTH)),
        opt(flag('pci_en')),
        opt(int('reconn_interval', 0, 7200)),
        opt(int('listen_interval', 1, 100)),
        opt(flag('scan_mode')),
        opt(int('jap_timeout', 3, 600)),
        opt(int('pmf', 0, 3)),
      ),
    ],
    summary: 'Join an access point',
    variants: {
      /** No exec form (reconnect-from-flash is 2.x's), ssid and password required. */
      nonos: {
        forms: ['query', 'set'],
        set: [
          any(
            str('ssid', SSID_MAX_LENGTH),
            str('pwd', PASSWORD_MAX_LENGTH),
            opt(str('bssid', MAC_TEXT_LENGTH)),
            opt(flag('pci_en')),
          ),
        ],
      },
    },
  },
  CWQAP: { area: 'wifi', forms: ['exec'], summary: 'Leave the access point' },
  CWLAP: {
    area: 'wifi',
    forms: ['set', 'exec'],
    set: [
      any(
        opt(str('ssid', SSID_MAX_LENGTH)),
        opt(str('mac', MAC_TEXT_LENGTH)),
        opt(int('channel', 1, 14)),
        opt(flag('scan_type')),
        opt(int('scan_time_min', 0, 1500)),
        opt(int('scan_time_max', 0, 1500)),
      ),
    ],
    summary: 'List access points',
  },
  CWLAPOPT: {
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
    summary: 'Fields and filters of CWLAP',
    variants: {
      nonos: { forms: ['set'], set: [any(flag('sort_enable'), int('print_mask', 0, 2047))] },
    },
  },
  CWSTATE: { area: 'wifi', forms: ['query'], summary: 'Station state and SSID' },
  CWAUTOCONN: {
    area: 'wifi',
    forms: ['set'],
    set: [any(flag('enable'))],
    summary: 'Join the saved access point at power-on',
  },
  CWDHCP: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(flag('operate'), int('mode', 0, 3))],
    summary: 'Enable/disable DHCP (mode bit0 station, bit1 softAP)',
    variants: {
      /** `<mode>,<en>`: mode 0 softAP, 1 station, 2 both. */
      nonos: { forms: ['query', 'set'], set: [any(int('mode', 0, 2), flag('en'))] },
    },
  },
  CIPSTA: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: CIPSTA_SET,
    summary: 'Station IP address, gateway, netmask',
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

import type { CommandDecl } from '../command-spec.js';
import { bare, integer, ip, mac, optional, quoted, signedInteger } from '../grammar/fields.js';
import { consoleWords, info, infoWith, tagged } from '../grammar/line-spec.js';
import { MAC_TEXT_LENGTH, PASSWORD_MAX_LENGTH, SSID_MAX_LENGTH, any, blank, flag, int, opt, str } from './spec-builders.js';

/** Wi-Fi commands (esp-at.md §3; ESP-AT v2.4 Wi-Fi_AT_Commands.rst; NonOS AT 1.7 manual). */

/** Static station IP: the address alone, or with gateway and netmask together. */
const CIPSTA_SET = [any(str('ip')), any(str('ip'), str('gateway'), str('netmask'))] as const;

/** `+CWJAP:<"ssid">,<"bssid">,<channel>,<rssi>` and what 2.x adds after it. */
const JOINED = [quoted('ssid'), mac('bssid'), integer('channel'), signedInteger('rssi')] as const;

export const WIFI_COMMANDS = {
  CWMODE: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(int('mode', 0, 3), opt(flag('auto_connect')))],
    summary: 'Wi-Fi mode: 0 off, 1 station, 2 softAP, 3 both',
    lines: { mode: info(integer('mode')), range: info(bare('range')) },
    variants: {
      nonos: { forms: ['test', 'query', 'set'], set: [any(int('mode', 1, 3))] },
    },
  },
  CWJAP: {
    area: 'wifi',
    forms: ['query', 'set', 'exec'],
    // `AT+CWJAP=[<ssid>],[<pwd>][,...]`: the password's place is required (`AT+CWJAP="ssid"` is ERROR).
    set: [
      any(
        opt(str('ssid', SSID_MAX_LENGTH)),
        blank(str('pwd', PASSWORD_MAX_LENGTH)),
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
    lines: {
      joined: info(
        ...JOINED,
        optional(integer('pci_en')),
        optional(integer('reconn_interval')),
        optional(integer('listen_interval')),
        optional(integer('scan_mode')),
        optional(integer('pmf')),
      ),
      /** Not joined: the firmware `puts` this to its console (the ESP32's log UART, not its AT port). */
      noAp: consoleWords('No AP'),
      /** A failed join: 1 timeout, 2 wrong password, 3 no such AP, 4 failed. */
      failure: info(integer('code')),
    },
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
        lines: { joined: info(...JOINED) },
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
    lines: {
      /** `+CWLAP:(<ecn>,"<ssid>",<rssi>,"<mac>",<channel>,...)`: AT+CWLAPOPT's mask picks the fields. */
      ap: infoWith(
        'many',
        { parens: true, masked: true, extensible: true },
        integer('ecn'),
        quoted('ssid'),
        signedInteger('rssi'),
        mac('mac'),
        integer('channel'),
        optional(signedInteger('freq_offset')),
        optional(signedInteger('freqcal_val')),
        optional(integer('pairwise_cipher')),
        optional(integer('group_cipher')),
        optional(integer('bgn')),
        optional(integer('wps')),
      ),
    },
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
  CWSTATE: {
    area: 'wifi',
    forms: ['query'],
    summary: 'Station state and SSID',
    lines: { state: info(integer('state'), quoted('ssid')) },
  },
  CWAUTOCONN: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(flag('enable'))],
    summary: 'Join the saved access point at power-on',
    // The firmware's "%s:%d" has no CR LF: `+CWAUTOCONN:1\r\nOK\r\n`.
    // NonOS AT 1.7.4 has the same query and line (libat.a at_queryCmdCwAutoConn, `%s:%d`).
    lines: { enable: infoWith('one', { unterminated: true }, integer('enable')) },
  },
  CWDHCP: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(flag('operate'), int('mode', 0, 3))],
    summary: 'Enable/disable DHCP (mode bit0 station, bit1 softAP)',
    lines: { state: info(integer('state')) },
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
    // With IPv6 addresses, the core's `%s:ip6ll:"%s"` and `%s:ip6gl:"%s"` follow.
    lines: { address: tagged(':', { ip: ip('ip'), gateway: ip('gateway'), netmask: ip('netmask'), ip6ll: ip('ip6ll'), ip6gl: ip('ip6gl') }) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

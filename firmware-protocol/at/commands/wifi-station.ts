import type { CommandDecl } from '../command-spec.js';
import { bare, integer, mac, quoted } from '../grammar/fields.js';
import { fixedLine, info } from '../grammar/line-spec.js';
import { MAC_TEXT_LENGTH, any, flag, int, opt, str } from './spec-builders.js';

/**
 * The station's own settings (ESP-AT v2.4 Wi-Fi_AT_Commands.rst; the line formats are the
 * firmware's strings in libesp32_at_core.a): reconnection, host name, country, MAC addresses.
 */

/** `AT+CWHOSTNAME=<hostname>`: at most 32 bytes. */
export const HOSTNAME_MAX_LENGTH = 32;

export const WIFI_STATION_COMMANDS = {
  CWRECONNCFG: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(int('interval_second', 0, 7200), int('repeat_count', 0, 1000))],
    summary: 'Reconnection after the AP is lost: interval and attempts',
    // "%s:%d,%d\r\n"
    lines: { config: info(integer('interval_second'), integer('repeat_count')) },
  },
  CWHOSTNAME: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(str('hostname', HOSTNAME_MAX_LENGTH))],
    summary: 'Host name of the station (its DHCP client)',
    // "%s:%s\r\n": the name is not quoted.
    lines: { hostname: info(bare('hostname')) },
  },
  CWCOUNTRY: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [
      any(
        int('country_policy', 0, 1),
        str('country_code', 3),
        int('start_channel', 1, 14),
        int('total_channel_count', 1, 14),
      ),
    ],
    summary: 'Wi-Fi country code and channels',
    // "%s:%d,\"%s\",%d,%d\r\n"
    lines: {
      country: info(integer('country_policy'), quoted('country_code'), integer('start_channel'), integer('total_channel_count')),
    },
  },
  CIPSTAMAC: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(str('mac', MAC_TEXT_LENGTH))],
    summary: 'Station MAC address',
    // "%s:\"%02x:%02x:%02x:%02x:%02x:%02x\"\r\n"
    lines: { mac: info(mac('mac')) },
  },
  CIPAPMAC: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(str('mac', MAC_TEXT_LENGTH))],
    summary: 'SoftAP MAC address',
    lines: { mac: info(mac('mac')) },
  },
  CWSTARTSMART: {
    area: 'wifi',
    forms: ['set', 'exec'],
    // 1 ESP-Touch, 2 AirKiss, 3 both (the exec form's), 4 ESP-Touch v2 (with its 16-byte key).
    set: [any(int('type', 1, 4), opt(int('auth_floor', 0, 7)), opt(str('esptouch_v2_key', 16)))],
    summary: 'Start SmartConfig: credentials from a phone',
    variants: {
      // NonOS AT 1.7.4 (libat.a at_setupCmdSmartStart/at_exeCmdSmartStart): types 1..3, no ESP-Touch v2. Its
      // smartconfig_done prints the same lines on the AT port (`smartconfig type:ESPTOUCH\r\n`, `Smart get wifi
      // info\r\n`, `ssid:%s\r\n`, `password:%s\r\n`, `smartconfig connected wifi\r\n`).
      nonos: { forms: ['set', 'exec'], set: [any(int('type', 1, 3))] },
    },
  },
  CWSTOPSMART: { area: 'wifi', forms: ['exec'], summary: 'Stop SmartConfig' },
  WPS: {
    area: 'wifi',
    forms: ['set'],
    set: [any(flag('enable'), opt(int('auth_floor', 0, 7)))],
    summary: 'WPS push-button configuration',
    variants: {
      // NonOS AT 1.7.4 (libat.a at_setupCmdWps, at_wps_status_cb): its lines go to the AT port. Station mode
      // only (opmode 1), else `opmode mismatch when wps`; 1 starts (`wps started`, OK), 0 stops (`wps stoped`,
      // sic), anything else is `wps command error`; the callback prints `wps success,connecting ap ...` or
      // `wps fail`.
      nonos: {
        forms: ['set'],
        set: [any(int('enable', 0, 2_147_483_647))],
        lines: {
          started: fixedLine('wps started'),
          stopped: fixedLine('wps stoped'),
          mismatch: fixedLine('opmode mismatch when wps'),
          commandError: fixedLine('wps command error'),
          success: fixedLine('wps success,connecting ap ...'),
          fail: fixedLine('wps fail'),
        },
      },
    },
  },
  MDNS: {
    area: 'wifi',
    forms: ['set'],
    // `AT+MDNS=<enable>[,<hostname>,<service_name>,<port>]`: the three are required with enable 1.
    set: [any(flag('enable'), opt(str('hostname')), opt(str('service_name')), opt(int('port', 0, 65535)))],
    summary: 'mDNS responder: a host name under .local and one service',
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

import type { CommandDecl } from '../command-spec.js';
import { bareIp, bareMac, integer, ip, quoted } from '../grammar/fields.js';
import { info, infoEach, infoWith, tagged } from '../grammar/line-spec.js';
import { MAC_TEXT_LENGTH, PASSWORD_MAX_LENGTH, SSID_MAX_LENGTH, any, flag, int, opt, str } from './spec-builders.js';

/**
 * The softAP's commands (ESP-AT v2.4 Wi-Fi_AT_Commands.rst; reply formats from the v2.4.2.0 core
 * library's strings, which differ from the docs: `+CWDHCPS:` and `+CWAPPROTO:` with a colon, the
 * CWSAP query's strings quoted, CWLIF's address and MAC bare).
 */

/** 802.11 protocol bits: 1 b, 2 g, 4 n (the firmware takes b, bg and bgn: 1, 3, 7). */
const PROTOCOL = { forms: ['query', 'set'], set: [any(int('protocol', 0, 7))], lines: { protocol: info(integer('protocol')) } } as const;

export const SOFTAP_COMMANDS = {
  CWSAP: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [
      any(
        str('ssid', SSID_MAX_LENGTH),
        str('pwd', PASSWORD_MAX_LENGTH),
        int('channel', 1, 13),
        int('ecn', 0, 4),
        opt(int('max_conn', 1, 10)),
        opt(flag('ssid_hidden')),
      ),
    ],
    summary: 'SoftAP configuration',
    /** `%s:"%.*s","%.*s",%d,%d,%d,%d`. */
    lines: {
      config: info(quoted('ssid'), quoted('pwd'), integer('channel'), integer('ecn'), integer('max_conn'), integer('ssid_hidden')),
    },
    variants: {
      // NonOS AT 1.7.4 (libat.a at_setupCmdCwsap: at most 8 stations; the query's `%s:"%s","%s",%d,%d,%d,%d\r\n`).
      nonos: {
        forms: ['query', 'set'],
        set: [
          any(
            str('ssid', SSID_MAX_LENGTH),
            str('pwd', PASSWORD_MAX_LENGTH),
            int('channel', 1, 13),
            int('ecn', 0, 4),
            opt(int('max_conn', 1, 8)),
            opt(flag('ssid_hidden')),
          ),
        ],
      },
    },
  },
  CWLIF: {
    area: 'wifi',
    forms: ['exec'],
    summary: 'Stations joined to the softAP',
    /** `%s:%d.%d.%d.%d,%02x:%02x:%02x:%02x:%02x:%02x`: one line per station with a lease. */
    lines: { station: infoEach(bareIp('ip'), bareMac('mac')) },
    variants: {
      // NonOS AT 1.7.4 (libat.a at_exeCmdCwlif): `%d.%d.%d.%d,%02x:…\r\n`, no `+CWLIF:` before it.
      nonos: { forms: ['exec'], lines: { station: { kind: 'many', line: { lead: '', fields: [bareIp('ip'), bareMac('mac')] } } } },
    },
  },
  CWQIF: {
    area: 'wifi',
    forms: ['set', 'exec'],
    set: [any(str('mac', MAC_TEXT_LENGTH))],
    summary: 'Disconnect stations from the softAP',
  },
  CWDHCPS: {
    area: 'wifi',
    forms: ['query', 'set'],
    /** `1,<lease>,<start>,<end>` sets the range; `0` goes back to the default one. */
    set: [any(flag('enable'), opt(int('lease', 1, 2880)), opt(str('start_ip')), opt(str('end_ip')))],
    summary: "SoftAP DHCP server's lease time and address range",
    /** `%s:%u,%d.%d.%d.%d,%d.%d.%d.%d`. */
    lines: { range: info(integer('lease'), bareIp('start_ip'), bareIp('end_ip')) },
    variants: {
      // NonOS AT 1.7.4 (libat.a at_queryCmdCwdhcps): the same `%s:%u,%d.%d.%d.%d,%d.%d.%d.%d` with no CR LF
      // of its own before at_response_ok's `\r\nOK\r\n`.
      nonos: {
        forms: ['query', 'set'],
        set: [any(flag('enable'), opt(int('lease', 1, 2880)), opt(str('start_ip')), opt(str('end_ip')))],
        lines: { range: infoWith('one', { unterminated: true }, integer('lease'), bareIp('start_ip'), bareIp('end_ip')) },
      },
    },
  },
  CWAPPROTO: { area: 'wifi', ...PROTOCOL, summary: "SoftAP's 802.11 b/g/n bits" },
  CWSTAPROTO: { area: 'wifi', ...PROTOCOL, summary: "Station's 802.11 b/g/n bits" },
  CIPAP: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(str('ip')), any(str('ip'), str('gateway'), str('netmask'))],
    summary: 'SoftAP IP address, gateway, netmask',
    // With IPv6 on, the core's `%s:ip6ll:"%s"` (and `ip6gl`, which the module's own AP never has) follow.
    lines: { address: tagged(':', { ip: ip('ip'), gateway: ip('gateway'), netmask: ip('netmask'), ip6ll: ip('ip6ll'), ip6gl: ip('ip6gl') }) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

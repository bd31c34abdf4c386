import type { CommandDecl } from '../command-spec.js';
import { integer } from '../grammar/fields.js';
import { info } from '../grammar/line-spec.js';
import { any, flag, int, opt } from './spec-builders.js';

/**
 * ESP-AT 4.x's Wi-Fi driver commands (Wi-Fi_AT_Commands.rst v4.1.1.0; the checks are
 * libesp32c3_at_core.a's at_setup_cmd_cwinit / at_setup_cmd_cwconfig):
 * - AT+CWINIT=<init>: 0 deinitialises the Wi-Fi driver, 1 initialises it (the default; not saved).
 *   The query prints `+CWINIT:<init>` ("%s:%d\r\n").
 * - AT+CWCONFIG=[<ap_inactive_time>][,<sta_inactive_time>][,<listen_interval>]: an omitted value
 *   keeps the current one; the ranges are the firmware's ([10,3600], [3,600], [1,100]). The query
 *   prints the driver's live values (`%s:%d,%d,%d\r\n`), 0 for each one the driver cannot give.
 */

/** The documented defaults: softAP 300 s, station 6 s, listen interval 3 beacons. */
export const CWCONFIG_DEFAULTS = { apInactiveTime: 300, staInactiveTime: 6, listenInterval: 3 } as const;

export const WIFI_DRIVER_COMMANDS = {
  CWINIT: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(flag('init'))],
    summary: 'Initialise (1) or deinitialise (0) the Wi-Fi driver',
    lines: { init: info(integer('init')) },
  },
  CWCONFIG: {
    area: 'wifi',
    forms: ['query', 'set'],
    set: [any(opt(int('ap_inactive_time', 10, 3600)), opt(int('sta_inactive_time', 3, 600)), opt(int('listen_interval', 1, 100)))],
    summary: 'Inactive times (softAP, station) and the listen interval',
    lines: { config: info(integer('ap_inactive_time'), integer('sta_inactive_time'), integer('listen_interval')) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

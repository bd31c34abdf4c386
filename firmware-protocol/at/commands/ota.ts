import type { CommandDecl } from '../command-spec.js';
import { bare, integer } from '../grammar/fields.js';
import { fixedLine, info } from '../grammar/line-spec.js';
import { any, int, opt, str } from './spec-builders.js';

/**
 * AT+CIUPDATE: firmware (or a custom partition) over Wi-Fi from the firmware's OTA server
 * (TCP-IP_AT_Commands.rst v2.4; the formats are at_ota_cmd.c's, which is open source).
 */

/** ESP_AT_VERSION_LEN_MAX, ESP_AT_PARTITION_NAME_LEN_MAX. */
export const OTA_TEXT_MAX = 64;

/** esp_at_ota_state_t: what `+CIPUPDATE:` and the query report. */
export const OTA_STATES = { idle: 0, foundServer: 1, connected: 2, gotVersion: 3, done: 4, failed: -1 } as const;

export const OTA_COMMANDS = {
  CIUPDATE: {
    area: 'tcpip',
    forms: ['query', 'set', 'exec'],
    set: [any(int('ota_mode', 0, 1), opt(str('version', OTA_TEXT_MAX)), opt(str('firmware_name', OTA_TEXT_MAX)), opt(int('nonblocking', 0, 1)))],
    summary: 'Upgrade the firmware (or a partition) from the OTA server',
    lines: {
      /** The query: `"%s:%d\r\n"` with the command's own name, `+CIUPDATE:<state>`. */
      state: info(integer('state')),
      /** Progress, as `esp_at_port_write_data` prints it: `+CIPUPDATE:<state>` (1..4, -1). */
      progress: fixedLine('+CIPUPDATE:', integer('state')),
    },
  },
  // at_ota_cmd.c v4.1.1.0 (at_query_cmd_cipfwver): GET /v1/device/rom from the OTA server with
  // `Authorization: token <key>`; each `"version": ` of the answer prints `%s:%.*s\r\n` from its
  // opening quote to the `"` before the next `", `: `+CIPFWVER:"<version>"`. Then OK; a failed
  // request or a status >= 400: ERROR.
  CIPFWVER: {
    area: 'tcpip',
    forms: ['query'],
    summary: 'The firmware versions on the OTA server',
    lines: { version: info(bare('version', '.*')) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

import type { CommandDecl } from '../command-spec.js';
import { hexNumber, integer, quoted, signedInteger } from '../grammar/fields.js';
import { NVS_NAME_MAX_LENGTH } from '../manufacturing.js';
import { fixedLine, info, infoEach } from '../grammar/line-spec.js';
import { any, int, INT32_MAX, opt, str } from './spec-builders.js';

const INT32_MIN = -2147483648;

/**
 * The Basic commands beyond liveness and settings: the command list, sleep, time, radio power,
 * registers, flash partitions, rollback (ESP-AT v2.4.2.0 Basic_AT_Commands.rst; the reply
 * formats are the core library's: `%s:%d,"AT%s",%d,%d,%d,%d`, `%s:0x%x`, `%s:"%s",%d,%d,0x%x,0x%x`,
 * `%s:%d,` before raw bytes: messages.ts FLASH_READ_HEADER), and ESP-AT 3.x's AT+SYSMFG
 * (Basic_AT_Commands.rst v4.1.1.0; at_custom_partitions.c's `%s:"%s"`, `%s:"%s","%s",%d`,
 * `%s:"%s","%s",%u,%u,%u` / `%u,%u,%d`, and `%s:"%s","%s",%u,%u,` before raw bytes:
 * messages.ts MFG_READ_HEADER).
 */

/** A partition name (the partition table's name column holds at most 16 bytes). */
const PARTITION_NAME_LENGTH = 16;

export const BASIC_SYSTEM_COMMANDS = {
  CMD: {
    area: 'basic',
    forms: ['query'],
    summary: 'List every command and the forms it has',
    lines: {
      // +CMD:<index>,"AT+NAME",<test>,<query>,<set>,<execute>
      command: infoEach(integer('index'), quoted('name'), integer('test'), integer('query'), integer('set'), integer('execute')),
    },
  },
  GSLP: {
    area: 'basic',
    forms: ['set'],
    set: [any(int('time', 0, INT32_MAX))],
    summary: 'Deep-sleep for <time> ms, then boot',
    // The docs' response: `<time>` alone on its line, then OK.
    lines: { time: fixedLine('', integer('time')) },
  },
  SLEEP: {
    area: 'basic',
    forms: ['query', 'set'],
    set: [any(int('sleep_mode', 0, 3))],
    summary: 'Sleep mode: 0 off, 1 modem, 2 light, 3 modem with listen interval',
    lines: { mode: info(integer('sleep_mode')) },
    variants: {
      // NonOS AT 1.7.4 (libat.a at_baseCmd.o at_setupCmdSleep: 0..2, then wifi_set_sleep_type; the query's
      // "%s:%d\r\n"): 0 off, 1 light, 2 modem.
      nonos: { summary: 'Sleep mode: 0 off, 1 light, 2 modem', forms: ['query', 'set'], set: [any(int('sleep_mode', 0, 2))] },
    },
  },
  SLEEPWKCFG: {
    area: 'basic',
    forms: ['set'],
    set: [any(int('wakeup_source', 0, 2), int('param1', 0, INT32_MAX), opt(int('param2', 0, 1)))],
    summary: 'Light-sleep wakeup source: timer (ms) or GPIO (number, level)',
  },
  SYSTIMESTAMP: {
    area: 'basic',
    forms: ['query', 'set'],
    set: [any(int('timestamp', 0, INT32_MAX))],
    summary: 'Local time as a Unix timestamp (seconds)',
    lines: { time: info(integer('timestamp')) },
  },
  RFPOWER: {
    area: 'basic',
    forms: ['query', 'set'],
    set: [
      any(int('wifi_power', 40, 84)),
      any(int('wifi_power', 40, 84), int('ble_adv_power', 0, 7), int('ble_scan_power', 0, 7), int('ble_conn_power', 0, 7)),
    ],
    summary: 'RF TX power: Wi-Fi in 0.25 dBm, BLE advertising, scanning, connection levels',
    lines: { power: info(integer('wifi_power'), integer('ble_adv_power'), integer('ble_scan_power'), integer('ble_conn_power')) },
    variants: {
      /** ESP32-C3: BLE levels 0..15 (Basic_AT_Commands.rst v4.1.1.0). */
      esp32c3: {
        forms: ['query', 'set'],
        set: [
          any(int('wifi_power', 40, 84)),
          any(int('wifi_power', 40, 84), int('ble_adv_power', 0, 15), int('ble_scan_power', 0, 15), int('ble_conn_power', 0, 15)),
        ],
      },
      /** NonOS AT 1.7.4: set only, 0..82 (libat.a at_setupCmdRFPower, then system_phy_set_max_tpw). */
      nonos: { forms: ['set'], set: [any(int('wifi_power', 0, 82))] },
      /** ESP8266: Wi-Fi 40..82, no BLE radio (Basic_AT_Commands.rst v2.2.0.0). */
      esp8266: {
        forms: ['query', 'set'],
        set: [any(int('wifi_power', 40, 82))],
        lines: { power: info(integer('wifi_power')) },
      },
    },
  },
  SYSROLLBACK: { area: 'basic', forms: ['exec'], summary: 'Boot the firmware in the other OTA partition' },
  SYSREG: {
    area: 'basic',
    forms: ['set'],
    set: [any(int('direct', 0, 1), int('address', 0, INT32_MAX), opt(int('write_value', 0, INT32_MAX)))],
    summary: 'Read (0) or write (1) a 32-bit register',
    lines: { value: info(hexNumber('value')) },
  },
  SYSFLASH: {
    area: 'basic',
    forms: ['query', 'set'],
    set: [
      any(
        int('operation', 0, 2),
        str('partition', PARTITION_NAME_LENGTH),
        opt(int('offset', 0, INT32_MAX)),
        opt(int('length', 1, INT32_MAX)),
      ),
    ],
    summary: 'User partitions in flash: list, erase (0), write (1), read (2)',
    lines: {
      partition: infoEach(quoted('partition'), integer('type'), integer('subtype'), hexNumber('addr'), hexNumber('size')),
    },
  },
  SYSMFG: {
    area: 'basic',
    forms: ['query', 'set'],
    set: [
      // 0 erase: a namespace, or one key of it.
      any(int('operation', 0, 0), str('namespace', NVS_NAME_MAX_LENGTH), opt(str('key', NVS_NAME_MAX_LENGTH))),
      // 1 read: the namespaces, a namespace's keys, a value, or a part of a string or blob.
      any(
        int('operation', 1, 1),
        opt(str('namespace', NVS_NAME_MAX_LENGTH)),
        opt(str('key', NVS_NAME_MAX_LENGTH)),
        opt(int('offset', 0, INT32_MAX)),
        opt(int('length', 1, INT32_MAX)),
      ),
      // 2 write: an integer's value, or a string's or blob's length (its bytes follow the `>`).
      any(
        int('operation', 2, 2),
        str('namespace', NVS_NAME_MAX_LENGTH),
        str('key', NVS_NAME_MAX_LENGTH),
        int('type', 1, 8),
        int('value', INT32_MIN, INT32_MAX),
      ),
    ],
    summary: 'The manufacturing NVS (mfg_nvs): list, erase (0), read (1), write (2) key-value pairs',
    lines: {
      namespace: infoEach(quoted('namespace')),
      key: infoEach(quoted('namespace'), quoted('key'), integer('type')),
      value: info(quoted('namespace'), quoted('key'), integer('type'), integer('length'), signedInteger('value')),
    },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

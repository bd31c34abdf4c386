import type { CommandDecl } from '../command-spec.js';
import { integer } from '../grammar/fields.js';
import { info, textLines } from '../grammar/line-spec.js';
import { any, flag, int } from './spec-builders.js';

/** Basic commands (esp-at.md §2; ESP-AT v2.4 Basic_AT_Commands.rst; NonOS AT 1.7 manual). */

function uartSignature(maxBaud: number) {
  return any(
    int('baudrate', 80, maxBaud),
    int('databits', 5, 8),
    int('stopbits', 1, 3),
    int('parity', 0, 2),
    int('flow_control', 0, 3),
  );
}

export const BASIC_COMMANDS = {
  AT: { area: 'basic', forms: ['exec'], summary: 'Test the AT startup' },
  ATE0: { area: 'basic', forms: ['exec'], summary: 'Switch command echo off' },
  ATE1: { area: 'basic', forms: ['exec'], summary: 'Switch command echo on' },
  RST: { area: 'basic', forms: ['exec'], summary: 'Restart the module' },
  GMR: { area: 'basic', forms: ['exec'], summary: 'Show version information', lines: { version: textLines() } },
  RESTORE: { area: 'basic', forms: ['exec'], summary: 'Restore factory settings and restart' },
  SYSSTORE: {
    area: 'basic',
    forms: ['query', 'set'],
    set: [any(flag('store_mode'))],
    summary: 'Whether set commands persist to flash',
    lines: { state: info(integer('store_mode')) },
  },
  SYSLOG: {
    area: 'basic',
    forms: ['query', 'set'],
    set: [any(flag('status'))],
    summary: 'Print ERR CODE lines before ERROR',
    lines: { state: info(integer('status')) },
  },
  SYSMSG: {
    area: 'basic',
    forms: ['query', 'set'],
    set: [any(int('state', 0, 7))],
    summary: 'System messages: +QUITT, +LINK_CONN, messages in passthrough',
    lines: { state: info(integer('state')) },
    variants: {
      /** NonOS: set only, bits 0-1. */
      nonos: { forms: ['set'], set: [any(int('state', 0, 3))] },
    },
  },
  SYSRAM: {
    area: 'basic',
    forms: ['query'],
    summary: 'Free heap and minimum free heap',
    lines: { heap: info(integer('remaining'), integer('minimum')) },
  },
  /** AT+UART_CUR / AT+UART_DEF (and NonOS's AT+UART): the names say what is saved. */
  UART: {
    area: 'basic',
    forms: ['query', 'set'],
    set: [uartSignature(5000000)],
    summary: 'UART configuration',
    lines: {
      config: info(
        integer('baudrate'),
        integer('databits'),
        integer('stopbits'),
        integer('parity'),
        integer('flow_control'),
      ),
    },
    variants: {
      esp8266: { forms: ['query', 'set'], set: [uartSignature(4500000)] },
    },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

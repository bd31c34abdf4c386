import type { CommandSpec } from '../command-spec.js';
import { ALL, V17, V2, any, flag, int } from './spec-builders.js';

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

const UART_2X = uartSignature(5000000);
const UART_17 = uartSignature(4500000);

export const BASIC_COMMANDS: readonly CommandSpec[] = [
  { name: 'AT', area: 'basic', forms: ['exec'], profiles: ALL, summary: 'Test the AT startup' },
  { name: 'ATE0', area: 'basic', forms: ['exec'], profiles: ALL, summary: 'Switch command echo off' },
  { name: 'ATE1', area: 'basic', forms: ['exec'], profiles: ALL, summary: 'Switch command echo on' },
  { name: 'RST', area: 'basic', forms: ['exec'], profiles: ALL, summary: 'Restart the module' },
  { name: 'GMR', area: 'basic', forms: ['exec'], profiles: ALL, summary: 'Show version information' },
  {
    name: 'RESTORE',
    area: 'basic',
    forms: ['exec'],
    profiles: ALL,
    summary: 'Restore factory settings and restart',
  },
  {
    name: 'SYSSTORE',
    area: 'basic',
    forms: ['query', 'set'],
    set: [any(flag('store_mode'))],
    profiles: V2,
    summary: 'Whether set commands persist to flash',
  },
  {
    name: 'SYSLOG',
    area: 'basic',
    forms: ['query', 'set'],
    set: [any(flag('status'))],
    profiles: V2,
    summary: 'Print ERR CODE lines before ERROR',
  },
  {
    name: 'SYSMSG',
    area: 'basic',
    forms: ['query', 'set'],
    set: [any(int('state', 0, 7))],
    profiles: V2,
    summary: 'System messages: +QUITT, +LINK_CONN, messages in passthrough',
  },
  {
    name: 'SYSMSG_CUR',
    area: 'basic',
    forms: ['set'],
    set: [any(int('state', 0, 3))],
    profiles: V17,
    summary: 'System messages, not saved',
  },
  {
    name: 'SYSMSG_DEF',
    area: 'basic',
    forms: ['set'],
    set: [any(int('state', 0, 3))],
    profiles: V17,
    summary: 'System messages, saved in flash',
  },
  {
    name: 'SYSRAM',
    area: 'basic',
    forms: ['query'],
    profiles: ALL,
    summary: 'Free heap and minimum free heap',
  },
  {
    name: 'UART_CUR',
    area: 'basic',
    forms: ['query', 'set'],
    set: [UART_2X],
    profiles: V2,
    summary: 'UART configuration, not saved',
  },
  {
    name: 'UART_DEF',
    area: 'basic',
    forms: ['query', 'set'],
    set: [UART_2X],
    profiles: V2,
    summary: 'UART configuration, saved in flash',
  },
  {
    name: 'UART_CUR',
    area: 'basic',
    forms: ['query', 'set'],
    set: [UART_17],
    profiles: V17,
    summary: 'UART configuration, not saved',
  },
  {
    name: 'UART_DEF',
    area: 'basic',
    forms: ['query', 'set'],
    set: [UART_17],
    profiles: V17,
    summary: 'UART configuration, saved in flash',
  },
  {
    name: 'UART',
    area: 'basic',
    forms: ['query', 'set'],
    set: [UART_17],
    profiles: V17,
    summary: 'UART configuration, saved in flash (deprecated = UART_DEF)',
  },
];

import { describe, expect, it } from 'vitest';
import {
  CommandFormatError,
  ESP32_AT_2X,
  ESP8266_AT_17,
  commandName,
  formatRequest,
  type SetParams,
} from '../../firmware-protocol/index.js';
import type { Handler, Handlers } from '../../emulator/at/handler-types.js';
import { text } from './helpers.js';

/**
 * The command table's names are types: the driver formats with named parameters, a handler gets
 * a typed parameter object, and a misspelt command or parameter does not compile. The
 * `@ts-expect-error` lines are checked by `tsc -p tsconfig.test.json` (an unused one is an error).
 */

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommandFormatError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('formatRequest: commands by declaration name, parameters by name', () => {
  it('writes the multi-link and single-link CIPSTART from the names given', () => {
    const remote = { remote_host: '10.0.0.1', remote_port: 80 };
    expect(text(formatRequest(ESP32_AT_2X, 'CIPSTART', 'set', { link_id: 0, type: 'TCP', ...remote }))).toBe(
      'AT+CIPSTART=0,"TCP","10.0.0.1",80\r\n',
    );
    expect(text(formatRequest(ESP32_AT_2X, 'CIPSTART', 'set', { type: 'SSL', ...remote, keep_alive: 60 }))).toBe(
      'AT+CIPSTART="SSL","10.0.0.1",80,60\r\n',
    );
    expect(
      text(formatRequest(ESP32_AT_2X, 'CIPSTART', 'set', { link_id: 1, type: 'UDP', ...remote, local_port: 5000, mode: 2 })),
    ).toBe('AT+CIPSTART=1,"UDP","10.0.0.1",80,5000,2\r\n');
  });

  it('leaves middle parameters empty and drops trailing ones', () => {
    expect(text(formatRequest(ESP32_AT_2X, 'CWJAP', 'set', { ssid: 's', pwd: 'p', pci_en: 1 }))).toBe(
      'AT+CWJAP="s","p",,1\r\n',
    );
  });

  it('asks the profile for the name that is not saved (NonOS _CUR, 2.x the one name)', () => {
    expect(text(formatRequest(ESP8266_AT_17, 'CWMODE', 'query', { save: 'ram' }))).toBe('AT+CWMODE_CUR?\r\n');
    expect(text(formatRequest(ESP8266_AT_17, 'CWMODE', 'set', { mode: 1 }, { save: 'ram' }))).toBe('AT+CWMODE_CUR=1\r\n');
    expect(text(formatRequest(ESP8266_AT_17, 'CWMODE', 'query'))).toBe('AT+CWMODE?\r\n');
    expect(text(formatRequest(ESP32_AT_2X, 'CWMODE', 'query', { save: 'ram' }))).toBe('AT+CWMODE?\r\n');
    expect(commandName(ESP8266_AT_17, 'CIPDNS', 'ram')).toBe('CIPDNS_CUR');
    expect(commandName(ESP8266_AT_17, 'UART', 'flash')).toBe('UART_DEF');
    expect(commandName(ESP32_AT_2X, 'CIPSTATE')).toBe('CIPSTATE');
    expect(commandName(ESP8266_AT_17, 'CIPSTATE')).toBeUndefined();
  });

  it('checks values against the profile variant and refuses what the firmware lacks', () => {
    expect(codeOf(() => formatRequest(ESP8266_AT_17, 'CWMODE', 'set', { mode: 0 }))).toBe('bad-values');
    expect(codeOf(() => formatRequest(ESP8266_AT_17, 'CIPSTATE', 'query'))).toBe('unknown-command');
    expect(codeOf(() => formatRequest(ESP32_AT_2X, 'CIPSTART', 'set', { type: 'TCP', remote_host: 'h' } as never))).toBe(
      'bad-values',
    );
    expect(codeOf(() => formatRequest(ESP32_AT_2X, 'CIPSSLCCONF', 'set', { mode: 3 }))).toBe('bad-values');
  });

  it('does not compile with a misspelt command, parameter or choice', () => {
    // @ts-expect-error: no command CIPSTRAT
    expect(codeOf(() => formatRequest(ESP32_AT_2X, 'CIPSTRAT', 'exec'))).toBe('unknown-command');
    const misspelt = () =>
      formatRequest(ESP32_AT_2X, 'CIPSTART', 'set', {
        type: 'TCP',
        // @ts-expect-error: no parameter remote_hots
        remote_hots: 'h',
        remote_port: 1,
      });
    expect(codeOf(misspelt)).toBe('bad-values');
    // @ts-expect-error: the firmware's type strings are upper-case
    const lower: SetParams<'CIPSTART'> = { type: 'tcp', remote_host: 'h', remote_port: 1 };
    expect(lower.type).toBe('tcp');
    // @ts-expect-error: CWMODE has no exec form
    expect(codeOf(() => formatRequest(ESP32_AT_2X, 'CWMODE', 'exec'))).toBe('unsupported-form');
  });
});

describe('handlers are typed from the declarations', () => {
  it('gives a set handler its parameter object, the union over signatures', () => {
    const seen: SetParams<'CIPSTART'>[] = [];
    const start: Handler<'CIPSTART', 'set'> = (_core, call) => {
      // link_id exists only in the multi-link signatures: optional.
      const id: number = call.params.link_id ?? 0;
      seen.push({ ...call.params, link_id: id });
      // @ts-expect-error: no parameter remote_hots
      void call.params.remote_hots;
    };
    const handlers = { CIPSTART: { set: start } } satisfies Handlers;
    expect(Object.keys(handlers)).toEqual(['CIPSTART']);
    // @ts-expect-error: no command CIPSTRAT in a handler table
    const misspelt = { CIPSTRAT: { set: start } } satisfies Handlers;
    expect(misspelt).toBeDefined();
    // @ts-expect-error: CIPSTART has no query form
    const noForm = { CIPSTART: { query: start } } satisfies Handlers;
    expect(noForm).toBeDefined();
  });
});

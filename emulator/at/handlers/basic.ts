import { dividedBaudRate } from '../../../firmware-protocol/at/uart-rate.js';
import type { Handler, Handlers } from '../handler-types.js';
import { reboot } from '../lifecycle.js';
import { gmrLinesOf } from '../ota-upgrade.js';
import type { UartConfig } from '../module-settings.js';

/** Basic commands (esp-at.md §2): liveness, echo, resets, version, persistence, logging, UART. */

/** Free heap the emulated chip reports (AT+SYSRAM?): plausible ESP32 figures. */
const SYSRAM = { free: 164_612, minFree: 118_472 };

const restart =
  (restore: boolean): Handler<'RST' | 'RESTORE', 'exec'> =>
  (core) => {
    core.ok();
    void reboot(core, { restore, why: restore ? 'AT+RESTORE' : 'AT+RST' });
  };

/** For the trace: rate, data bits, stop bits, parity, flow control. */
function uartText(uart: UartConfig): string {
  return [uart.baud, uart.dataBits, uart.stopBits, uart.parity, uart.flowControl].join(',');
}

/**
 * AT+UART_CUR (RAM only) and AT+UART_DEF (and NonOS's AT+UART: flash too). The OK goes out at the
 * old rate, then the UART switches (esp-at.md §2, §6): the transport applies the rate to what is
 * written after the OK. A reset forgets a UART_CUR rate.
 */
const setUart: Handler<'UART', 'set'> = (core, call) => {
  const { baudrate, databits, stopbits, parity, flow_control } = call.params;
  const uart: UartConfig = { baud: baudrate, dataBits: databits, stopBits: stopbits, parity, flowControl: flow_control };
  core.ok();
  if (call.spec.save !== 'ram') core.settings.set('uart', uart, 'flash');
  core.settings.volatile.uartCur = uart;
  core.setUartBaud(uart.baud);
  const what = call.spec.save === 'ram' ? '' : 'stored, ';
  core.tracer.note(`${call.spec.name} ${uartText(uart)}: ${what}line rate switched after OK`);
};

/**
 * UART_CUR? (and 2.x's UART?) read the hardware: the rate its clock divider gives (115200 shows
 * 115201 on an ESP32); UART_DEF? reads what was stored.
 */
const queryUart: Handler<'UART', 'query'> = (core, call) => {
  const stored = call.spec.shows === 'stored';
  const uart = stored ? core.settings.stored.uart : core.settings.volatile.uartCur;
  const { dataBits: databits, stopBits: stopbits, parity, flowControl: flow_control } = uart;
  const baudrate = stored ? uart.baud : dividedBaudRate(core.profile.uartClock, uart.baud);
  core.reply(call, 'config', { baudrate, databits, stopbits, parity, flow_control });
  core.ok();
};

const setSysMsg: Handler<'SYSMSG', 'set'> = (core, call) => {
  core.settings.set('sysMsg', call.params.state, call.spec.save);
  core.ok();
};

export const BASIC_HANDLERS = {
  AT: { exec: (core) => core.ok() },
  // The parser already echoed this line; echo changes only for what follows.
  ATE0: {
    exec: (core) => {
      core.settings.volatile.echo = false;
      core.ok();
    },
  },
  ATE1: {
    exec: (core) => {
      core.settings.volatile.echo = true;
      core.ok();
    },
  },
  RST: { exec: restart(false) },
  RESTORE: { exec: restart(true) },
  GMR: {
    exec: (core, call) => {
      for (const line of gmrLinesOf(core)) core.reply(call, 'version', line);
      core.ok();
    },
  },
  SYSSTORE: {
    query: (core, call) => {
      core.reply(call, 'state', { store_mode: Number(core.settings.current.sysStore) });
      core.ok();
    },
    set: (core, call) => {
      core.settings.set('sysStore', call.params.store_mode === 1, 'flash');
      core.ok();
    },
  },
  SYSLOG: {
    query: (core, call) => {
      core.reply(call, 'state', { status: Number(core.settings.volatile.sysLog) });
      core.ok();
    },
    set: (core, call) => {
      core.settings.volatile.sysLog = call.params.status === 1;
      core.ok();
    },
  },
  SYSMSG: {
    query: (core, call) => {
      core.reply(call, 'state', { state: core.settings.current.sysMsg });
      core.ok();
    },
    set: setSysMsg,
  },
  SYSRAM: {
    query: (core, call) => {
      core.reply(call, 'heap', { remaining: SYSRAM.free, minimum: SYSRAM.minFree });
      core.ok();
    },
  },
  UART: { query: queryUart, set: setUart },
} satisfies Handlers;

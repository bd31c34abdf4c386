import { textLines } from '../../../firmware-protocol/at/module-output.js';
import type { CommandHandler, HandlerTable } from '../handler-types.js';
import { intParam } from '../handler-types.js';
import { reboot } from '../lifecycle.js';
import type { ModuleCore } from '../module-core.js';
import type { UartConfig } from '../module-settings.js';

/** Basic commands (esp-at.md §2): liveness, echo, resets, version, persistence, logging, UART. */

/** Free heap the emulated chip reports (AT+SYSRAM?): plausible ESP32 figures. */
const SYSRAM = { free: 164_612, minFree: 118_472 };

const restart =
  (restore: boolean): CommandHandler =>
  (core) => {
    core.ok();
    void reboot(core, { restore, why: restore ? 'AT+RESTORE' : 'AT+RST' });
  };

function uartText(uart: UartConfig): string {
  return `${uart.baud},${uart.dataBits},${uart.stopBits},${uart.parity},${uart.flowControl}`;
}

function uartFromCall(values: readonly unknown[]): UartConfig {
  const [baud, dataBits, stopBits, parity, flowControl] = values.map(Number);
  return { baud, dataBits, stopBits, parity, flowControl };
}

/**
 * AT+UART_CUR: RAM only. The OK goes out at the old rate, then the UART switches (esp-at.md §2,
 * §6): the transport applies the rate to what is written after the OK. A reset forgets it.
 */
const setUartCur: CommandHandler = (core, call) => {
  const uart = uartFromCall(call.values);
  core.ok();
  core.settings.volatile.uartCur = uart;
  core.setUartBaud(uart.baud);
  core.tracer.note(`UART_CUR ${uartText(uart)}: line rate switched after OK`);
};

/** AT+UART_DEF (and 1.7's AT+UART): flash and RAM, switched after the OK like UART_CUR, kept across resets. */
const setUartDef: CommandHandler = (core, call) => {
  const uart = uartFromCall(call.values);
  core.ok();
  core.settings.set('uart', uart, 'flash');
  core.settings.volatile.uartCur = uart;
  core.setUartBaud(uart.baud);
  core.tracer.note(`UART_DEF ${uartText(uart)}: stored, line rate switched after OK`);
};

const queryUartDef =
  (name: string): CommandHandler =>
  (core) => {
    core.info(name, uartText(core.settings.stored.uart));
    core.ok();
  };

const setSysMsg =
  (persist: 'sysstore' | 'flash' | 'ram'): CommandHandler =>
  (core, call) => {
    core.settings.set('sysMsg', intParam(call, 'state', 0), persist);
    core.ok();
  };

function flagQuery(name: string, read: (core: ModuleCore) => boolean | number): CommandHandler {
  return (core) => {
    core.info(name, String(Number(read(core))));
    core.ok();
  };
}

export const BASIC_HANDLERS: HandlerTable = {
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
    exec: (core) => {
      core.write(textLines(core.profile.gmrLines));
      core.ok();
    },
  },
  SYSSTORE: {
    query: flagQuery('SYSSTORE', (core) => core.settings.current.sysStore),
    set: (core, call) => {
      core.settings.set('sysStore', intParam(call, 'store_mode', 1) === 1, 'flash');
      core.ok();
    },
  },
  SYSLOG: {
    query: flagQuery('SYSLOG', (core) => core.settings.volatile.sysLog),
    set: (core, call) => {
      core.settings.volatile.sysLog = intParam(call, 'status', 0) === 1;
      core.ok();
    },
  },
  SYSMSG: {
    query: flagQuery('SYSMSG', (core) => core.settings.current.sysMsg),
    set: setSysMsg('sysstore'),
  },
  SYSMSG_CUR: { set: setSysMsg('ram') },
  SYSMSG_DEF: { set: setSysMsg('flash') },
  SYSRAM: {
    query: (core) => {
      core.info('SYSRAM', `${SYSRAM.free},${SYSRAM.minFree}`);
      core.ok();
    },
  },
  UART_CUR: {
    query: (core) => {
      core.info('UART_CUR', uartText(core.settings.volatile.uartCur));
      core.ok();
    },
    set: setUartCur,
  },
  UART_DEF: { query: queryUartDef('UART_DEF'), set: setUartDef },
  UART: { query: queryUartDef('UART'), set: setUartDef },
};

import type { ModuleTransport } from './types.js';

/**
 * Optional, non-contract views of a transport (like OutputFlow), found by duck typing so the
 * ModuleTransport contract stays as it is.
 */

/**
 * The module's side of the line can be told its own UART rate: what the firmware does after
 * AT+UART_CUR's OK, or at boot after AT+UART_DEF. A line model (uart-line-transport.ts) paces
 * and garbles with it; a real serial device switches its termios to it.
 */
export interface ModuleRateControl {
  /** From now on the module transmits and receives at `baudRate`; bytes written before keep the old rate. */
  setModuleBaudRate(baudRate: number): void;
}

/**
 * The host's bytes can be held back in the carrier (the kernel's PTY buffer, the TCP window),
 * so a host writing faster than the line runs into backpressure as it would on a real UART.
 */
export interface InputFlow {
  pauseInput(): void;
  resumeInput(): void;
}

export function hasModuleRateControl(transport: ModuleTransport): transport is ModuleTransport & ModuleRateControl {
  return typeof (transport as Partial<ModuleRateControl>).setModuleBaudRate === 'function';
}

export function hasInputFlow(transport: ModuleTransport): transport is ModuleTransport & InputFlow {
  const candidate = transport as Partial<InputFlow>;
  return typeof candidate.pauseInput === 'function' && typeof candidate.resumeInput === 'function';
}

/**
 * What is still waiting for the wire (line time, not a slow host): a paced line's queue. Lets the
 * firmware side stop reading a socket while its data cannot leave, as the ESP's receive task
 * blocks on a full UART TX FIFO, instead of overrunning the queue. Unpaced lines report 0.
 */
export interface LineBackpressure {
  lineQueuedBytes(): number;
  /** Resolves once the line's queue is empty. */
  lineDrained(): Promise<void>;
}

export function hasLineBackpressure(transport: ModuleTransport): transport is ModuleTransport & LineBackpressure {
  const candidate = transport as Partial<LineBackpressure>;
  return typeof candidate.lineQueuedBytes === 'function' && typeof candidate.lineDrained === 'function';
}

import type { UartClock } from './profile.js';

/**
 * The rate a chip's UART actually runs at for a requested `baud`, as its driver reads it back
 * (AT+UART_CUR? prints this): the divider is `(clock << fraction) / baud` truncated, the rate
 * `(clock << fraction) / divider` truncated. ESP32 (80 MHz, 4 fraction bits): 115200 -> 115201,
 * 921600 -> 922190. Without a clock (unknown divider) the requested rate.
 */
export function dividedBaudRate(clock: UartClock | null, baud: number): number {
  if (clock === null) return baud;
  const scaled = clock.hz * 2 ** clock.fractionBits;
  const divider = Math.floor(scaled / baud);
  return divider === 0 ? baud : Math.floor(scaled / divider);
}

import { describe, expect, it } from 'vitest';
import { ESP32_AT_2X, ESP8266_AT_17 } from '../../firmware-protocol/at/profiles.js';
import { dividedBaudRate } from '../../firmware-protocol/at/uart-rate.js';

describe('the rate AT+UART_CUR? shows: what the UART clock divider gives (IDF uart_ll)', () => {
  it('ESP32, 80 MHz with a 4-bit fraction: (80e6 << 4) / floor((80e6 << 4) / baud)', () => {
    const clock = ESP32_AT_2X.uartClock;
    expect(dividedBaudRate(clock, 115200)).toBe(115201);
    expect(dividedBaudRate(clock, 921600)).toBe(922190);
    expect(dividedBaudRate(clock, 230400)).toBe(230423);
    expect(dividedBaudRate(clock, 9600)).toBe(9600);
    expect(dividedBaudRate(clock, 5_000_000)).toBe(5_000_000);
  });

  it('an integer divider (ESP8266 RTOS SDK) and no clock at all (the rate set)', () => {
    expect(dividedBaudRate({ hz: 80_000_000, fractionBits: 0 }, 115200)).toBe(115273);
    expect(dividedBaudRate(ESP8266_AT_17.uartClock, 115200)).toBe(115200);
  });
});

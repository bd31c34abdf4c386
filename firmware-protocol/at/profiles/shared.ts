import type { FactoryDefaults, FirmwareTiming } from '../profile.js';

/**
 * Values every profile so far shares. A profile that differs spreads these and overrides (issue
 * 13: the ESP32's `+UART_CUR?` reports the divided rate, its CIPDNS defaults differ...).
 */

/** ESP32 boot to `ready` ≈ 0.3 s; jap_timeout 15 s; CIPSTART 5 s; SSL connect + handshake 10 s. */
export const COMMON_TIMING: FirmwareTiming = {
  bootMs: 300,
  joinTimeoutMs: 15_000,
  connectTimeoutMs: 5000,
  sslConnectTimeoutMs: 10_000,
  pingTimeoutMs: 1000,
};

export const COMMON_DEFAULTS: FactoryDefaults = {
  sysStore: true,
  cwMode: 1,
  autoConnect: true,
  dhcp: 3,
  sysMsg: 0,
  uart: { baud: 115200, dataBits: 8, stopBits: 1, parity: 0, flowControl: 0 },
  // NonOS's fallback (OpenDNS); 2.x adds 8.8.8.8.
  dnsServers: ['208.67.222.222'],
  reconnectInterval: 1,
  serverTimeout: 180,
  serverMaxConn: 5,
  serverPort: 333,
  lapOptions: { mask: 0x7ff, rssiMin: -100, authMask: 0xffff },
  sslBufferSize: 2048,
  join: { reconnInterval: 1, listenInterval: 3, scanMode: 0, pmf: 0 },
};

import type { ProfileCommands } from '../commands/profile-commands.js';
import type { FactoryDefaults, FirmwareTiming, MqttBehaviour } from '../profile.js';

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

/**
 * ESP-AT 2.x's MQTT client: esp-mqtt's defaults (buffer 1024 bytes, network timeout 10 s, reconnect
 * after 10 s), the docs' "responds within 10 s", keepalive 0 "force-changed to 120 s", and up to 10
 * topics (the v4.1 docs' number; 2.4's docs give none).
 */
export const ESP_AT_MQTT: MqttBehaviour = {
  bufferSize: 1024,
  maxSubscriptions: 10,
  commandTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  reconnectMs: 10_000,
  defaultKeepaliveSec: 120,
};

/** ESP-AT 2.4's MQTT commands (a later firmware adds MQTTLONG*, MQTTSNI in its own profile). */
export const MQTT_V24_COMMANDS = {
  MQTTUSERCFG: {},
  MQTTCLIENTID: {},
  MQTTUSERNAME: {},
  MQTTPASSWORD: {},
  MQTTCONNCFG: {},
  MQTTALPN: {},
  MQTTCONN: {},
  MQTTPUB: {},
  MQTTPUBRAW: {},
  MQTTSUB: {},
  MQTTUNSUB: {},
  MQTTCLEAN: {},
} as const satisfies ProfileCommands;

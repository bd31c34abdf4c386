import type { ProfileCommands } from '../commands/profile-commands.js';
import type { FactoryDefaults, FirmwareTiming, FlashPartition, MqttBehaviour, RadioPower } from '../profile.js';

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
  sntpServers: ['cn.ntp.org.cn', 'ntp.sjtu.edu.cn', 'us.pool.ntp.org'],
  sntpIntervalSec: 3600,
  reconnectInterval: 1,
  serverTimeout: 180,
  serverMaxConn: 5,
  serverPort: 333,
  lapOptions: { mask: 0x7ff, rssiMin: -100, authMask: 0xffff },
  sslBufferSize: 2048,
  // pmf 1: PMF capable (Wi-Fi_AT_Commands.rst "Default: 1"; NonOS prints no pmf).
  join: { reconnInterval: 1, listenInterval: 3, scanMode: 0, pmf: 1 },
  // AT+CWRECONNCFG: "Default: 0" for both (a join's reconn_interval, default 1, sets the interval).
  wifiReconnect: { interval: 0, repeat: 0 },
  // ESP-IDF's CONFIG_LWIP_LOCAL_HOSTNAME, which ESP-AT's sdkconfig keeps.
  hostname: 'espressif',
  // sleep_at_examples.rst: "will enter Active mode after system reset".
  sleepMode: 0,
  // ESP-IDF's default country: "CN", channels 1..13, following the AP (policy 0 = auto).
  country: { policy: 0, code: 'CN', startChannel: 1, channelCount: 13 },
  // ESP-IDF's softAP before configuration: "ESP_XXXXXX", open, channel 1, 4 stations (esp_wifi_types.h:
  // max_connection "default 4"); its DHCP server (dhcpserver.h) leases DHCPS_LEASE_TIME_DEF 120 minutes and
  // DHCPS_MAX_LEASE 100 addresses from 192.168.4.2.
  softAp: {
    ssidPrefix: 'ESP_',
    channel: 1,
    ecn: 0,
    maxConn: 4,
    ip: '192.168.4.1',
    netmask: '255.255.255.0',
    leaseMinutes: 120,
    leaseCount: 100,
  },
  phyProtocol: 7,
};

/**
 * ESP32 AT+RFPOWER (Basic_AT_Commands.rst v2.4.2.0, the ESP32 table): set values 40..84 fall into
 * the Wi-Fi driver's levels 34, 44, 52, 56, 60, 66, 72, 78; the driver starts at its maximum, 78
 * (19.5 dBm). The BLE levels (0..7) start at 5: copro's choice, the docs do not say.
 */
export const ESP32_RADIO: RadioPower = {
  wifiSteps: [
    [40, 34],
    [44, 44],
    [52, 52],
    [56, 56],
    [60, 60],
    [66, 66],
    [72, 72],
    [78, 78],
  ],
  wifiDefault: 78,
  bleDefault: 5,
};

const KIB = 1024;

/** A user partition of type 0x40 (ESP-AT's customised partitions). */
function userPartition(name: string, subtype: number, address: number, kib: number): FlashPartition {
  return { name, type: 0x40, subtype, address, size: kib * KIB };
}

/** ESP-AT 2.4's module_esp32_default/at_customize.csv: the user partitions (type 0x40). */
export const ESP32_AT_PARTITIONS: readonly FlashPartition[] = [
  userPartition('ble_data', 1, 0x21000, 12),
  userPartition('server_cert', 2, 0x24000, 8),
  userPartition('server_key', 3, 0x26000, 8),
  userPartition('server_ca', 4, 0x28000, 8),
  userPartition('client_cert', 5, 0x2a000, 8),
  userPartition('client_key', 6, 0x2c000, 8),
  userPartition('client_ca', 7, 0x2e000, 8),
  userPartition('factory_param', 8, 0x30000, 4),
  userPartition('wpa2_cert', 9, 0x31000, 8),
  userPartition('wpa2_key', 10, 0x33000, 8),
  userPartition('wpa2_ca', 11, 0x35000, 8),
  userPartition('mqtt_cert', 12, 0x37000, 8),
  userPartition('mqtt_key', 13, 0x39000, 8),
  userPartition('mqtt_ca', 14, 0x3b000, 8),
];

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

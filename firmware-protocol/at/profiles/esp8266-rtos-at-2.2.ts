import type { FlashPartition } from '../profile.js';
import { deriveProfile } from './define.js';
import { ESP_AT_V2_2_2_0_ESP8266 } from './documented/esp-at-v2.2.2.0-esp8266.js';
import { ESP32_AT_2X } from './esp32-at-2.x.js';

/**
 * ESP-AT v2.2.2.0 for the ESP8266 (ESP8266 RTOS SDK v3.4), tag v2.2.2.0_esp8266: the 2.x command
 * set and replies, within the ESP8266's limits (TCP-IP_AT_Commands.rst: CIPSEND at most 2048 bytes,
 * passthrough receives 2048 and sends 1460 at a time, one SSL connection, a 5760-byte passive
 * window). The GMR lines are in the core library's format with its version's hash and build date
 * (`AT version:%d.%d.%d.%d%s(%s%s - %s - %s %s)`); the SDK, compile and Bin lines are illustrative.
 */

const KIB = 1024;

/** module_esp8266_default/at_customize.csv: the user partitions (type 0x40). */
function userPartition(name: string, subtype: number, address: number, kib: number): FlashPartition {
  return { name, type: 0x40, subtype, address, size: kib * KIB };
}

export const ESP8266_RTOS_AT_22 = deriveProfile(ESP32_AT_2X, 'esp8266-rtos-at-2.2', {
  title: 'ESP8266 RTOS AT 2.2',
  gmrLines: [
    'AT version:2.2.2.0(6cdf453 - ESP8266 - Nov 18 2024 08:03:40)',
    'SDK version:v3.4-ff16a35',
    'compile time(6cdf453):Nov 18 2024 08:05:12',
    'Bin version:2.2.2(WROOM-02)',
  ],
  versions: { from: [2, 0], chip: 'ESP8266' },
  documented: ESP_AT_V2_2_2_0_ESP8266,
  limits: {
    maxSendLength: 2048,
    maxRecvDataLength: 2048,
    passiveWindow: 5760,
    maxIpdLength: 1460,
    passthroughPacketSize: 2048,
    sslLinks: 1,
  },
  // module_esp8266_default/sdkconfig.defaults does not set CONFIG_MBEDTLS_HAVE_TIME_DATE: whether
  // the SDK's mbedTLS checks dates is its default's business (not checked); copro uses its clock.
  ssl: { certificateClock: 'host' },
  // The RTOS SDK's uart_get_baudrate: 80 MHz / (80 MHz / baud), no fraction (115200 shows 115273).
  uartClock: { hz: 80_000_000, fractionBits: 0 },
  // Basic_AT_Commands.rst v2.2.0.0, the ESP8266 table: [40,47] -> 32 ... 82 -> 82 (20.5 dBm). No BLE.
  radio: {
    wifiSteps: [
      [40, 32],
      [48, 48],
      [56, 56],
      [64, 64],
      [68, 68],
      [74, 74],
      [78, 78],
      [82, 82],
    ],
    wifiDefault: 82,
    bleDefault: 0,
  },
  partitions: [
    userPartition('factory_param', 8, 0xf1000, 4),
    userPartition('server_cert', 2, 0xf2000, 8),
    userPartition('server_key', 3, 0xf4000, 8),
    userPartition('server_ca', 4, 0xf6000, 8),
    userPartition('client_cert', 5, 0xf8000, 8),
    userPartition('client_key', 6, 0xfa000, 8),
    userPartition('client_ca', 7, 0xfc000, 8),
    userPartition('wpa2_cert', 8, 0xfe000, 8),
    userPartition('wpa2_key', 9, 0x100000, 8),
    userPartition('wpa2_ca', 10, 0x102000, 8),
    userPartition('mqtt_cert', 11, 0x104000, 8),
    userPartition('mqtt_key', 12, 0x106000, 8),
    userPartition('mqtt_ca', 13, 0x108000, 8),
  ],
  commands: {
    // ESP8266: 80..4500000 baud; `+RFPOWER:%d`, Wi-Fi 40..82 only.
    UART: { ...ESP32_AT_2X.commands.UART, variant: 'esp8266' },
    RFPOWER: { variant: 'esp8266' },
    // Not in this release (neither its docs nor any string of its libraries or sources): ESP-AT 2.4 added them.
    MQTTALPN: null,
    MQTTLONGCLIENTID: {},
    MQTTLONGUSERNAME: {},
    MQTTLONGPASSWORD: {},
    CIPSNTPINTV: null,
    CIPSENDL: null,
    CIPSENDLCFG: null,
    HTTPCGET: null,
    HTTPURLCFG: null,
  },
});

import { ESP_AT_41_C3_CIPHER_SUITES } from '../cipher-suites.js';
import { NVS_TYPES } from '../manufacturing.js';
import { deriveProfile } from './define.js';
import { ESP_AT_V4_1_1_0 } from './documented/esp-at-v4.1.1.0.js';
import { ESP32_AT_2X } from './esp32-at-2.x.js';

/**
 * ESP-AT v4.1.1.0 on an ESP32-C3-MINI-1 (tag v4.1.1.0): the 2.x commands, plus AT+CIPRECVTYPE
 * (the per-link successor of AT+CIPRECVMODE; the core library still registers CIPRECVMODE and the
 * deprecated CIPSTATUS, so both stay). The C3's RF power reads back as set (Basic_AT_Commands.rst:
 * get value = set value, 80 after boot) with BLE levels 0..15; its partition table is
 * module_esp32c3_default/at_customize.csv (mfg_nvs and fatfs, both type data). The GMR version
 * line is the core library's format with this release's hash and build date; the other lines are
 * illustrative. Its PKI and factory parameters live in the manufacturing NVS (AT+SYSMFG); the
 * factory_param values are factory_param_data.csv's PLATFORM_ESP32C3,MINI-1 row, typed as
 * factory_param_type.csv says.
 */

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const { u8, i8, i32, string } = NVS_TYPES;
export const ESP32C3_AT_41 = deriveProfile(ESP32_AT_2X, 'esp32c3-at-4.1', {
  title: 'ESP-AT 4.1 (ESP32-C3-MINI-1)',
  gmrLines: [
    'AT version:4.1.1.0(ba4dd0e - ESP32C3 - Jul 31 2025 08:38:07)',
    'SDK version:v5.0.8',
    'compile time(ba4dd0e):Jul 31 2025 08:40:11',
    'Bin version:4.1.1(MINI-1)',
  ],
  versions: { from: [3, 0], chip: 'ESP32C3' },
  documented: ESP_AT_V4_1_1_0,
  // IDF v5 on the C3: the UART runs from the 80 MHz APB clock with a 4-bit fraction (115200 -> 115201).
  uartClock: { hz: 80_000_000, fractionBits: 4 },
  // The BLE default level (12: 9 dBm in the docs' table) is copro's choice.
  radio: { wifiSteps: [], wifiDefault: 80, bleDefault: 12 },
  // mbedTLS 3.6.3 as this build configures it (cipher-suites.ts): AT+CIPSSLCCIPHER.
  ssl: { cipherSuites: ESP_AT_41_C3_CIPHER_SUITES },
  partitions: [
    { name: 'mfg_nvs', type: 1, subtype: 2, address: 0x1f000, size: 124 * 1024 },
    { name: 'fatfs', type: 1, subtype: 0x81, address: 0x47000, size: 100 * 1024 },
  ],
  manufacturing: {
    partition: 'mfg_nvs',
    partitionBytes: 124 * 1024,
    factory: [
      {
        namespace: 'factory_param',
        entries: [
          { key: 'version', value: { type: i8, value: 4 } },
          { key: 'module_name', value: { type: string, bytes: ascii('MINI-1') } },
          { key: 'max_tx_power', value: { type: i8, value: 78 } },
          { key: 'country_code', value: { type: string, bytes: ascii('CN') } },
          { key: 'start_channel', value: { type: u8, value: 1 } },
          { key: 'channel_num', value: { type: u8, value: 13 } },
          { key: 'uart_port', value: { type: i8, value: 1 } },
          { key: 'uart_baudrate', value: { type: i32, value: 115200 } },
          { key: 'uart_tx_pin', value: { type: i32, value: 7 } },
          { key: 'uart_rx_pin', value: { type: i32, value: 6 } },
          { key: 'uart_cts_pin', value: { type: i32, value: 5 } },
          { key: 'uart_rts_pin', value: { type: i32, value: 4 } },
          { key: 'sys_store', value: { type: u8, value: 1 } },
        ],
      },
    ],
  },
  commands: {
    SYSMFG: {},
    CIPSSLCPSKHEX: {},
    CIPSSLCCIPHER: {},
    HTTPCPUT: {},
    HTTPCHEAD: {},
    MQTTLONGCLIENTID: {},
    MQTTLONGUSERNAME: {},
    MQTTLONGPASSWORD: {},
    MQTTSNI: {},
    RFPOWER: { variant: 'esp32c3' },
    CIPRECVTYPE: {},
    CIPDOMAIN: { variant: 'timeout' },
    FSMOUNT: {},
    HTTPCFG: {},
    CIPFWVER: {},
    CWINIT: {},
    CWCONFIG: {},
  },
});

/**
 * The NINA SPI protocol's fixed bytes and enumerations (arduino/nina-fw 2.0.0; peers.md §1.4, §1.7).
 * Values only: the command table is in command-table.ts.
 */

/** First byte of every request and every successful reply. */
export const START_BYTE = 0xe0;
/** Last byte of a frame (before any padding). */
export const END_BYTE = 0xee;
/** First byte of the firmware's error reply `EF 00 EE`. */
export const ERROR_BYTE = 0xef;
/** Set in the command byte of a reply; a request's command byte has it clear. */
export const REPLY_FLAG = 0x80;

/**
 * nina-fw's command and reply buffers: SPI_MAX_DMA_LEN = 4096 − 4. One SPI transaction, so one frame
 * with its padding, never exceeds it.
 */
export const MAX_FRAME_LENGTH = 4092;

/** Requests are padded to a multiple of this many bytes, counted from START (ESP32 SPI-slave DMA words). */
export const REQUEST_ALIGNMENT = 4;

/** CONFIG_LWIP_MAX_SOCKETS in nina-fw's sdkconfig: socket numbers 0..9. */
export const MAX_SOCKETS = 10;
/** GET_SOCKET / AVAIL_DATA_TCP on a server: "no socket". */
export const NO_SOCKET = 255;

/** GET_CONN_STATUS values (wl_status_t). */
export const ConnectionStatus = Object.freeze({
  IDLE: 0,
  /** Also nina-fw's "connecting" state after SET_NET / SET_PASSPHRASE. */
  NO_SSID_AVAIL: 1,
  SCAN_COMPLETED: 2,
  CONNECTED: 3,
  CONNECT_FAILED: 4,
  CONNECTION_LOST: 5,
  DISCONNECTED: 6,
  AP_LISTENING: 7,
  AP_CONNECTED: 8,
  AP_FAILED: 9,
  NO_MODULE: 255,
} as const);

/** GET_CURR_ENCT / GET_IDX_ENCT values as nina-fw maps ESP-IDF's auth modes. */
export const EncryptionType = Object.freeze({
  WPA_PSK: 2,
  WPA2_PSK: 4,
  WEP: 5,
  OPEN: 7,
  OTHER: 255,
} as const);

/** GET_CLIENT_STATE_TCP values nina-fw produces (of the TCP states 0..10 hosts know). */
export const SocketState = Object.freeze({ CLOSED: 0, ESTABLISHED: 4 } as const);

/** The mode byte of START_CLIENT_TCP / START_SERVER_TCP. */
export const ProtocolMode = Object.freeze({
  TCP: 0,
  UDP: 1,
  TLS: 2,
  UDP_MULTICAST: 3,
  TLS_BEARSSL: 4,
} as const);

/** nina-fw's UDP staging and receive buffers (WiFiUdp: 1500 bytes each). */
export const UDP_BUFFER_BYTES = 1500;
/** SCAN_NETWORKS reports at most this many networks (MAX_SCAN_RESULTS). */
export const MAX_SCAN_RESULTS = 10;

/**
 * usocket constants. Values are those of MicroPython's lwIP ports (esp32, rp2, stm32): code
 * written against them passes the same numbers here. IPPROTO_SEC is the WiPy's (cc3200) value.
 */
export const AF_INET = 2;
export const AF_INET6 = 10;

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;

export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
/** A TLS ("secure") stream socket, as on the WiPy: `socket(AF_INET, SOCK_STREAM, IPPROTO_SEC)`. */
export const IPPROTO_SEC = 100;

export const SOL_SOCKET = 0xfff;
/** Accepted and ignored: the module's server never lingers in TIME_WAIT on the host's side. */
export const SO_REUSEADDR = 0x0004;
/** Turns on TCP keep-alive for the next connect() (ESP-AT: CIPSTART's keep_alive parameter). */
export const SO_KEEPALIVE = 0x0008;
/** Accepted and ignored: the module sends UDP broadcasts without asking. */
export const SO_BROADCAST = 0x0020;
/**
 * copro's own (no MicroPython port has it): a SOCK_STREAM socket set to 1 before connect() takes
 * the module's transparent mode (ESP-AT AT+CIPMODE=1): the fastest stream, and the only socket
 * the module serves until it is closed (docs/driver.md, "Transparent mode").
 */
export const SO_PASSTHROUGH = 0x7001;

export const constants = {
  AF_INET,
  AF_INET6,
  SOCK_STREAM,
  SOCK_DGRAM,
  IPPROTO_IP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPPROTO_SEC,
  SOL_SOCKET,
  SO_REUSEADDR,
  SO_KEEPALIVE,
  SO_BROADCAST,
  SO_PASSTHROUGH,
} as const;

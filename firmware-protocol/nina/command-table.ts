/**
 * The NINA command set: ONE table that both sides use — the module's request parser and reply
 * formatter, the host's request formatter and reply parser, the emulator's dispatch and the docs.
 * Facts from arduino/nina-fw 2.0.0 main/CommandHandler.cpp and the host libraries (peers.md §1.6, §1.9).
 */

/** Width of every parameter length field in a frame: one byte, or two bytes big-endian. */
export type LengthWidth = 8 | 16;

export interface NinaCommand {
  /** The command byte of a request (bit 7 clear). */
  readonly code: number;
  /** WiFiNINA's name without the `_CMD` suffix. */
  readonly name: string;
  /** Parameter length width in the request. */
  readonly requestLength: LengthWidth;
  /** Parameter length width in the reply. */
  readonly replyLength: LengthWidth;
  /** Request parameters as nina-fw reads them (docs and tests). */
  readonly params: string;
  /** Reply parameters as nina-fw writes them. */
  readonly reply: string;
  /** nina-fw 2.0.0 has a handler for it (otherwise the firmware answers the error reply). */
  readonly inFirmware: boolean;
}

type Row = readonly [code: number, name: string, params: string, reply: string, widths?: `${LengthWidth}/${LengthWidth}`, inFirmware?: boolean];

/** Byte orders per field: peers.md §1.5. "dummy" = one ignored byte 0xFF some hosts send. */
const ROWS = [
  [0x10, 'SET_NET', 'ssid', '1 (always)'],
  [0x11, 'SET_PASSPHRASE', 'ssid, passphrase', '1 (always)'],
  [0x12, 'SET_KEY', 'ssid, key index(1), key', '1 (always)'],
  [0x14, 'SET_IP_CONFIG', 'valid(1), ip(4), gateway(4), mask(4)', '0 (never written)'],
  [0x15, 'SET_DNS_CONFIG', 'valid(1), dns1(4), dns2(4)', '1 (always)'],
  [0x16, 'SET_HOSTNAME', 'name', '1 (always)'],
  [0x17, 'SET_POWER_MODE', 'mode(1)', '1 (always)'],
  [0x18, 'SET_AP_NET', 'ssid, channel(1)', '1 ok / 0'],
  [0x19, 'SET_AP_PASSPHRASE', 'ssid, passphrase, channel(1)', '1 ok / 0'],
  [0x1a, 'SET_DEBUG', 'on(1)', '1 (always)'],
  [0x1b, 'GET_TEMPERATURE', '—', 'float32 LE'],
  [0x1e, 'GET_DNS_CONFIG', 'dummy', 'dns1(4), dns2(4)'],
  [0x1f, 'GET_REASON_CODE', '—', 'reason(1)'],
  [0x20, 'GET_CONN_STATUS', '—', 'status(1)'],
  [0x21, 'GET_IPADDR', 'dummy', 'ip(4), mask(4), gateway(4)'],
  [0x22, 'GET_MACADDR', 'dummy', 'mac(6), byte-reversed'],
  [0x23, 'GET_CURR_SSID', 'dummy', 'ssid'],
  [0x24, 'GET_CURR_BSSID', 'dummy', 'bssid(6), byte-reversed'],
  [0x25, 'GET_CURR_RSSI', 'dummy', 'int32 LE'],
  [0x26, 'GET_CURR_ENCT', 'dummy', 'encryption(1)'],
  [0x27, 'SCAN_NETWORKS', '—', 'one ssid per network (≤ 10); the scan runs here'],
  [0x28, 'START_SERVER_TCP', 'port(2 BE), sock(1), mode(1) — or ip(4) first (multicast)', '1 ok / 0'],
  [0x29, 'GET_STATE_TCP', 'sock(1)', '1 if a server listens on sock, else 0'],
  [0x2a, 'DATA_SENT_TCP', 'sock(1)', '1 (always)'],
  [0x2b, 'AVAIL_DATA_TCP', 'sock(1) [, accept(1)]', 'uint16 LE: bytes readable; on a server: client sock or 255'],
  [0x2c, 'GET_DATA_TCP', 'sock(1), peek(1)', 'one byte'],
  [0x2d, 'START_CLIENT_TCP', 'ip(4), port(2 BE), sock(1), mode(1) — or host, ip(4), port, sock, mode [, timeout]', '1 ok; no parameters = failed'],
  [0x2e, 'STOP_CLIENT_TCP', 'sock(1)', '1 (always)'],
  [0x2f, 'GET_CLIENT_STATE_TCP', 'sock(1)', '4 established / 0 closed (0 frees the socket)'],
  [0x30, 'DISCONNECT', 'dummy (optional)', '1 (always)'],
  [0x32, 'GET_IDX_RSSI', 'index(1)', 'int32 LE'],
  [0x33, 'GET_IDX_ENCT', 'index(1)', 'encryption(1)'],
  [0x34, 'REQ_HOST_BY_NAME', 'hostname', '1 ok / 0 (the lookup runs here)'],
  [0x35, 'GET_HOST_BY_NAME', '—', 'ip(4); 255.255.255.255 after a failed lookup'],
  [0x36, 'START_SCAN_NETWORKS', '—', '1 (always; no-op)'],
  [0x37, 'GET_FW_VERSION', '—', '"X.Y.Z" + NUL'],
  [0x38, 'STOP_SERVER_TCP', 'sock(1)', '— (no handler)', '8/8', false],
  [0x39, 'SEND_UDP_DATA', 'sock(1)', '1 ok / 0'],
  [0x3a, 'GET_REMOTE_DATA', 'sock(1)', 'ip(4), port(2 BE)'],
  [0x3b, 'GET_TIME', '—', 'uint32 LE epoch, 0 until synced'],
  [0x3c, 'GET_IDX_BSSID', 'index(1)', 'bssid(6), byte-reversed'],
  [0x3d, 'GET_IDX_CHANNEL', 'index(1)', 'channel(1)'],
  [0x3e, 'PING', 'ip(4), ttl(1)', 'int16 LE RTT ms, −1 on timeout'],
  [0x3f, 'GET_SOCKET', '—', 'sock(1) or 255; does not reserve it'],
  [0x40, 'SET_ENT', 'eap type, ssid, credentials…', '1 (always)', '16/8'],
  [0x44, 'SEND_DATA_TCP', 'sock, data', 'written, uint16 LE', '16/8'],
  [0x45, 'GET_DATABUF_TCP', 'sock, max(2 LE)', 'data', '16/16'],
  [0x46, 'INSERT_DATABUF', 'sock, data', '1 ok / 0', '16/8'],
  [0x50, 'SET_PIN_MODE', 'pin(1), mode(1)', '1'],
  [0x51, 'SET_DIGITAL_WRITE', 'pin(1), value(1)', '1'],
  [0x52, 'SET_ANALOG_WRITE', 'pin(1), value(1)', '1'],
  [0x53, 'GET_DIGITAL_READ', 'pin(1)', 'value(1)'],
  [0x54, 'GET_ANALOG_READ', 'pin(1), attenuation(1)', 'uint16 LE'],
  [0x60, 'WRITE_FILE', 'offset, length, name, data', 'mixed'],
  [0x61, 'READ_FILE', 'offset, length, name', 'data'],
  [0x62, 'DELETE_FILE', 'offset, length, name', '—'],
  [0x63, 'EXISTS_FILE', 'offset, length, name', 'size'],
  [0x64, 'DOWNLOAD_FILE', 'url, name', '—'],
  [0x65, 'APPLY_OTA', '—', '—'],
  [0x66, 'RENAME_FILE', 'old name, new name', 'errno(1)'],
  [0x67, 'DOWNLOAD_OTA', 'url', 'error(1)'],
  [0x70, 'SOCKET_SOCKET', 'type(1), proto(1)', 'fd(1), 255 = failed'],
  [0x71, 'SOCKET_CLOSE', 'fd(1)', '1 ok / 0'],
  [0x72, 'SOCKET_ERRNO', '—', 'errno(1)'],
  [0x73, 'SOCKET_BIND', 'fd(1), port(2 BE)', '1 ok / 0'],
  [0x74, 'SOCKET_LISTEN', 'fd(1), backlog(1)', '1 ok / 0'],
  [0x75, 'SOCKET_ACCEPT', 'fd(1)', 'fd(1), ip(4), port(2, LE on the wire)'],
  [0x76, 'SOCKET_CONNECT', 'fd(1), ip(4), port(2 BE)', '1 ok / 0'],
  [0x77, 'SOCKET_SEND', 'fd, data', 'count(2 BE)', '16/8'],
  [0x78, 'SOCKET_RECV', 'fd(1), max(2 LE)', 'data', '8/16'],
  [0x79, 'SOCKET_SENDTO', 'fd, ip(4), port(2 BE), data', 'count(2 BE)', '16/8'],
  [0x7a, 'SOCKET_RECVFROM', 'fd(1), max(2 LE)', 'ip(4), port(2, LE on the wire), data', '8/16'],
  [0x7b, 'SOCKET_IOCTL', 'fd(1), cmd(4 LE), arg', 'arg after the call'],
  [0x7c, 'SOCKET_POLL', 'fd(1)', 'flags(1)'],
  [0x7d, 'SOCKET_SETSOCKOPT', 'fd(1), optname(4 LE), optval', '1 ok / 0'],
  [0x7e, 'SOCKET_GETSOCKOPT', 'fd(1), optname(4 LE), optlen(1)', 'optval'],
  [0x7f, 'SOCKET_GETPEERNAME', 'fd(1)', 'ok(1), ip(4), port(2, LE on the wire)'],
] as const satisfies readonly Row[];

/** A command name of the table (`SET_NET`, `GET_DATABUF_TCP`, …). */
export type NinaCommandName = (typeof ROWS)[number][1];

function toCommand([code, name, params, reply, widths = '8/8', inFirmware = true]: Row): NinaCommand {
  const [request, answer] = widths.split('/').map(Number) as [LengthWidth, LengthWidth];
  return Object.freeze({ code, name, requestLength: request, replyLength: answer, params, reply, inFirmware });
}

/** Every command copro knows by name, in code order. */
export const NINA_COMMANDS: readonly NinaCommand[] = Object.freeze(ROWS.map(toCommand));

const BY_CODE = new Map(NINA_COMMANDS.map((command) => [command.code, command]));
const BY_NAME = new Map(NINA_COMMANDS.map((command) => [command.name, command]));

/** The command with this code (reply flag ignored), or undefined. */
export function findNinaCommand(code: number): NinaCommand | undefined {
  return BY_CODE.get(code & 0x7f);
}

/** The command named `name` (e.g. `SET_NET`); throws for a name not in the table (a programming error). */
export function ninaCommand(name: NinaCommandName): NinaCommand {
  const command = BY_NAME.get(name);
  if (!command) throw new RangeError(`unknown NINA command ${name}`);
  return command;
}

/** Parameter length width of a request with this command byte; unknown commands read as 8-bit. */
export function requestLengthWidth(code: number): LengthWidth {
  return code < 0x80 ? (BY_CODE.get(code)?.requestLength ?? 8) : 8;
}

/** Parameter length width of a reply with this command byte (reply flag ignored). */
export function replyLengthWidth(code: number): LengthWidth {
  return BY_CODE.get(code & 0x7f)?.replyLength ?? 8;
}

/** Command codes by name, for code that formats or dispatches a known command. */
export const NinaCode = Object.freeze(Object.fromEntries(NINA_COMMANDS.map((c) => [c.name, c.code]))) as Readonly<
  Record<NinaCommandName, number>
>;

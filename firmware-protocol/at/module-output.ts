import { concatBytes } from './byte-queue.js';
import type { AnyValues, FieldValues } from './grammar/fields.js';
import { formatLine } from './grammar/line-format.js';
import type { LineSpec } from './grammar/line-spec.js';
import { urcText } from './grammar/urc-values.js';
import {
  FLASH_READ_HEADER,
  MFG_READ_HEADER,
  FS_LIST_ENTRY_END,
  FS_LIST_LINE,
  PIECE_ENDS,
  IPD_HEADER,
  MQTT_SUBRECV_HEADER,
  RECV_BYTES_LINE,
  RECV_DATA_HEADERS,
  SYSMSG_LINES,
  pieceHeader,
  type PieceCommand,
} from './messages.js';
import type { FirmwareProfile } from './profile.js';
import type { FinalResult, RemoteInfo, Urc } from './types.js';

/**
 * The module's exact output bytes (esp-at.md §1.2: the ESP32 core library's printf formats;
 * §7.1 for NonOS 1.7). Text is written one byte per character (latin1), as the firmware
 * copies its strings. Leading CR LF is part of a message exactly where the firmware prints it:
 * final results, `busy p...`, `ready`, `Recv N bytes`, `+IPD`; not on CONNECT/CLOSED/WIFI lines.
 * URCs, `Recv N bytes` and payload headers come from their declarations (messages.ts); a
 * command's own reply lines from its declaration (grammar/replies.ts).
 */

export function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

/** `\r\nOK\r\n`, `\r\nERROR\r\n`, `\r\nSEND OK\r\n`... */
export function finalResult(result: FinalResult): Uint8Array {
  return ascii(`\r\n${result}\r\n`);
}

/** `+NAME:text\r\n`, any text (a command's own lines come from its declaration: grammar/replies.ts). */
export function infoLine(name: string, text: string): Uint8Array {
  return ascii(`+${name}:${text}\r\n`);
}

/** Any other line: `text\r\n` (the profile's error words; tests and the fuzzer write their own). */
export function textLine(text: string): Uint8Array {
  return ascii(`${text}\r\n`);
}

/** Several plain lines, e.g. `profile.gmrLines`. */
export function textLines(lines: readonly string[]): Uint8Array {
  return ascii(lines.map((line) => `${line}\r\n`).join(''));
}

/** `\r\nOK\r\n` then the CIPSEND prompt: 2.x `\r\nOK\r\n\r\n>`, 1.7 `\r\nOK\r\n> `. */
export function okPrompt(profile: FirmwareProfile): Uint8Array {
  return ascii(`\r\nOK\r\n${profile.promptText}`);
}

/** The prompt alone (`\r\n>` / `> `). */
export function prompt(profile: FirmwareProfile): Uint8Array {
  return ascii(profile.promptText);
}

/** `\r\nRecv N bytes\r\n` after a CIPSEND payload. */
export function recvBytes(count: number): Uint8Array {
  return ascii(formatLine(RECV_BYTES_LINE, { count }, {}));
}

/** `+SYSFLASH:<len>,` before the bytes AT+SYSFLASH reads. */
export function flashReadHeader(length: number): Uint8Array {
  return ascii(formatLine(FLASH_READ_HEADER, { length }, {}));
}

/** `+SYSMFG:"<ns>","<key>",<type>,<len>,` before the bytes of a string or blob AT+SYSMFG reads. */
export function mfgReadHeader(values: { namespace: string; key: string; type: number; length: number }): Uint8Array {
  return ascii(formatLine(MFG_READ_HEADER, values, {}));
}

/** Every URC in its exact wire form (messages.ts). */
export function formatUrc(urc: Urc): Uint8Array {
  return ascii(urcText(urc));
}

/** A message AT+SYSMSG asks for: `+LINK_CONN:...`, `\r\n+QUITT\r\n`. */
export function sysMsgLine<K extends keyof typeof SYSMSG_LINES>(
  key: K,
  values: FieldValues<(typeof SYSMSG_LINES)[K]['fields']>,
): Uint8Array {
  return ascii(formatLine(SYSMSG_LINES[key], values as AnyValues, {}));
}

/** `\r\nbusy p...\r\n`; NonOS `busy s...\r\n` (no leading CR LF, esp-at.md §1.1). */
export function busy(which: 'p' | 's'): Uint8Array {
  return formatUrc({ kind: 'busy', which });
}

/** Passive-mode notice `\r\n+IPD,<id>,<len>\r\n` / `\r\n+IPD,<len>\r\n`. */
export function ipdNotice(link: number | null, length: number): Uint8Array {
  return formatUrc({ kind: 'ipd-notice', link, length });
}

function payload(profile: FirmwareProfile, header: LineSpec, values: AnyValues, data: Uint8Array): Uint8Array {
  return concatBytes([ascii(formatLine(header, values, { layout: profile.layout })), data]);
}

function remoteValues(remote: RemoteInfo | null): AnyValues {
  return remote === null ? {} : { remote_ip: remote.ip, remote_port: remote.port };
}

/**
 * Active receive: `\r\n+IPD,[<id>,]<len>[,<remote>]:` + data, no trailing CR LF. The remote is
 * quoted or bare as profile.layout.quoteIpdRemote says; pass it only with CIPDINFO=1.
 */
export function ipd(
  profile: FirmwareProfile,
  link: number | null,
  data: Uint8Array,
  remote: RemoteInfo | null = null,
): Uint8Array {
  return payload(profile, IPD_HEADER, { link: link ?? undefined, length: data.length, ...remoteValues(remote) }, data);
}

/**
 * Passive read answer without the final OK (the caller appends `finalResult('OK')`), in the
 * profile's layout: 2.x `+CIPRECVDATA:<len>,[<"ip">,<port>,]<data>`, 1.7 `+CIPRECVDATA,<len>:<data>`
 * (1.7 never shows the remote here).
 */
export function recvData(profile: FirmwareProfile, data: Uint8Array, remote: RemoteInfo | null = null): Uint8Array {
  const header = RECV_DATA_HEADERS[profile.layout.recvDataHeader];
  return payload(profile, header, { length: data.length, ...remoteValues(remote) }, data);
}

/** `+MQTTSUBRECV:<link>,"<topic>",<len>,<data>\r\n`: one part of a message on a subscribed topic. */
export function mqttSubRecv(profile: FirmwareProfile, link: number, topic: string, data: Uint8Array): Uint8Array {
  return concatBytes([payload(profile, MQTT_SUBRECV_HEADER, { link, topic, length: data.length }, data), ascii('\r\n')]);
}

/** `ERR CODE:0x%08x\r\n` of a code a command family defines itself (MQTT's 0x60xx table). */
export function errCodeOf(code: number): Uint8Array {
  return ascii(`ERR CODE:0x${(code >>> 0).toString(16).padStart(8, '0')}\r\n`);
}

/** A counted payload of a command: `+HTTPCLIENT:<len>,<bytes>\r\n`, `+FS:<len>,<bytes>` (messages.ts). */
export function commandPiece(command: PieceCommand, data: Uint8Array): Uint8Array {
  return concatBytes([ascii(formatLine(pieceHeader(command), { length: data.length }, {})), data, ascii(PIECE_ENDS[command])]);
}

/** AT+FS's listing: `+FS:` then each name and a space (messages.ts FS_LIST_LINE). */
export function fsListing(names: readonly string[]): Uint8Array {
  return ascii(formatLine(FS_LIST_LINE, {}, {}) + names.map((name) => `${name}${FS_LIST_ENTRY_END}`).join(''));
}

/** The firmware's error subcategories (bits 23..16 of ERR CODE, esp-at.md §1.1). */
export const ERROR_SUBCATEGORIES = {
  ok: 0x00,
  common: 0x01,
  'no-terminator': 0x02,
  'no-at': 0x03,
  'param-length': 0x04,
  'param-type': 0x05,
  'param-number': 0x06,
  'param-invalid': 0x07,
  'param-parse': 0x08,
  unsupported: 0x09,
  'exec-failed': 0x0a,
  busy: 0x0b,
  'op-type': 0x0c,
} as const;

export type ErrorSubcategory = keyof typeof ERROR_SUBCATEGORIES;

/**
 * `ERR CODE:0x%08x\r\n` printed before ERROR with SYSLOG=1 (2.x). A `too-long` line maps to
 * `common`; `extension` is the low 16 bits.
 */
export function errCode(subcategory: ErrorSubcategory | 'too-long', extension = 0): Uint8Array {
  const sub = subcategory === 'too-long' ? ERROR_SUBCATEGORIES.common : ERROR_SUBCATEGORIES[subcategory];
  const code = ((0x01 << 24) | (sub << 16) | (extension & 0xffff)) >>> 0;
  return ascii(`ERR CODE:0x${code.toString(16).padStart(8, '0')}\r\n`);
}

/** A 1.7 error word line (`no ip\r\n`...), or nothing in profiles without it. */
export function errorWord(profile: FirmwareProfile, word: keyof FirmwareProfile['errorWords']): Uint8Array {
  const text = profile.errorWords[word];
  return text === null ? new Uint8Array(0) : textLine(text);
}

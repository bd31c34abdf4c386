import { bare, group, integer, ip, layoutIp, lenientIp, literal, mac, optional, quoted } from './grammar/fields.js';
import type { LineSpec } from './grammar/line-spec.js';
import type { ReplyLayout } from './profile.js';
import type { Urc } from './types.js';

/**
 * Every unsolicited line, declared once (esp-at.md §1.1, §1.2: the ESP32 core library's format
 * strings; §7.1 for NonOS 1.7), and the other non-reply lines: `Recv N bytes` and the headers
 * before raw payload bytes. The module's formatter (`module-output.ts`) and the host's classifier
 * (`response-lines.ts`) and payload matcher (`payload-headers.ts`) are built from these.
 */

/** One wire shape of a URC; `constants` are the URC's values that this shape stands for. */
export interface UrcShape {
  readonly line: LineSpec;
  readonly constants?: Readonly<Record<string, string>>;
}

const LINK = optional(integer('link', 2));

function fixed(text: string, crlfBefore = false): LineSpec {
  return crlfBefore ? { lead: text, fields: [], crlfBefore } : { lead: text, fields: [] };
}

/** By URC kind, the shapes it is printed in (URC values named as in `Urc`; an absent optional one is null). */
export const URC_SHAPES: { readonly [K in Urc['kind']]: readonly UrcShape[] } = {
  ready: [{ line: fixed('ready', true) }],
  // "%d,CONNECT\r\n" / "CONNECT\r\n": no leading CR LF.
  connect: [{ line: { lead: '', fields: [LINK, literal('CONNECT')] } }],
  closed: [{ line: { lead: '', fields: [LINK, literal('CLOSED')] } }],
  'wifi-connected': [{ line: fixed('WIFI CONNECTED') }],
  'wifi-got-ip': [{ line: fixed('WIFI GOT IP') }],
  'wifi-disconnect': [{ line: fixed('WIFI DISCONNECT') }],
  // The core library's "WIFI GOT IPv6 LL" / "WIFI GOT IPv6 GL" (IPv6 on: AT+CIPV6=1).
  'wifi-got-ipv6': [
    { line: fixed('WIFI GOT IPv6 LL'), constants: { scope: 'LL' } },
    { line: fixed('WIFI GOT IPv6 GL'), constants: { scope: 'GL' } },
  ],
  /** Passive receive: `\r\n+IPD,<id>,<len>\r\n`, data waits in the module. */
  'ipd-notice': [{ line: { lead: '+IPD,', fields: [LINK, integer('length')], crlfBefore: true } }],
  // 2.x `\r\nbusy p...\r\n`; NonOS `busy s...\r\n` without the leading CR LF.
  busy: [
    { line: fixed('busy p...', true), constants: { which: 'p' } },
    { line: fixed('busy s...'), constants: { which: 's' } },
  ],
  'will-restart': [{ line: fixed('Will force to restart!!!', true) }],
  // The softAP's station events (v2.4.2.0 core library): no CR LF before them.
  'sta-connected': [{ line: { lead: '+STA_CONNECTED:', fields: [mac('mac')] } }],
  'dist-sta-ip': [{ line: { lead: '+DIST_STA_IP:', fields: [mac('mac'), ip('ip')] } }],
  'sta-disconnected': [{ line: { lead: '+STA_DISCONNECTED:', fields: [mac('mac')] } }],
  /** `+MQTTCONNECTED:%d,%d,"%.*s","%.*s","%.*s",%d`: link, scheme, host, port (as text), path, reconnect. */
  'mqtt-connected': [
    {
      line: {
        lead: '+MQTTCONNECTED:',
        fields: [integer('link'), integer('scheme'), quoted('host'), quoted('port'), quoted('path'), integer('reconnect')],
      },
    },
  ],
  'mqtt-disconnected': [{ line: { lead: '+MQTTDISCONNECTED:', fields: [integer('link')] } }],
};

/**
 * Messages only AT+SYSMSG asks for. A host reads them as the information or plain lines they look
 * like (no driver of ours asks for them, and none is routed as a URC).
 */
export const SYSMSG_LINES = {
  /** Bit 1: `+LINK_CONN:0,<id>,"<type>",<0 client|1 server>,"<remote ip>",<remote port>,<local port>`. */
  linkConn: {
    lead: '+LINK_CONN:',
    fields: [
      integer('status_type'),
      integer('link_id'),
      quoted('type'),
      integer('terminal_type'),
      quoted('remote_ip'),
      integer('remote_port'),
      integer('local_port'),
    ],
  },
  /** Bit 0: passthrough left. */
  quit: { lead: '+QUITT', fields: [], crlfBefore: true },
} as const satisfies Readonly<Record<string, LineSpec>>;

/**
 * SmartConfig's messages on the AT port (at_smartconfig_event_handler's and the got-IP handler's
 * at_port_print strings; its other messages go to the console). A host reads them as plain lines.
 */
export const SMARTCONFIG_LINES = {
  /** `smartconfig type:ESPTOUCH` / `AIRKISS` / `ESPTOUCH_V2`. */
  type: { lead: 'smartconfig type:', fields: [bare('type')] },
  gotInfo: { lead: 'Smart get wifi info', fields: [] },
  /** `ssid:%.*s`, `password:%.*s`: raw, unquoted. */
  ssid: { lead: 'ssid:', fields: [bare('ssid')] },
  password: { lead: 'password:', fields: [bare('password')] },
  /** ESP-Touch v2's reserved data: `+SCRD:<len>,<data>`. */
  reservedData: { lead: '+SCRD:', fields: [integer('length'), bare('data')] },
  connected: { lead: 'smartconfig connected wifi', fields: [] },
} as const satisfies Readonly<Record<string, LineSpec>>;

/** `\r\nRecv N bytes\r\n` after a CIPSEND payload. */
export const RECV_BYTES_LINE: LineSpec = { lead: 'Recv ', fields: [integer('count')], tail: ' bytes', crlfBefore: true };

const REMOTE_IPD = group(layoutIp('remote_ip', 'quoteIpdRemote'), integer('remote_port', 5));

/** Active receive: `\r\n+IPD,[<id>,]<len>[,<remote ip>,<port>]:` then <len> raw bytes. */
export const IPD_HEADER: LineSpec = {
  lead: '+IPD,',
  fields: [LINK, integer('length'), optional(REMOTE_IPD)],
  tail: ':',
  crlfBefore: true,
  header: true,
};

/**
 * A message on a subscribed topic: `+MQTTSUBRECV:%d,"%.*s",%d,` then <len> raw bytes and CR LF.
 * A message longer than the MQTT buffer comes in several, each with its own length.
 */
export const MQTT_SUBRECV_HEADER: LineSpec = {
  lead: '+MQTTSUBRECV:',
  fields: [integer('link'), quoted('topic'), integer('length')],
  tail: ',',
  header: true,
};

/**
 * AT+CIPRECVDATA's answer before its raw bytes: 2.x `+CIPRECVDATA:<len>,[<"ip">,<port>,]`,
 * NonOS `+CIPRECVDATA,<len>:` (which never shows the sender).
 */
export const RECV_DATA_HEADERS: { readonly [K in ReplyLayout['recvDataHeader']]: LineSpec } = {
  'colon-length-comma': {
    lead: '+CIPRECVDATA:',
    fields: [integer('length'), optional(group(lenientIp('remote_ip'), integer('remote_port', 5)))],
    tail: ',',
    header: true,
  },
  'comma-length-colon': { lead: '+CIPRECVDATA,', fields: [integer('length')], tail: ':', header: true },
};

/** AT+SYSFLASH=2 (read): `+SYSFLASH:<len>,` then <len> raw bytes, then `\r\nOK\r\n` (the core's `%s:%d,`). */
export const FLASH_READ_HEADER: LineSpec = { lead: '+SYSFLASH:', fields: [integer('length')], tail: ',', header: true };
/** AT+SYSMFG=1 of a string or blob: `+SYSMFG:"<ns>","<key>",<type>,<len>,` then <len> raw bytes, then `\r\nOK\r\n`. */
export const MFG_READ_HEADER: LineSpec = {
  lead: '+SYSMFG:',
  fields: [quoted('namespace'), quoted('key'), integer('type'), integer('length')],
  tail: ',',
  header: true,
};
/**
 * Payloads a command prints counted by a length: the HTTP client's `+HTTPCLIENT:<len>,<bytes>\r\n`
 * (HTTP_AT_Commands.rst; at_httpCmd.c's `%s:%d,` then the bytes then `\r\n`), one per piece of the
 * body or, for a HEAD request, per response header (`Key: value`, the same shape; `+HTTPCGET:`,
 * `+HTTPCPOST:` alike), and AT+FS's read `+FS:<len>,<bytes>` (at_fs.c's `%s:%d,`, nothing after:
 * the final result's CR LF follows). The lead is the running command's name.
 */
export const PIECE_ENDS = { HTTPCLIENT: '\r\n', HTTPCGET: '\r\n', HTTPCPOST: '\r\n', HTTPCPUT: '\r\n', FS: '' } as const;
export type PieceCommand = keyof typeof PIECE_ENDS;
export const PIECE_COMMANDS = Object.keys(PIECE_ENDS) as PieceCommand[];

export function pieceHeader(command: PieceCommand): LineSpec {
  return { lead: `+${command}:`, fields: [integer('length')], tail: ',', header: true };
}

/**
 * AT+FS's listing (at_fs.c: `%s:` then `%s ` per entry, no line end of its own: the final result's
 * CR LF ends it; UNSURE, from the format strings alone): `+FS:a.txt b.bin ` then `\r\nOK\r\n`.
 */
export const FS_LIST_LINE: LineSpec = { lead: '+FS:', fields: [], header: true };
export const FS_LIST_ENTRY_END = ' ';

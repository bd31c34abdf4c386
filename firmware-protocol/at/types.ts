/**
 * Shared vocabulary of the ESP-AT codec. Pure data: no I/O, no timers.
 *
 * Module side  : host bytes  -> ModuleInputEvent  (what the emulator dispatches)
 * Host side    : module bytes -> HostEvent        (what the driver consumes)
 */

/** The four ESP-AT command forms, plus the basic `AT`/`ATE0`-style commands that have no `+`. */
export type CommandForm = 'test' | 'query' | 'set' | 'exec';

/** One parsed parameter of a set command, as the firmware's parser sees it. */
export type AtParam =
  | { readonly kind: 'string'; readonly value: string }
  /** `hex`: written `0x...` (taken only where the parameter says `hex`). */
  | { readonly kind: 'int'; readonly value: number; readonly hex?: true }
  /** Omitted: `AT+CWJAP="a","b",,1` has an empty third parameter. */
  | { readonly kind: 'empty' };

/** A command line as received from the host, split but not yet validated against the table. */
export interface ParsedCommand {
  /** Upper-case name without `AT+`: `CWJAP`, `CIPSEND`. Basic commands: `AT`, `ATE0`, `ATE1`. */
  readonly name: string;
  readonly form: CommandForm;
  /** Only for `set`. */
  readonly params: readonly AtParam[];
  /** The line as received, without the CR LF terminator (latin1 decoded). */
  readonly line: string;
}

/** Why a command line could not be turned into a ParsedCommand (maps to the firmware's ERR CODE subcategories). */
export type LineRejection =
  /** Does not start with upper-case `AT` (0x03). */
  | 'no-at'
  /** Longer than the firmware's line buffer (0x01, the line is discarded). */
  | 'too-long'
  /** Parameters could not be parsed: unbalanced quotes, garbage between params (0x08). */
  | 'param-parse';

export type ModuleInputEvent =
  /** Bytes the module echoes while in command mode when echo is on (concatenation is chunking-independent). */
  | { readonly type: 'echo'; readonly bytes: Uint8Array }
  | { readonly type: 'command'; readonly command: ParsedCommand }
  | { readonly type: 'rejected'; readonly line: string; readonly reason: LineRejection }
  /** The payload requested by `enterData()`, complete. */
  | { readonly type: 'data'; readonly bytes: Uint8Array }
  /** Streamed payload (AT+CIPSENDL): bytes as they arrive; an empty `data` ends it. */
  | { readonly type: 'data-part'; readonly bytes: Uint8Array }
  /** Raw bytes while in passthrough mode (timing of `+++` is the emulator's job: the codec has no clock). */
  | { readonly type: 'passthrough'; readonly bytes: Uint8Array };

/** Final result codes: a command is over once one of these arrives. */
export type FinalResult = 'OK' | 'ERROR' | 'FAIL' | 'SEND OK' | 'SEND FAIL' | 'SEND CANCELLED' | 'SET OK';

export interface RemoteInfo {
  readonly ip: string;
  readonly port: number;
}

/** Unsolicited result codes, recognised whatever command is pending (declared in messages.ts). */
export type Urc =
  | { readonly kind: 'ready' }
  | { readonly kind: 'connect'; readonly link: number | null }
  | { readonly kind: 'closed'; readonly link: number | null }
  | { readonly kind: 'wifi-connected' }
  | { readonly kind: 'wifi-got-ip' }
  | { readonly kind: 'wifi-disconnect' }
  /** An IPv6 address became usable: link-local or global. */
  | { readonly kind: 'wifi-got-ipv6'; readonly scope: 'LL' | 'GL' }
  /** Passive receive notification `+IPD,<id>,<len>\r\n`: data is waiting in the module. */
  | { readonly kind: 'ipd-notice'; readonly link: number | null; readonly length: number }
  | { readonly kind: 'busy'; readonly which: 'p' | 's' }
  | { readonly kind: 'will-restart' }
  /** softAP: a station associated, got a lease, left. */
  | { readonly kind: 'sta-connected'; readonly mac: string }
  | { readonly kind: 'dist-sta-ip'; readonly mac: string; readonly ip: string }
  | { readonly kind: 'sta-disconnected'; readonly mac: string }
  /** The MQTT client connected (AT+MQTTCONN, or a reconnect): the port is printed as text. */
  | {
      readonly kind: 'mqtt-connected';
      readonly link: number;
      readonly scheme: number;
      readonly host: string;
      readonly port: string;
      readonly path: string;
      readonly reconnect: number;
    }
  | { readonly kind: 'mqtt-disconnected'; readonly link: number };

export type HostEvent =
  | { readonly type: 'final'; readonly result: FinalResult }
  /** `+NAME:rest` information line (name without `+`). */
  | { readonly type: 'info'; readonly name: string; readonly text: string }
  | { readonly type: 'urc'; readonly urc: Urc }
  /** The CIPSEND data prompt `>` (1.7: `> `). */
  | { readonly type: 'prompt' }
  /** `Recv N bytes` after a CIPSEND payload. */
  | { readonly type: 'recv-bytes'; readonly count: number }
  /** Active-mode receive `+IPD,...:<data>`, payload complete. */
  | { readonly type: 'ipd'; readonly link: number | null; readonly data: Uint8Array; readonly remote: RemoteInfo | null }
  /** `+CIPRECVDATA` payload (2.x `:<len>,` or 1.7 `,<len>:`), complete. */
  | { readonly type: 'recv-data'; readonly data: Uint8Array; readonly remote: RemoteInfo | null }
  /** `+MQTTSUBRECV:<link>,"<topic>",<len>,<data>`, payload complete (one part of a long message). */
  | { readonly type: 'mqtt-recv'; readonly link: number; readonly topic: string; readonly data: Uint8Array }
  /** A counted payload of a command, complete: `+HTTPCLIENT:<len>,<data>` (`HTTPCGET`, `HTTPCPOST`), `+FS:<len>,<data>`. */
  | { readonly type: 'piece'; readonly command: string; readonly data: Uint8Array }
  /** Any other non-empty line (echo, `WIFI ...` unknowns, `No AP`, GMR text, `ALREADY CONNECTED`, `no ip`...). */
  | { readonly type: 'line'; readonly text: string }
  /** Raw bytes while the host parser is in passthrough mode. */
  | { readonly type: 'passthrough'; readonly bytes: Uint8Array };

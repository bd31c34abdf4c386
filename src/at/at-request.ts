/**
 * The AtClient's vocabulary (at-client.ts): a command to run, what came back, and who hears the
 * module's unsolicited messages.
 */
import type { FinalResult, RemoteInfo, Urc } from '../../firmware-protocol/at/types.js';
import type { Clock } from '../clock.js';
import type { TraceSink } from './trace.js';

export interface AtRequest {
  /** One command line, CR LF included (from formatCommand). */
  readonly line: Uint8Array;
  /** How long the module may take to give the final result. */
  readonly timeoutMs: number;
  /** Bytes to write after the data prompt `>` (CIPSEND); the command then ends at SEND OK/FAIL. */
  readonly payload?: Uint8Array;
  /**
   * `AT+CIPSEND` (exec) with CIPMODE=1: the command ends at its prompt `>` (reply result OK), and
   * from then on every byte both ways is data (raw mode) until leaveRaw().
   */
  readonly entersRaw?: boolean;
  /**
   * With `payload`: the command ends at this information line after the payload (AT+MQTTPUBRAW's
   * `+MQTTPUB:OK` / `+MQTTPUB:FAIL`) rather than at SEND OK/FAIL; the result is OK, the line in `infos`.
   */
  readonly endsAtInfo?: string;
  /**
   * Called synchronously when the command ends (reply or error), before the next queued command
   * is written: a caller that queues its follow-up here (the next CIPSEND chunk, the next
   * CIPRECVDATA) leaves the line no idle time between the two.
   */
  readonly settled?: (outcome: AtReply | Error) => void;
}

export interface AtReply {
  readonly result: FinalResult;
  readonly infos: readonly { readonly name: string; readonly text: string }[];
  /** Other text lines (`ALREADY CONNECTED`, `no ip`, `DNS Fail`, `No AP`, GMR lines). */
  readonly lines: readonly string[];
  /** `+CIPRECVDATA` payloads. */
  readonly received: readonly { readonly data: Uint8Array; readonly remote: RemoteInfo | null }[];
  /** Counted payloads, in order: the HTTP client's `+HTTPCLIENT:<len>,<data>` pieces, AT+FS's read. */
  readonly pieces: readonly Uint8Array[];
  /** Unsolicited messages that arrived while this command ran (they were routed too). */
  readonly urcs: readonly Urc[];
}

export interface AtEventHandlers {
  onUrc(urc: Urc): void;
  /** Active-mode data (`+IPD,...:<data>`). */
  onIpd(link: number | null, data: Uint8Array, remote: RemoteInfo | null): void;
  /** `+MQTTSUBRECV:<link>,"<topic>",<len>,<data>` (a back end without MQTT ignores it). */
  onMqttMessage?(link: number, topic: string, data: Uint8Array): void;
  /** The module restarted (`ready`); every command was failed already. */
  onReset(): void;
  /** The port went away by itself. */
  onPortClosed(err: Error | null): void;
}

export interface AtClientOptions {
  readonly trace?: TraceSink;
  /** First re-send delay after `busy p...` (doubles up to 2 s). */
  readonly busyRetryMs?: number;
  /**
   * Upper bound of every command's deadline (requests.ts gives up to 45 s). For a module that is
   * known to answer fast (an emulator in the same process, tests, the soak): a line that lost bytes
   * then costs this long instead of a CIPSEND's 20 s.
   */
  readonly maxCommandMs?: number;
  /** The time base of deadlines, the busy probe and the drain (default systemClock). */
  readonly clock?: Clock;
}

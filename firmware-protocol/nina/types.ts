/** What the NINA codec produces: frames and the events around them. */

/** One request or reply frame: the command byte (reply flag removed) and its parameters. */
export interface NinaFrame {
  readonly command: number;
  readonly params: readonly Uint8Array[];
}

/** Why a frame was not delivered. */
export type MalformedReason =
  /** The byte where END belongs is not 0xEE: host and module disagree on the frame's structure. */
  | 'end'
  /** The frame is longer than nina-fw's 4092-byte buffer: it cannot have been one SPI transaction. */
  | 'oversize';

/** Module side: what the request parser makes of the host's bytes. */
export type NinaRequestEvent =
  /** A complete request; its padding is skipped after it (counted from START). */
  | { readonly type: 'request'; readonly command: number; readonly params: readonly Uint8Array[]; readonly length: number }
  /**
   * A run of bytes where a frame must begin and START is not: nina-fw answers such a transaction with
   * the error reply. One event per run, at its first byte; the run is skipped up to the next START.
   */
  | { readonly type: 'garbage'; readonly firstByte: number }
  /** A request whose structure is wrong; it was skipped whole (declared lengths, then padding). */
  | { readonly type: 'malformed'; readonly command: number; readonly reason: MalformedReason; readonly length: number };

/** Host side: what the reply parser makes of the module's bytes. */
export type NinaReplyEvent =
  /** A reply frame. `replyFlag` false means the module echoed a command byte without bit 7 (a fault). */
  | {
      readonly type: 'reply';
      readonly command: number;
      readonly replyFlag: boolean;
      readonly params: readonly Uint8Array[];
    }
  /** The firmware's `EF 00 EE`: unknown command, or a transaction that did not start with START. */
  | { readonly type: 'error-reply' }
  /** Bytes that were neither START nor the error byte where a frame must begin (padding, noise). */
  | { readonly type: 'skipped'; readonly count: number }
  | { readonly type: 'malformed'; readonly command: number; readonly reason: MalformedReason; readonly length: number };

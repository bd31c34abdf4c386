import { ByteQueue } from '../at/byte-queue.js';
import { requestLengthWidth } from './command-table.js';
import { MAX_FRAME_LENGTH, REQUEST_ALIGNMENT, START_BYTE } from './constants.js';
import { FrameAssembler } from './frame-assembler.js';
import type { NinaRequestEvent } from './types.js';

export interface NinaRequestParserOptions {
  /** Longest frame, START through END (nina-fw's 4092-byte command buffer). */
  readonly maxFrameLength?: number;
}

type State = 'between' | 'frame' | 'padding';

/**
 * Module side of a NINA link carried on a byte stream: host bytes in, requests out (host-mapping.md,
 * "NINA frames on a byte stream").
 *
 * - A request is read by its structure: parameter lengths are 8-bit, or 16-bit big-endian for the
 *   commands the table marks (SEND_DATA_TCP, GET_DATABUF_TCP, INSERT_DATABUF, SET_ENT, socket send/sendto).
 * - After END the request's padding is skipped up to the next multiple of 4 bytes counted from START —
 *   the length the host's SPI transaction had. Padding is never looked at: it may hold 0xE0 or 0xEE
 *   (stale bytes from a reused buffer), so it is skipped by count, never scanned.
 * - Where a frame must begin and the byte is not START, one `garbage` event marks the run and the run is
 *   skipped up to the next START (nina-fw answers one error reply for such a transaction).
 *
 * Pull-based like the AT parser: `push()` stores, `next()` parses only up to the next event, so a
 * module that is still executing a request simply does not pull (the bytes wait, as in a UART FIFO).
 * Pure: no I/O, no timers. Memory: what was pushed and not yet pulled, plus at most one frame.
 */
export class NinaRequestParser {
  private readonly input = new ByteQueue();
  private readonly assembler: FrameAssembler;
  private state: State = 'between';
  private paddingLeft = 0;
  private inGarbage = false;
  private skipped = 0;

  constructor(options: NinaRequestParserOptions = {}) {
    const max = options.maxFrameLength ?? MAX_FRAME_LENGTH;
    if (!Number.isInteger(max) || max < 4) throw new RangeError(`maxFrameLength must be an integer ≥ 4, got ${max}`);
    this.assembler = new FrameAssembler(requestLengthWidth, max);
  }

  push(bytes: Uint8Array): void {
    this.input.push(bytes);
  }

  /** Bytes pushed and not yet parsed. */
  get unreadLength(): number {
    return this.input.length;
  }

  /** Every byte skipped because no frame began there (for traces). */
  get skippedBytes(): number {
    return this.skipped;
  }

  /** Bytes this parser holds: unread input plus the partial frame's parameters. */
  get bufferedBytes(): number {
    return this.input.length + (this.state === 'frame' ? this.assembler.heldBytes : 0);
  }

  /** True between frames (nothing partial is held). */
  get idle(): boolean {
    return this.state === 'between' && !this.inGarbage;
  }

  /** The next event, or undefined when the pushed bytes hold no further one. */
  next(): NinaRequestEvent | undefined {
    for (let run = this.input.run(); run.length > 0; run = this.input.run()) {
      switch (this.state) {
        case 'between': {
          if (run[0] === START_BYTE) {
            this.input.consume(1);
            this.inGarbage = false;
            this.assembler.begin();
            this.state = 'frame';
            break;
          }
          const start = run.indexOf(START_BYTE);
          const count = start < 0 ? run.length : start;
          const first = run[0];
          this.input.consume(count);
          this.skipped += count;
          if (!this.inGarbage) {
            this.inGarbage = true;
            return { type: 'garbage', firstByte: first };
          }
          break;
        }
        case 'frame': {
          const { used, frame } = this.assembler.feed(run);
          this.input.consume(used);
          if (frame === null) break;
          this.paddingLeft = (REQUEST_ALIGNMENT - (frame.length % REQUEST_ALIGNMENT)) % REQUEST_ALIGNMENT;
          this.state = this.paddingLeft > 0 ? 'padding' : 'between';
          if (frame.oversize || !frame.endOk) {
            return { type: 'malformed', command: frame.command, reason: frame.oversize ? 'oversize' : 'end', length: frame.length };
          }
          return { type: 'request', command: frame.command, params: frame.params, length: frame.length };
        }
        case 'padding': {
          const take = Math.min(this.paddingLeft, run.length);
          this.input.consume(take);
          this.paddingLeft -= take;
          if (this.paddingLeft === 0) this.state = 'between';
          break;
        }
      }
    }
    return undefined;
  }

  /** Forgets everything pushed and any partial frame (module reset). */
  reset(): void {
    this.input.clear();
    this.state = 'between';
    this.paddingLeft = 0;
    this.inGarbage = false;
  }
}

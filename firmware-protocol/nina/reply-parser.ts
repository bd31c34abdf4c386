import { ByteQueue } from '../at/byte-queue.js';
import { replyLengthWidth } from './command-table.js';
import { ERROR_BYTE, MAX_FRAME_LENGTH, REPLY_FLAG, START_BYTE } from './constants.js';
import { FrameAssembler } from './frame-assembler.js';
import type { NinaReplyEvent } from './types.js';

export interface NinaReplyParserOptions {
  /** Longest reply frame kept, START through END (nina-fw's 4092-byte reply buffer). */
  readonly maxFrameLength?: number;
}

type State = 'between' | 'frame' | 'error';

/** The two bytes after ERROR_BYTE in `EF 00 EE`. */
const ERROR_TAIL = 2;

/**
 * Host side of a NINA link on a byte stream: module bytes in, reply frames out. Replies are unpadded
 * on a stream (host-mapping.md), but a module that pads (zeros after END, as nina-fw does on SPI) or
 * line noise costs nothing: bytes where a frame must begin that are neither START nor the error byte
 * are skipped and reported once per run, when the next frame begins.
 *
 * Parameter lengths are 8-bit, or 16-bit big-endian in the replies the table marks (GET_DATABUF_TCP,
 * socket recv/recvfrom); the command byte of the reply decides, so no request state is needed.
 * Pure and pull-based like NinaRequestParser.
 */
export class NinaReplyParser {
  private readonly input = new ByteQueue();
  private readonly assembler: FrameAssembler;
  private state: State = 'between';
  private errorLeft = 0;
  private skippedRun = 0;

  constructor(options: NinaReplyParserOptions = {}) {
    const max = options.maxFrameLength ?? MAX_FRAME_LENGTH;
    if (!Number.isInteger(max) || max < 4) throw new RangeError(`maxFrameLength must be an integer ≥ 4, got ${max}`);
    this.assembler = new FrameAssembler(replyLengthWidth, max);
  }

  push(bytes: Uint8Array): void {
    this.input.push(bytes);
  }

  get unreadLength(): number {
    return this.input.length;
  }

  /** Bytes this parser holds: unread input plus the partial frame's parameters. */
  get bufferedBytes(): number {
    return this.input.length + (this.state === 'frame' ? this.assembler.heldBytes : 0);
  }

  /** True between frames (nothing partial is held). */
  get idle(): boolean {
    return this.state === 'between';
  }

  next(): NinaReplyEvent | undefined {
    for (let run = this.input.run(); run.length > 0; run = this.input.run()) {
      switch (this.state) {
        case 'between': {
          const first = run[0];
          if (first === START_BYTE || first === ERROR_BYTE) {
            if (this.skippedRun > 0) {
              const count = this.skippedRun;
              this.skippedRun = 0;
              return { type: 'skipped', count };
            }
            this.input.consume(1);
            if (first === START_BYTE) {
              this.assembler.begin();
              this.state = 'frame';
            } else {
              this.errorLeft = ERROR_TAIL;
              this.state = 'error';
            }
            break;
          }
          let count = 1;
          while (count < run.length && run[count] !== START_BYTE && run[count] !== ERROR_BYTE) count++;
          this.input.consume(count);
          this.skippedRun += count;
          break;
        }
        case 'error': {
          const take = Math.min(this.errorLeft, run.length);
          this.input.consume(take);
          this.errorLeft -= take;
          if (this.errorLeft > 0) break;
          this.state = 'between';
          return { type: 'error-reply' };
        }
        case 'frame': {
          const { used, frame } = this.assembler.feed(run);
          this.input.consume(used);
          if (frame === null) break;
          this.state = 'between';
          const command = frame.command & ~REPLY_FLAG;
          if (frame.oversize || !frame.endOk) {
            return { type: 'malformed', command, reason: frame.oversize ? 'oversize' : 'end', length: frame.length };
          }
          return { type: 'reply', command, replyFlag: (frame.command & REPLY_FLAG) !== 0, params: frame.params };
        }
      }
    }
    return undefined;
  }

  reset(): void {
    this.input.clear();
    this.state = 'between';
    this.errorLeft = 0;
    this.skippedRun = 0;
  }
}

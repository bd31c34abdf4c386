import { END_BYTE } from './constants.js';
import type { LengthWidth } from './command-table.js';

/** A frame as read from the wire, whatever its validity. */
export interface AssembledFrame {
  /** The command byte as sent (a reply's still has its flag). */
  readonly command: number;
  /** The parameters; empty when `oversize` (they were not kept). */
  readonly params: Uint8Array[];
  /** Bytes from START through END (the declared structure's length). */
  readonly length: number;
  readonly endOk: boolean;
  readonly oversize: boolean;
}

type Phase = 'command' | 'count' | 'length' | 'data' | 'end';

/**
 * Reads the body of one frame after its START byte: command, parameter count, each parameter
 * (length in 1 or 2 bytes as the command requires, then data), END. Incremental: `feed` takes any
 * run of bytes and uses only what the frame needs. A frame declaring more than `maxLength` bytes is
 * still read to its declared end (so the stream stays in step) but its parameters are not kept:
 * memory never exceeds `maxLength` whatever the input.
 */
export class FrameAssembler {
  private phase: Phase = 'command';
  private command = 0;
  private width: LengthWidth = 8;
  private remainingParams = 0;
  private lengthBytesLeft = 0;
  private paramLength = 0;
  private param: Uint8Array | null = null;
  private paramFill = 0;
  private dataLeft = 0;
  private params: Uint8Array[] = [];
  private length = 0;
  private oversize = false;

  constructor(
    private readonly widthOf: (command: number) => LengthWidth,
    private readonly maxLength: number,
  ) {}

  /** Parameter bytes held for the frame being read (never more than the frame limit). */
  get heldBytes(): number {
    let held = this.param === null ? 0 : this.param.length;
    for (const param of this.params) held += param.length;
    return held;
  }

  /** Starts a frame whose START byte was just consumed. */
  begin(): void {
    this.phase = 'command';
    this.params = [];
    this.param = null;
    this.length = 1;
    this.oversize = false;
  }

  /** Consumes from `run`; returns how many bytes were used and the frame once END was read. */
  feed(run: Uint8Array): { used: number; frame: AssembledFrame | null } {
    let at = 0;
    while (at < run.length) {
      if (this.phase === 'data') {
        const take = Math.min(this.dataLeft, run.length - at);
        if (this.param !== null) this.param.set(run.subarray(at, at + take), this.paramFill);
        this.paramFill += take;
        this.dataLeft -= take;
        at += take;
        if (this.dataLeft === 0) this.paramDone();
        continue;
      }
      const byte = run[at++];
      this.length++;
      switch (this.phase) {
        case 'command':
          this.command = byte;
          this.width = this.widthOf(byte);
          this.phase = 'count';
          break;
        case 'count':
          this.remainingParams = byte;
          this.nextParam();
          break;
        case 'length':
          this.paramLength = (this.paramLength << 8) | byte;
          if (--this.lengthBytesLeft === 0) this.startData();
          break;
        case 'end':
          return { used: at, frame: this.finish(byte === END_BYTE) };
      }
    }
    return { used: at, frame: null };
  }

  private nextParam(): void {
    if (this.remainingParams === 0) {
      this.phase = 'end';
      return;
    }
    this.remainingParams--;
    this.paramLength = 0;
    this.lengthBytesLeft = this.width / 8;
    this.phase = 'length';
  }

  private startData(): void {
    // The END byte still follows: a frame that cannot fit the buffer is marked before any data is kept.
    if (this.length + this.paramLength + 1 > this.maxLength) {
      this.oversize = true;
      this.params = [];
    }
    this.param = this.oversize ? null : new Uint8Array(this.paramLength);
    this.paramFill = 0;
    this.dataLeft = this.paramLength;
    this.length += this.paramLength;
    if (this.dataLeft === 0) this.paramDone();
    else this.phase = 'data';
  }

  private paramDone(): void {
    if (this.param !== null) this.params.push(this.param);
    this.param = null;
    this.nextParam();
  }

  private finish(endOk: boolean): AssembledFrame {
    const frame: AssembledFrame = {
      command: this.command,
      params: this.oversize ? [] : this.params,
      length: this.length,
      endOk,
      oversize: this.oversize || this.length > this.maxLength,
    };
    this.params = [];
    return frame;
  }
}

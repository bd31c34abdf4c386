import { ByteQueue, concatBytes, latin1 } from './byte-queue.js';
import { parseCommandLine } from './command-line.js';
import type { ModuleInputEvent } from './types.js';

export type ModuleInputMode = 'command' | 'data' | 'passthrough';

export interface ModuleInputParserOptions {
  /** Longest command line in bytes, CR LF excluded (the firmware's 256-byte buffer). */
  readonly maxLineLength?: number;
}

export interface EnterDataOptions {
  /**
   * AT+CIPSENDEX: stop early at the two bytes `\0` (they are not part of the payload), and turn
   * `\<x>` into `<x>`. The length then counts payload bytes after unescaping, as the firmware
   * stores them (UNSURE: the docs do not say which count is meant).
   */
  readonly sendEx?: boolean;
  /**
   * AT+CIPSENDL: hand the payload on as it arrives (`data-part` events, one per run of input), then
   * an empty `data` event once `length` bytes came. Without it the payload comes whole in `data`.
   */
  readonly stream?: boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const CRLF = new Uint8Array([CR, LF]);

/**
 * Module side of the wire: host bytes in, `ModuleInputEvent`s out. Pull-based: `next()` parses
 * only as far as the next event, so after a `command` event the consumer can switch mode
 * (`enterData` after CIPSEND, `enterPassthrough` after CIPSEND in CIPMODE=1) before any
 * following byte is looked at.
 *
 * Command mode: a line ends at CR LF. Every byte is echoed as it arrives (one `echo` event per
 * run of input), except the LF that completes a line, which is echoed as CR LF: `AT\r\n` echoes
 * `AT\r\r\n` (esp-at.md §1.1). Echo events come whatever the ATE state; the emulator decides
 * whether to send them. An empty line produces no event besides its echo: the emulator sees
 * that echo and, while a command is running, answers `busy p...` as the firmware does;
 * when idle it ignores it.
 * A line longer than `maxLineLength` gives one `rejected 'too-long'` when its CR LF arrives;
 * only its first `maxLineLength` bytes are ever kept.
 *
 * Switching mode drops any partial command line.
 */
export class ModuleInputParser {
  private readonly input = new ByteQueue();
  private readonly pending: ModuleInputEvent[] = [];
  private readonly maxLineLength: number;
  private readonly line: Uint8Array;
  private lineLength = 0;
  private lineOverflow = false;
  private lastWasCr = false;
  private currentMode: ModuleInputMode = 'command';
  private dataParts: Uint8Array[] = [];
  private dataReceived = 0;
  private dataLength = 0;
  private sendEx = false;
  private stream = false;
  private escapePending = false;

  constructor(options: ModuleInputParserOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? 256;
    if (!Number.isInteger(this.maxLineLength) || this.maxLineLength < 1) {
      throw new RangeError(`maxLineLength must be a positive integer, got ${this.maxLineLength}`);
    }
    // One spare byte holds the CR of a line that is exactly maxLineLength long.
    this.line = new Uint8Array(this.maxLineLength + 1);
  }

  get mode(): ModuleInputMode {
    return this.currentMode;
  }

  /** Bytes held for the current command line (never more than maxLineLength + 1). */
  get lineBufferLength(): number {
    return this.lineLength;
  }

  /** Bytes pushed and not yet parsed. */
  get unreadLength(): number {
    return this.input.length;
  }

  /** Payload bytes still expected in data mode (0 otherwise). */
  get dataRemaining(): number {
    return this.currentMode === 'data' ? this.dataLength - this.dataReceived : 0;
  }

  push(chunk: Uint8Array): void {
    this.input.push(chunk);
  }

  next(): ModuleInputEvent | undefined {
    for (;;) {
      const queued = this.pending.shift();
      if (queued !== undefined) return queued;
      if (this.currentMode === 'data' && this.dataReceived >= this.dataLength) {
        this.finishData();
        continue;
      }
      if (this.input.length === 0) return undefined;
      if (this.currentMode === 'command') this.scanCommand();
      else if (this.currentMode === 'data') this.scanData();
      else return this.takePassthrough();
    }
  }

  /** Raw payload mode: the next `length` bytes (no echo, no escapes unless sendEx). */
  enterData(length: number, options: EnterDataOptions = {}): void {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`data length must be a non-negative integer, got ${length}`);
    }
    this.resetLine();
    this.currentMode = 'data';
    this.dataParts = [];
    this.dataReceived = 0;
    this.dataLength = length;
    this.sendEx = options.sendEx === true;
    this.stream = options.stream === true && !this.sendEx;
    this.escapePending = false;
  }

  enterPassthrough(): void {
    this.resetLine();
    this.currentMode = 'passthrough';
  }

  leavePassthrough(): void {
    if (this.currentMode !== 'passthrough') return;
    this.resetLine();
    this.currentMode = 'command';
  }

  /** The payload awaited is called off (`+++` during AT+CIPSENDL): what follows is commands again. */
  cancelData(): void {
    if (this.currentMode !== 'data') return;
    this.resetLine();
    this.dataParts = [];
    this.currentMode = 'command';
  }

  /** Module reset: unread input, partial lines and modes are gone. */
  reset(): void {
    this.input.clear();
    this.pending.length = 0;
    this.resetLine();
    this.dataParts = [];
    this.currentMode = 'command';
  }

  private resetLine(): void {
    this.lineLength = 0;
    this.lineOverflow = false;
    this.lastWasCr = false;
  }

  private scanCommand(): void {
    const run = this.input.run();
    for (let i = 0; i < run.length; i += 1) {
      const byte = run[i];
      if (byte === LF && this.lastWasCr) {
        this.pending.push({ type: 'echo', bytes: concatBytes([run.subarray(0, i), CRLF]) });
        this.input.consume(i + 1);
        this.completeLine();
        return;
      }
      this.lastWasCr = byte === CR;
      if (this.lineLength < this.line.length) this.line[this.lineLength++] = byte;
      else this.lineOverflow = true;
    }
    this.pending.push({ type: 'echo', bytes: run.slice() });
    this.input.consume(run.length);
  }

  private completeLine(): void {
    // The buffer ends with the CR of the terminator unless bytes were dropped.
    const content = this.lineOverflow ? this.maxLineLength : this.lineLength - 1;
    const text = latin1(this.line.subarray(0, content));
    const overflow = this.lineOverflow;
    this.resetLine();
    if (overflow) {
      this.pending.push({ type: 'rejected', line: text, reason: 'too-long' });
      return;
    }
    if (text.length === 0) return;
    const result = parseCommandLine(text);
    this.pending.push(
      result.ok
        ? { type: 'command', command: result.command }
        : { type: 'rejected', line: text, reason: result.reason },
    );
  }

  private scanData(): void {
    const run = this.input.run();
    const wanted = this.dataLength - this.dataReceived;
    if (!this.sendEx) {
      const take = Math.min(wanted, run.length);
      if (this.stream) this.pending.push({ type: 'data-part', bytes: run.slice(0, take) });
      else this.dataParts.push(run.slice(0, take));
      this.dataReceived += take;
      this.input.consume(take);
      return;
    }
    // CIPSENDEX: `length` counts payload bytes after unescaping; `\0` ends the payload early.
    const decoded = new Uint8Array(Math.min(wanted, run.length));
    let used = 0;
    let produced = 0;
    let ended = false;
    while (used < run.length && produced < wanted) {
      const byte = run[used++];
      if (this.escapePending) {
        this.escapePending = false;
        if (byte === ZERO) {
          ended = true;
          break;
        }
        decoded[produced++] = byte;
      } else if (byte === BACKSLASH) {
        this.escapePending = true;
      } else {
        decoded[produced++] = byte;
      }
    }
    this.dataParts.push(decoded.subarray(0, produced));
    this.dataReceived += produced;
    this.input.consume(used);
    if (ended) this.dataLength = this.dataReceived;
  }

  private finishData(): void {
    const bytes = concatBytes(this.dataParts);
    this.dataParts = [];
    this.currentMode = 'command';
    this.pending.push({ type: 'data', bytes });
  }

  private takePassthrough(): ModuleInputEvent {
    const run = this.input.run();
    const bytes = run.slice();
    this.input.consume(run.length);
    return { type: 'passthrough', bytes };
  }
}

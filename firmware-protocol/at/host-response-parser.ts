import { ByteQueue, latin1 } from './byte-queue.js';
import { matchPayloadHeader, type PayloadHeader } from './payload-headers.js';
import type { FirmwareProfile } from './profile.js';
import { classifyLine } from './response-lines.js';
import type { HostEvent } from './types.js';

export interface HostResponseParserOptions {
  /** Longest line kept; the rest of a longer line is dropped (the line is emitted truncated). */
  readonly maxLineLength?: number;
  /** Largest `+IPD` / `+CIPRECVDATA` length believed; a larger header is treated as a plain line. */
  readonly maxPayloadLength?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const PROMPT = 0x3e;
const PLUS = 0x2b;
const COLON = 0x3a;
const COMMA = 0x2c;
/** Payload headers are short: `+IPD,4,2920,"<ipv6>",65535:`; `+MQTTSUBRECV` holds a topic (128 bytes and more). */
const MAX_HEADER_LENGTH = 320;

/**
 * Host side of the wire: module bytes in, `HostEvent`s out (pull-based like the module parser).
 * Line-oriented (a line ends at LF; CRs around it are dropped; blank lines are skipped) with
 * three tokens that are not lines:
 *   - the prompt `>` at the start of a line, emitted at once (nothing follows it until the host
 *     sends data); one space right after it (NonOS `> `) is swallowed;
 *   - `+IPD,...:` followed by exactly <len> raw bytes (active receive);
 *   - `+CIPRECVDATA:<len>,[<"ip">,<port>,]` (2.x) / `+CIPRECVDATA,<len>:` (1.7) followed by raw bytes.
 * Payload bytes are never interpreted, and the byte after a payload starts a new line, so a
 * URC glued to it (`+IPD,0,2:hi0,CLOSED\r\n`) is recognised. Memory is bounded by the line and
 * payload limits whatever arrives.
 *
 * Both dialects are accepted whatever the profile (prompt with or without its space, quoted or
 * bare +IPD remote, both +CIPRECVDATA styles), so a driver survives a firmware it did not expect;
 * `profile` is kept for the consumer.
 */
export class HostResponseParser {
  readonly profile: FirmwareProfile;
  private readonly input = new ByteQueue();
  private readonly maxPayloadLength: number;
  private readonly line: Uint8Array;
  private lineLength = 0;
  /** The line has a byte other than CR (so `>` is no longer at the start of a line). */
  private lineStarted = false;
  /** This line already failed as a payload header: do not try again. */
  private plainLine = false;
  private swallowSpace = false;
  private recvDataRemote = false;
  private passthrough = false;
  private payload: { header: PayloadHeader; bytes: Uint8Array; filled: number } | null = null;

  constructor(profile: FirmwareProfile, options: HostResponseParserOptions = {}) {
    this.profile = profile;
    this.line = new Uint8Array(options.maxLineLength ?? 4096);
    this.maxPayloadLength = options.maxPayloadLength ?? 65536;
  }

  /** 2.x with CIPDINFO=1: `+CIPRECVDATA:<len>,"<ip>",<port>,<data>`. The data may start with `"`, so the consumer says. */
  setRecvDataRemote(on: boolean): void {
    this.recvDataRemote = on;
  }

  enterPassthrough(): void {
    this.passthrough = true;
    this.resetLine();
  }

  leavePassthrough(): void {
    this.passthrough = false;
    this.resetLine();
  }

  get mode(): 'lines' | 'payload' | 'passthrough' {
    if (this.passthrough) return 'passthrough';
    return this.payload === null ? 'lines' : 'payload';
  }

  /** Bytes held for the current line or payload (bounded by the limits). */
  get bufferedLength(): number {
    return this.payload === null ? this.lineLength : this.payload.filled;
  }

  push(chunk: Uint8Array): void {
    this.input.push(chunk);
  }

  next(): HostEvent | undefined {
    while (this.input.length > 0) {
      const run = this.input.run();
      if (this.passthrough) {
        this.input.consume(run.length);
        return { type: 'passthrough', bytes: run.slice() };
      }
      const event = this.payload === null ? this.scanLine(run) : this.fillPayload(run);
      if (event !== undefined) return event;
    }
    return undefined;
  }

  private resetLine(): void {
    this.lineLength = 0;
    this.lineStarted = false;
    this.plainLine = false;
    this.swallowSpace = false;
    this.payload = null;
  }

  private scanLine(run: Uint8Array): HostEvent | undefined {
    for (let i = 0; i < run.length; i += 1) {
      const byte = run[i];
      if (this.swallowSpace) {
        this.swallowSpace = false;
        if (byte === SPACE) continue;
      }
      if (byte === LF) {
        this.input.consume(i + 1);
        return this.finishLine();
      }
      if (byte === PROMPT && !this.lineStarted) {
        this.input.consume(i + 1);
        this.resetLine();
        this.swallowSpace = true;
        return { type: 'prompt' };
      }
      if (byte !== CR) this.lineStarted = true;
      if (this.lineLength < this.line.length) this.line[this.lineLength++] = byte;
      if ((byte === COLON || byte === COMMA) && this.mayBeHeader()) {
        const header = matchPayloadHeader(latin1(this.line.subarray(0, this.lineLength)), this.recvDataRemote);
        if (header !== null) {
          this.input.consume(i + 1);
          if (header.length > this.maxPayloadLength) {
            this.plainLine = true;
            return undefined;
          }
          return this.startPayload(header);
        }
      }
    }
    this.input.consume(run.length);
    return undefined;
  }

  private mayBeHeader(): boolean {
    return !this.plainLine && this.line[0] === PLUS && this.lineLength <= MAX_HEADER_LENGTH;
  }

  private finishLine(): HostEvent | undefined {
    const text = latin1(this.line.subarray(0, this.lineLength)).replace(/^\r+|\r+$/g, '');
    this.resetLine();
    return text.length === 0 ? undefined : classifyLine(text);
  }

  private startPayload(header: PayloadHeader): HostEvent | undefined {
    this.resetLine();
    this.payload = { header, bytes: new Uint8Array(header.length), filled: 0 };
    return header.length === 0 ? this.finishPayload() : undefined;
  }

  private fillPayload(run: Uint8Array): HostEvent | undefined {
    const payload = this.payload!;
    const take = Math.min(run.length, payload.bytes.length - payload.filled);
    payload.bytes.set(run.subarray(0, take), payload.filled);
    payload.filled += take;
    this.input.consume(take);
    return payload.filled === payload.bytes.length ? this.finishPayload() : undefined;
  }

  private finishPayload(): HostEvent {
    const { header, bytes } = this.payload!;
    this.payload = null;
    if (header.kind === 'ipd') return { type: 'ipd', link: header.link, data: bytes, remote: header.remote };
    if (header.kind === 'mqtt-recv') return { type: 'mqtt-recv', link: header.link ?? 0, topic: header.topic ?? '', data: bytes };
    if (header.kind === 'piece') return { type: 'piece', command: header.command ?? '', data: bytes };
    return { type: 'recv-data', data: bytes, remote: header.remote };
  }
}

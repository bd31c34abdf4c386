/**
 * The Telnet layer under RFC 2217: separates data from IAC commands in a byte stream that
 * arrives in arbitrary TCP chunks (a command may be split anywhere, even between IAC and its
 * verb), and escapes data on the way out. Pure: no I/O, no timers.
 */

export const IAC = 0xff;
export const DONT = 0xfe;
export const DO = 0xfd;
export const WONT = 0xfc;
export const WILL = 0xfb;
export const SB = 0xfa;
export const SE = 0xf0;

export const OPTION_BINARY = 0x00;
export const OPTION_ECHO = 0x01;
export const OPTION_SGA = 0x03;
export const OPTION_COM_PORT = 0x2c;

export type NegotiationVerb = typeof WILL | typeof WONT | typeof DO | typeof DONT;

export interface TelnetHandlers {
  /** A run of payload bytes (IAC IAC already undone). */
  data(bytes: Buffer): void;
  /** IAC WILL/WONT/DO/DONT <option>. */
  negotiation(verb: NegotiationVerb, option: number): void;
  /** IAC SB <option> <payload> IAC SE, payload unescaped. */
  subnegotiation(option: number, payload: Buffer): void;
}

/** Longest subnegotiation kept; anything longer is a broken or hostile peer and is truncated. */
const MAX_SUBNEGOTIATION_BYTES = 1024;

const enum State {
  Data,
  Iac,
  Verb,
  Sub,
  SubIac,
}

export class TelnetDecoder {
  private state = State.Data;
  private verb: NegotiationVerb = WILL;
  private sub: number[] = [];

  constructor(private readonly handlers: TelnetHandlers) {}

  /** Feeds one chunk; handlers are called synchronously, in stream order. */
  push(chunk: Uint8Array): void {
    const data = Buffer.allocUnsafe(chunk.length);
    let dataLength = 0;
    const flushData = (): void => {
      if (dataLength === 0) return;
      this.handlers.data(Buffer.from(data.subarray(0, dataLength)));
      dataLength = 0;
    };
    for (const byte of chunk) {
      switch (this.state) {
        case State.Data:
          if (byte === IAC) this.state = State.Iac;
          else data[dataLength++] = byte;
          break;
        case State.Iac:
          if (byte === IAC) {
            data[dataLength++] = IAC;
            this.state = State.Data;
          } else if (byte === WILL || byte === WONT || byte === DO || byte === DONT) {
            this.verb = byte;
            this.state = State.Verb;
          } else if (byte === SB) {
            this.sub = [];
            this.state = State.Sub;
          } else {
            // NOP, GA, BRK, AYT...: two-byte commands with no meaning on a serial line.
            this.state = State.Data;
          }
          break;
        case State.Verb:
          flushData();
          this.state = State.Data;
          this.handlers.negotiation(this.verb, byte);
          break;
        case State.Sub:
          if (byte === IAC) this.state = State.SubIac;
          else this.keepSub(byte);
          break;
        case State.SubIac:
          if (byte === IAC) {
            this.keepSub(IAC);
            this.state = State.Sub;
          } else {
            // IAC SE ends it; any other command here is a protocol error that ends it too.
            flushData();
            this.state = State.Data;
            const [option, ...payload] = this.sub;
            this.sub = [];
            if (option !== undefined) this.handlers.subnegotiation(option, Buffer.from(payload));
          }
          break;
      }
    }
    flushData();
  }

  private keepSub(byte: number): void {
    if (this.sub.length < MAX_SUBNEGOTIATION_BYTES) this.sub.push(byte);
  }
}

/** Doubles every 0xFF so payload bytes are never read as commands. */
export function escapeTelnetData(bytes: Uint8Array): Buffer {
  let count = 0;
  for (const byte of bytes) if (byte === IAC) count += 1;
  if (count === 0) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = Buffer.allocUnsafe(bytes.length + count);
  let at = 0;
  for (const byte of bytes) {
    out[at++] = byte;
    if (byte === IAC) out[at++] = IAC;
  }
  return out;
}

/** IAC <verb> <option>. */
export function negotiationFrame(verb: NegotiationVerb, option: number): Buffer {
  return Buffer.from([IAC, verb, option]);
}

/** IAC SB <option> <payload, IAC doubled> IAC SE. */
export function subnegotiationFrame(option: number, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([IAC, SB, option]), escapeTelnetData(payload), Buffer.from([IAC, SE])]);
}

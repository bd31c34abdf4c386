import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { FinalResult, HostEvent } from '../../firmware-protocol/at/types.js';
import type { HostSerial } from './host-serial.js';

/**
 * A test's AT host on a real serial port: every byte the module sends is kept raw (for
 * byte-for-byte checks) and also parsed by the codec's HostResponseParser (for event checks).
 * Every wait has a deadline.
 */
export class AtHostSession {
  private readonly parser: HostResponseParser;
  private readonly events: HostEvent[] = [];
  private raw = Buffer.alloc(0);
  private waiter: (() => void) | null = null;

  constructor(
    readonly serial: HostSerial,
    profile: FirmwareProfile = DEFAULT_PROFILE,
  ) {
    this.parser = new HostResponseParser(profile);
    serial.port.on('data', (bytes: Buffer) => this.feed(bytes));
  }

  private feed(bytes: Buffer): void {
    this.raw = Buffer.concat([this.raw, bytes]);
    this.parser.push(bytes);
    for (let e = this.parser.next(); e; e = this.parser.next()) this.events.push(e);
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  setRecvDataRemote(on: boolean): void {
    this.parser.setRecvDataRemote(on);
  }

  enterPassthrough(): void {
    this.parser.enterPassthrough();
  }

  leavePassthrough(): void {
    this.parser.leavePassthrough();
  }

  /** Raw bytes received since the last call (consumed). */
  takeRaw(): Buffer {
    const out = this.raw;
    this.raw = Buffer.alloc(0);
    return out;
  }

  async write(bytes: string | Uint8Array): Promise<void> {
    await this.serial.write(bytes);
  }

  /** Waits for the raw stream to contain `text` and returns everything up to and including it. */
  async rawUntil(text: string | Buffer, timeoutMs: number): Promise<Buffer> {
    const needle = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    await this.until(() => this.raw.includes(needle), timeoutMs, `raw ${JSON.stringify(needle.toString('latin1'))}`);
    const end = this.raw.indexOf(needle) + needle.length;
    const out = this.raw.subarray(0, end);
    this.raw = this.raw.subarray(end);
    this.events.length = 0; // raw and parsed views are consumed together
    return Buffer.from(out);
  }

  /** Removes and returns the first event matching `pred`, waiting for it. */
  async next<T extends HostEvent>(pred: (e: HostEvent) => e is T, timeoutMs: number, what: string): Promise<T>;
  async next(pred: (e: HostEvent) => boolean, timeoutMs: number, what: string): Promise<HostEvent>;
  async next(pred: (e: HostEvent) => boolean, timeoutMs: number, what: string): Promise<HostEvent> {
    let found: HostEvent | undefined;
    await this.until(
      () => {
        const i = this.events.findIndex(pred);
        if (i < 0) return false;
        found = this.events.splice(i, 1)[0];
        return true;
      },
      timeoutMs,
      what,
    );
    return found!;
  }

  /** Sends `line` + CR LF and collects every event up to its final result (later events stay pending). */
  async command(line: string, timeoutMs = 3000): Promise<{ final: FinalResult; events: HostEvent[] }> {
    this.events.length = 0;
    this.raw = Buffer.alloc(0);
    await this.write(`${line}\r\n`);
    let result: { final: FinalResult; events: HostEvent[] } | undefined;
    await this.until(
      () => {
        const i = this.events.findIndex((e) => e.type === 'final');
        if (i < 0) return false;
        const taken = this.events.splice(0, i + 1);
        const final = taken.pop() as Extract<HostEvent, { type: 'final' }>;
        result = { final: final.result, events: taken };
        // The raw view restarts after each command, so a later rawUntil() sees only newer bytes.
        this.raw = Buffer.alloc(0);
        return true;
      },
      timeoutMs,
      `final result of ${line}`,
    );
    return result!;
  }

  /**
   * A CIPSEND-style exchange: `line`, the `>` prompt, the payload, then SEND OK / SEND FAIL
   * (ERROR instead of the prompt is returned as is).
   */
  async sendData(line: string, payload: Uint8Array, timeoutMs = 5000): Promise<FinalResult> {
    this.events.length = 0;
    await this.write(`${line}\r\n`);
    const first = await this.next(
      (e) => e.type === 'prompt' || (e.type === 'final' && e.result !== 'OK'),
      timeoutMs,
      `prompt after ${line}`,
    );
    if (first.type === 'final') return first.result;
    await this.write(payload);
    const done = await this.next(
      (e) => e.type === 'final' && (e.result === 'SEND OK' || e.result === 'SEND FAIL'),
      timeoutMs,
      `SEND OK after ${line}`,
    );
    return (done as Extract<HostEvent, { type: 'final' }>).result;
  }

  /** Like command() but requires OK and returns the info lines' texts for `name`. */
  async ok(line: string, timeoutMs = 3000): Promise<HostEvent[]> {
    const { final, events } = await this.command(line, timeoutMs);
    if (final !== 'OK') throw new Error(`${line} answered ${final}; events ${JSON.stringify(events)}`);
    return events;
  }

  /** Events seen and not consumed yet. */
  pending(): HostEvent[] {
    return [...this.events];
  }

  private async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; raw so far ${JSON.stringify(this.raw.toString('latin1').slice(-400))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.waiter = null;
          resolve();
        }, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }
}

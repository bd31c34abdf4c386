import {
  ConnectionStatus,
  NinaCode,
  NinaReplyParser,
  formatRequest,
  type NinaCommandName,
  type NinaReplyEvent,
  type RequestPadding,
} from '../../firmware-protocol/nina/index.js';
import type { ManualClock } from './manual-clock.js';

/** Whatever carries the bytes: the in-process pair's host end, or a serialport on a PTY. */
export interface ByteLink {
  write(bytes: Uint8Array): void | Promise<void>;
  onData(listener: (bytes: Buffer) => void): void;
}

type Reply = Extract<NinaReplyEvent, { type: 'reply' }>;

/**
 * A test's NINA host: formats requests with the codec, parses replies with the codec, and waits for
 * each answer with a deadline. Requests are sent one at a time, like a host on SPI. Given the
 * module's ManualClock, its polls (join) move fake time on instead of sleeping.
 */
export class NinaHostSession {
  private readonly parser = new NinaReplyParser();
  private readonly queue: NinaReplyEvent[] = [];
  private wake: (() => void) | null = null;
  /** Every byte received, for tests that look at the raw stream. */
  readonly received: Buffer[] = [];

  constructor(
    private readonly link: ByteLink,
    private readonly clock?: ManualClock,
  ) {
    link.onData((bytes) => {
      this.received.push(bytes);
      this.parser.push(bytes);
      for (let e = this.parser.next(); e !== undefined; e = this.parser.next()) this.queue.push(e);
      this.wake?.();
    });
  }

  async raw(bytes: Uint8Array): Promise<void> {
    await this.link.write(bytes);
  }

  /** The next reply event (skipped-byte notices are passed over), or a rejection after `timeoutMs`. */
  async next(timeoutMs = 3000): Promise<NinaReplyEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.queue.shift();
      if (event !== undefined && event.type !== 'skipped') return event;
      if (event !== undefined) continue;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no NINA reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  /** True when nothing at all arrives for `ms` (a NINA module never speaks unasked). */
  async silentFor(ms: number): Promise<boolean> {
    const before = this.received.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.received.length === before && this.queue.length === 0;
  }

  /** Sends one request and returns the module's answer, whatever it is. */
  async request(
    name: NinaCommandName,
    params: readonly Uint8Array[] = [],
    options: { pad?: RequestPadding; timeoutMs?: number } = {},
  ): Promise<NinaReplyEvent> {
    await this.raw(formatRequest(NinaCode[name], params, { pad: options.pad }));
    return this.next(options.timeoutMs);
  }

  /** Sends one request, expects its reply (the same command, reply flag set), returns its parameters. */
  async call(name: NinaCommandName, params: readonly Uint8Array[] = [], timeoutMs?: number): Promise<readonly Uint8Array[]> {
    const event = await this.request(name, params, { timeoutMs });
    if (event.type !== 'reply') throw new Error(`${name}: expected a reply, got ${JSON.stringify(event)}`);
    const reply: Reply = event;
    if (reply.command !== NinaCode[name] || !reply.replyFlag) throw new Error(`${name}: reply to 0x${reply.command.toString(16)}`);
    return reply.params;
  }

  /** A one-byte answer. */
  async byte(name: NinaCommandName, params: readonly Uint8Array[] = [], timeoutMs?: number): Promise<number> {
    const reply = await this.call(name, params, timeoutMs);
    if (reply.length !== 1 || reply[0].length !== 1) throw new Error(`${name}: expected one byte, got ${reply.length} params`);
    return reply[0][0];
  }

  /** SET_PASSPHRASE, then GET_CONN_STATUS every 20 ms until CONNECTED (bounded). Returns the last status. */
  async join(ssid: string, passphrase: string, timeoutMs = 5000): Promise<number> {
    const encoder = new TextEncoder();
    await this.byte('SET_PASSPHRASE', [encoder.encode(ssid), encoder.encode(passphrase)]);
    const clock = this.clock;
    const now = (): number => clock?.now() ?? Date.now();
    const deadline = now() + timeoutMs;
    let status: number = ConnectionStatus.NO_SSID_AVAIL;
    while (now() < deadline) {
      status = await this.byte('GET_CONN_STATUS');
      if (status !== ConnectionStatus.NO_SSID_AVAIL && status !== ConnectionStatus.IDLE) return status;
      await (clock ? clock.advance(20) : new Promise((resolve) => setTimeout(resolve, 20)));
    }
    return status;
  }
}

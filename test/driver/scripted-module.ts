/**
 * A scripted ESP-AT module for the engine's tests: it is the driver's HostPort, records every
 * command line and payload it receives, and answers from a small table that a test overrides
 * per command. Bytes can be injected at any moment (URCs mid-command, resets), literally as a
 * module prints them, so the tests pin wire formats rather than trust the codec's formatter.
 */
import type { HostPort } from '../../src/host-port/types.js';

export type Reply = string | Buffer | ((line: string, m: ScriptedModule) => string | Buffer | void);

interface Held {
  data: Buffer;
  from: { ip: string; port: number };
}

export class ScriptedModule implements HostPort {
  readonly path = 'script:';
  /** Command lines received, without CR LF. */
  readonly lines: string[] = [];
  readonly payloads: Buffer[] = [];
  echo = true;
  /** `rtos-2.2`: the 2.x wire forms under ESP-AT 2.2's GMR (a 2.x firmware without AT+CIPSENDL, 2048-byte CIPSEND). */
  profile: '2.x' | 'rtos-2.2' | '1.7' = '2.x';
  /** Per-link module buffers (passive mode). */
  readonly held = new Map<number, Held[]>();
  udpLinks = new Set<number>();
  private readonly overrides: { pattern: RegExp; reply: Reply; times: number }[] = [];
  private listener: ((bytes: Uint8Array) => void) | null = null;
  private closeListener: ((err: Error | null) => void) | null = null;
  private input = Buffer.alloc(0);
  private payloadLeft = 0;
  /** The payload in flight came with AT+CIPSENDL (its end: `+CIPSENDL:<n>,<n>` then SEND OK, no `Recv`). */
  private longSend = false;
  private payloadParts: Buffer[] = [];
  private output: Promise<void> = Promise.resolve();

  on(pattern: RegExp, reply: Reply, times = Number.POSITIVE_INFINITY): this {
    this.overrides.unshift({ pattern, reply, times });
    return this;
  }

  /** Sends module bytes to the driver (in order, asynchronously, like a UART). */
  emit(data: string | Buffer): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.output = this.output.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            this.listener?.(bytes);
            resolve();
          }),
        ),
    );
  }

  /** Data arrives from the network for `link`; passive notice printed. */
  arrive(link: number, data: string | Buffer, from = { ip: '127.0.0.1', port: 80 }, notice = true): void {
    const list = this.held.get(link) ?? [];
    list.push({ data: typeof data === 'string' ? Buffer.from(data) : data, from });
    this.held.set(link, list);
    if (notice) this.emit(`\r\n+IPD,${link},${this.heldLength(link)}\r\n`);
  }

  /** The next `n` bytes from the driver are a CIPSEND payload. */
  expectPayload(n: number): void {
    this.payloadLeft = n;
  }

  heldLength(link: number): number {
    return (this.held.get(link) ?? []).reduce((n, h) => n + h.data.length, 0);
  }

  commands(prefix: string): string[] {
    return this.lines.filter((l) => l.startsWith(prefix));
  }

  /** The sends the driver started: AT+CIPSEND, AT+CIPSENDEX and AT+CIPSENDL lines (not AT+CIPSENDLCFG). */
  sends(): string[] {
    return this.lines.filter((l) => /^AT\+CIPSEND(?:EX|L)?=/.test(l));
  }

  /** Resolves once `predicate` holds over the received lines (bounded). */
  async waitFor(predicate: (lines: string[]) => boolean, ms = 3000): Promise<void> {
    const end = Date.now() + ms;
    while (!predicate(this.lines)) {
      if (Date.now() > end) throw new Error(`timed out; lines: ${this.lines.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  // ---- HostPort ----
  async write(bytes: Uint8Array): Promise<void> {
    this.input = Buffer.concat([this.input, Buffer.from(bytes)]);
    this.drain();
  }
  onData(listener: (bytes: Uint8Array) => void): void {
    this.listener = listener;
  }
  onClose(listener: (err: Error | null) => void): void {
    this.closeListener = listener;
  }
  async close(): Promise<void> {
    this.listener = null;
  }
  /** The device disappears. */
  unplug(): void {
    this.closeListener?.(new Error('unplugged'));
  }

  private drain(): void {
    for (;;) {
      if (this.payloadLeft > 0) {
        if (this.input.length === 0) return;
        const take = this.input.subarray(0, this.payloadLeft);
        this.payloadParts.push(Buffer.from(take));
        this.payloadLeft -= take.length;
        this.input = this.input.subarray(take.length);
        if (this.payloadLeft === 0) {
          const payload = Buffer.concat(this.payloadParts);
          this.payloadParts = [];
          this.payloads.push(payload);
          this.emit(this.longSend ? `+CIPSENDL:${payload.length},${payload.length}\r\n\r\nSEND OK\r\n` : `\r\nRecv ${payload.length} bytes\r\n\r\nSEND OK\r\n`);
        }
        continue;
      }
      const end = this.input.indexOf('\r\n');
      if (end < 0) return;
      const line = this.input.subarray(0, end).toString('latin1');
      this.input = this.input.subarray(end + 2);
      this.lines.push(line);
      if (this.echo) this.emit(`${line}\r\r\n`);
      this.answer(line);
    }
  }

  private answer(line: string): void {
    const override = this.overrides.find((o) => o.times > 0 && o.pattern.test(line));
    if (override) {
      override.times -= 1;
      const out = typeof override.reply === 'function' ? override.reply(line, this) : override.reply;
      if (out !== undefined) this.emit(out);
      return;
    }
    const out = this.standard(line);
    if (out !== undefined) this.emit(out);
  }

  /** A tiny well-behaved module (2.x wire forms unless profile is 1.7). */
  private standard(line: string): string | Buffer | undefined {
    const ok = '\r\nOK\r\n';
    if (line === 'ATE0') {
      this.echo = false;
      return ok;
    }
    if (line === 'AT+GMR') {
      if (this.profile === 'rtos-2.2') return 'AT version:2.2.2.0(6cdf453 - ESP8266 - Nov 18 2024 08:03:40)\r\nSDK version:v3.4-ff16a35\r\n' + ok;
      return this.profile === '2.x'
        ? 'AT version:2.4.0.0(4c6eb5e - ESP32 - May 20 2022 03:12:58)\r\nSDK version:v4.2.2-dirty\r\ncompile time(5c2b3e8):May 20 2022 11:04:25\r\nBin version:2.4.0(WROOM-32)\r\n' + ok
        : 'AT version:1.7.4.0(May 11 2020 19:13:04)\r\nSDK version:3.0.4(9532ceb)\r\ncompiled @ May 27 2020 10:12:17\r\nBin version(Wroom 02):1.7.4\r\n' + ok;
    }
    if (line === 'AT+CWMODE?' || line === 'AT+CWMODE_CUR?') return `+${line.slice(3, -1)}:1\r\n${ok}`;
    if (line === 'AT+CIPSERVER=0') return '\r\nERROR\r\n';
    if (line === 'AT+CIPMUX?') return `+CIPMUX:0\r\n${ok}`;
    if (line === 'AT+UART_CUR?') return `+UART_CUR:115200,8,1,0,0\r\n${ok}`;
    if (line === 'AT+CIFSR') return `+CIFSR:STAIP,"0.0.0.0"\r\n+CIFSR:STAMAC,"24:0a:c4:00:00:01"\r\n${ok}`;
    let m = /^AT\+CIPSTART=(\d),"(TCP|UDP)"/.exec(line);
    if (m) {
      if (m[2] === 'UDP') this.udpLinks.add(Number(m[1]));
      return `${m[1]},CONNECT\r\n${ok}`;
    }
    m = /^AT\+CIPSEND(L?)=(\d),(\d+)/.exec(line);
    if (m) {
      this.longSend = m[1] === 'L';
      this.payloadLeft = Number(m[3]);
      return this.profile !== '1.7' ? `${ok}\r\n>` : `${ok}> `;
    }
    m = /^AT\+CIPRECVDATA=(\d),(\d+)$/.exec(line);
    if (m) return this.recvData(Number(m[1]), Number(m[2]));
    if (line === 'AT+CIPRECVLEN?') {
      const lengths = [0, 1, 2, 3, 4].map((id) => String(this.heldLength(id)));
      return `+CIPRECVLEN:${lengths.join(',')}\r\n${ok}`;
    }
    m = /^AT\+CIPCLOSE=(\d)$/.exec(line);
    if (m) {
      this.held.delete(Number(m[1]));
      return m[1] === '5' ? ok : `${m[1]},CLOSED\r\n${ok}`;
    }
    return ok;
  }

  private recvData(link: number, max: number): string | Buffer {
    const list = this.held.get(link) ?? [];
    const head = list[0];
    if (!head) return '\r\nERROR\r\n';
    let data: Buffer;
    if (this.udpLinks.has(link)) {
      list.shift();
      data = head.data.subarray(0, max);
    } else {
      const all = Buffer.concat(list.map((h) => h.data));
      data = all.subarray(0, max);
      const rest = all.subarray(data.length);
      list.length = 0;
      if (rest.length > 0) list.push({ data: rest, from: head.from });
    }
    const header =
      this.profile !== '1.7'
        ? `+CIPRECVDATA:${data.length},"${head.from.ip}",${head.from.port},`
        : `+CIPRECVDATA,${data.length}:`;
    return Buffer.concat([Buffer.from(header, 'latin1'), data, Buffer.from('\r\nOK\r\n')]);
  }
}

import type { Endpoint, VirtualLink } from '../network/types.js';

/**
 * lwIP's receive window for one TCP socket (TCP_WND = 4 × MSS on the ESP32): beyond it the
 * emulator stops reading from the network, so a peer that outruns the host stalls for real.
 */
export const TCP_RECEIVE_WINDOW = 5744;

/**
 * One TCP (or TLS) connection of the module, as nina-fw's WiFiClient sees its lwIP socket: bytes
 * received wait here until the host asks for them (AVAIL_DATA_TCP, GET_DATABUF_TCP); "connected"
 * lasts while the link is open or unread bytes remain (WiFiClient::connected peeks before saying no).
 */
export class ClientConnection {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private open = true;
  private paused = false;

  constructor(
    readonly link: VirtualLink,
    private readonly onEvent: (what: 'data' | 'closed') => void = () => {},
  ) {
    link.setHandlers({
      onData: (data) => this.received(data),
      onClose: () => {
        this.open = false;
        this.onEvent('closed');
      },
    });
  }

  get remote(): Endpoint {
    return this.link.remote;
  }

  /** Bytes readable now. */
  available(): number {
    return this.buffered;
  }

  connected(): boolean {
    return this.open || this.buffered > 0;
  }

  /** Takes up to `max` bytes (fewer when fewer are buffered). */
  read(max: number): Buffer {
    const parts: Buffer[] = [];
    let wanted = Math.min(max, this.buffered);
    while (wanted > 0) {
      const head = this.chunks[0];
      if (head.length <= wanted) {
        parts.push(this.chunks.shift()!);
        wanted -= head.length;
      } else {
        parts.push(head.subarray(0, wanted));
        this.chunks[0] = head.subarray(wanted);
        wanted = 0;
      }
    }
    const out = Buffer.concat(parts);
    this.buffered -= out.length;
    if (this.paused && this.buffered < TCP_RECEIVE_WINDOW) {
      this.paused = false;
      this.link.resume();
    }
    return out;
  }

  /** The next byte without taking it, or null. */
  peek(): number | null {
    return this.buffered > 0 ? this.chunks[0][0] : null;
  }

  /** Writes everything; resolves with the count the stack took (0 once the link is gone). */
  async write(data: Uint8Array): Promise<number> {
    if (!this.link.isOpen) return 0;
    try {
      await this.link.send(data);
      return data.length;
    } catch {
      return 0;
    }
  }

  /** WiFiClient::stop: the socket is closed; unread bytes are gone with it. */
  stop(): void {
    this.chunks.length = 0;
    this.buffered = 0;
    this.open = false;
    this.link.close();
  }

  private received(data: Buffer): void {
    this.chunks.push(data);
    this.buffered += data.length;
    if (!this.paused && this.buffered >= TCP_RECEIVE_WINDOW) {
      this.paused = true;
      this.link.pause();
    }
    this.onEvent('data');
  }
}

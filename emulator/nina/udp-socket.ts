import { UDP_BUFFER_BYTES } from '../../firmware-protocol/nina/constants.js';
import type { Endpoint, NetworkStack, VirtualLink } from '../network/types.js';

/** Datagrams waiting behind the current one, in bytes (lwIP's receive mailbox; beyond it they drop). */
export const UDP_QUEUE_BYTES = 5760;

const NOWHERE: Endpoint = { ip: '0.0.0.0', port: 0 };

/**
 * nina-fw's WiFiUDP for one socket number, kept for the module's lifetime like the firmware's
 * `udps[]` array (a slot freed by GET_CLIENT_STATE_TCP keeps its UDP socket, as in nina-fw):
 * - begin(port) binds (START_SERVER_TCP mode 1); without it there is nothing to send from.
 * - beginPacket(ip, port) records the destination and empties the staging buffer (START_CLIENT_TCP
 *   mode 1); write() appends up to 1500 bytes (INSERT_DATABUF); endPacket() sends the staged bytes
 *   (SEND_UDP_DATA) and does NOT empty them — only beginPacket does, as in nina-fw.
 * - One received datagram at a time is "current" (1500 bytes kept, the rest of a longer one lost);
 *   available() counts what is left of it; the next is loaded as soon as it is used up, and the
 *   remote (GET_REMOTE_DATA) becomes its sender.
 */
export class UdpSocket {
  private link: VirtualLink | null = null;
  private remoteIp = NOWHERE.ip;
  private remotePort = NOWHERE.port;
  private staging = new Uint8Array(UDP_BUFFER_BYTES);
  private staged = 0;
  private current: Buffer = Buffer.alloc(0);
  private index = 0;
  private readonly queue: Array<{ data: Buffer; from: Endpoint }> = [];
  private queuedBytes = 0;

  constructor(private readonly onEvent: () => void = () => {}) {}

  get bound(): boolean {
    return this.link !== null && this.link.isOpen;
  }

  get localPort(): number | null {
    return this.link?.localPort ?? null;
  }

  get remote(): Endpoint {
    return { ip: this.remoteIp, port: this.remotePort };
  }

  /** Binds a fresh socket on `port` (0 = any); false when the stack refuses. */
  async begin(stack: NetworkStack, port: number): Promise<boolean> {
    this.stop();
    try {
      const link = await stack.openUdp({ remote: NOWHERE, localPort: port });
      this.link = link;
      link.setHandlers({
        onData: (data, from) => this.arrived(data, from),
        onClose: () => {
          if (this.link === link) this.link = null;
        },
      });
      return true;
    } catch {
      return false;
    }
  }

  beginPacket(remote: Endpoint): void {
    this.remoteIp = remote.ip;
    this.remotePort = remote.port;
    this.staged = 0;
  }

  /** Appends to the staged datagram; returns the bytes taken (0 when full). */
  write(data: Uint8Array): number {
    const taken = Math.min(data.length, UDP_BUFFER_BYTES - this.staged);
    this.staging.set(data.subarray(0, taken), this.staged);
    this.staged += taken;
    return taken;
  }

  /** Sends the staged bytes to the recorded destination; false without a bound socket or on failure. */
  async endPacket(): Promise<boolean> {
    const link = this.link;
    if (link === null || !link.isOpen) return false;
    try {
      await link.sendTo(this.staging.slice(0, this.staged), this.remote);
      return true;
    } catch {
      return false;
    }
  }

  available(): number {
    return this.current.length - this.index;
  }

  read(max: number): Buffer {
    const take = Math.min(max, this.available());
    const out = Buffer.from(this.current.subarray(this.index, this.index + take));
    this.index += take;
    this.loadNext();
    return out;
  }

  peek(): number | null {
    return this.available() > 0 ? this.current[this.index] : null;
  }

  /** WiFiUDP::stop: the socket is closed; the destination and staging stay (nina-fw keeps them). */
  stop(): void {
    const link = this.link;
    this.link = null;
    this.current = Buffer.alloc(0);
    this.index = 0;
    this.queue.length = 0;
    this.queuedBytes = 0;
    link?.close();
  }

  private arrived(data: Buffer, from: Endpoint): void {
    if (this.queuedBytes + data.length > UDP_QUEUE_BYTES) return; // dropped, as lwIP drops on a full mailbox
    this.queue.push({ data, from });
    this.queuedBytes += data.length;
    this.loadNext();
    this.onEvent();
  }

  /** nina-fw's GPIO0 task calls parsePacket whenever the current datagram is used up. */
  private loadNext(): void {
    if (this.available() > 0) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    this.queuedBytes -= next.data.length;
    this.current = next.data.subarray(0, UDP_BUFFER_BYTES);
    this.index = 0;
    this.remoteIp = next.from.ip;
    this.remotePort = next.from.port;
  }
}

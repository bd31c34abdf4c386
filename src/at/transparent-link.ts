/**
 * The link of transparent mode (transparent.ts): the raw byte stream both ways, with no framing
 * and no end-of-stream — in that mode the module does not say when the peer closed.
 */
import type { Address, BackendLink, Received } from '../backend.js';
import { osError } from '../errors.js';
import type { OSError } from '../errors.js';
import { ChangeListeners } from '../links/change-listeners.js';
import type { AtClient } from './at-client.js';
import { ACTIVE_BUFFER_LIMIT } from './at-link.js';

/** The link of transparent mode: the raw byte stream, both ways. */
export class TransparentLink implements BackendLink {
  readonly kind: 'tcp' | 'tls';
  failure: OSError | null = null;
  private readonly inbox: Uint8Array[] = [];
  private inboxBytes = 0;
  private state: 'open' | 'closing' | 'closed' = 'open';
  /** The module said the peer closed (`CLOSED` before raw mode began): end of stream after the data. */
  private ended = false;
  /** Raw mode began: closing needs `+++`. */
  raw = false;
  private sending: Promise<unknown> | null = null;
  private readonly listeners = new ChangeListeners();
  private closing: Promise<void> | null = null;

  constructor(
    readonly remote: Address | null,
    kind: 'tcp' | 'tls',
    private readonly client: AtClient,
    private readonly leave: (link: TransparentLink) => Promise<void>,
  ) {
    this.kind = kind;
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** No end-of-stream once raw: in transparent mode the module does not say when the peer closed. */
  readable(): boolean {
    return this.failure !== null || this.inbox.length > 0 || this.ended || this.state !== 'open';
  }

  writable(): boolean {
    return this.failure !== null || this.state !== 'open' || this.sending === null;
  }

  async receive(max: number): Promise<Received | null> {
    if (this.failure) throw this.failure;
    const head = this.inbox[0];
    if (!head) return this.state === 'open' && !this.ended ? null : { data: new Uint8Array(0), from: this.remote };
    if (head.length <= max) this.inbox.shift();
    else this.inbox[0] = head.subarray(max);
    const data = head.subarray(0, max);
    this.inboxBytes -= data.length;
    return { data, from: this.remote };
  }

  /** All of `data`, straight to the UART; resolves once the port took it. */
  async send(data: Uint8Array): Promise<number> {
    if (this.failure) throw this.failure;
    if (this.state !== 'open') throw osError('EBADF');
    if (this.ended) throw osError('ENOTCONN', 'the peer closed the connection');
    const writing = this.client.writeRaw(data);
    this.sending = writing;
    try {
      await writing;
    } catch (err) {
      this.fail(osError('EIO', `write failed: ${(err as Error).message}`, err));
      throw this.failure;
    } finally {
      this.sending = null;
      this.changed();
    }
    return data.length;
  }

  /** Leaves transparent mode (`+++`) and closes the link; the module is back to normal mode. */
  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    this.closing ??= (async () => {
      this.state = 'closing';
      this.changed();
      await this.sending?.catch(() => undefined);
      this.state = 'closed';
      this.inbox.length = 0;
      this.inboxBytes = 0;
      await this.leave(this);
    })();
    return this.closing;
  }

  // ---- the engine's side -----------------------------------------------------------------

  /** Bytes from the UART while in raw mode. */
  deliver(bytes: Uint8Array): void {
    if (this.state !== 'open' || bytes.length === 0) return;
    // No flow control in transparent mode: bound what waits here, as active receive does.
    if (this.inboxBytes + bytes.length > ACTIVE_BUFFER_LIMIT) {
      this.fail(osError('ENOBUFS', `more than ${ACTIVE_BUFFER_LIMIT} unread bytes in transparent mode: data was lost`));
      return;
    }
    this.inbox.push(bytes);
    this.inboxBytes += bytes.length;
    this.changed();
  }

  /** `CLOSED` for the single link while the module could still say so (not in raw mode). */
  peerClosed(): void {
    this.ended = true;
    this.changed();
  }

  fail(err: OSError): void {
    if (this.failure || this.state === 'closed') return;
    this.failure = err;
    this.changed();
  }

  private changed(): void {
    this.listeners.fire();
  }
}

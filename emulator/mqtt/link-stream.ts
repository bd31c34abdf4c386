import { Duplex } from 'node:stream';
import type { StackError, VirtualLink } from '../network/types.js';

/**
 * A virtual link of the network stack as a Node Duplex, for the clients the module runs itself
 * (MQTT.js, ws) to write their protocol on. Reads are pulled: the link is paused while the reader
 * does not want more (the TCP window closes for real). The link's end ends the stream; an error
 * destroys it with the StackError.
 */
export class LinkStream extends Duplex {
  constructor(private readonly link: VirtualLink) {
    super({ allowHalfOpen: false });
    link.setHandlers({
      onData: (data) => {
        if (!this.push(data)) link.pause();
      },
      onClose: (reason, error?: StackError) => {
        if (reason === 'error') this.destroy(error ?? new Error('link failed'));
        else this.push(null);
      },
    });
  }

  override _read(): void {
    this.link.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.link.send(chunk).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.link.close();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.link.isOpen) this.link.abort('local');
    callback(error);
  }

  /** What `ws` and `http` call on a socket; a virtual link has neither Nagle nor idle timers. */
  setNoDelay(): this {
    return this;
  }

  setTimeout(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }
}

/**
 * The argument forms of dgram's `send()` and `bind()`, reduced to one shape each, with Node's
 * defaults: an unconnected udp4 send without an address goes to 127.0.0.1, a message may be a
 * string, any ArrayBufferView or a list of them (sent as one datagram).
 */

export type DatagramMessage = string | NodeJS.ArrayBufferView | readonly (string | NodeJS.ArrayBufferView)[];
export type SendCallback = (error: Error | null, bytes: number) => void;

export interface SendArgs {
  readonly data: Buffer;
  /** Undefined: the connected peer (or an error when not connected). */
  readonly port?: number;
  readonly address?: string;
  readonly callback?: SendCallback;
}

export interface BindArgs {
  readonly port: number;
  readonly address?: string;
  readonly callback?: () => void;
}

function bytesOf(part: string | NodeJS.ArrayBufferView): Buffer {
  return typeof part === 'string' ? Buffer.from(part) : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
}

export function messageBytes(message: DatagramMessage): Buffer {
  if (typeof message === 'string' || ArrayBuffer.isView(message)) return bytesOf(message);
  return Buffer.concat(message.map(bytesOf));
}

/**
 * `send(msg[, offset, length][, port][, address][, callback])`, read as Node reads it: unconnected,
 * a port in fourth place means offset and length came first; connected, a number in third place
 * is the length, and a port or address is an error.
 */
export function sendArgs(args: readonly unknown[], connected: boolean): SendArgs {
  const [message, offset, length, port, address, callback] = args;
  const whole = messageBytes(message as DatagramMessage);
  const slice = (): Buffer => whole.subarray(Number(offset), Number(offset) + Number(length));
  const asCallback = (value: unknown): SendCallback | undefined => (typeof value === 'function' ? (value as SendCallback) : undefined);
  if (!connected) {
    if (address || (port && typeof port !== 'function')) {
      // send(msg, offset, length, port[, address][, callback])
      const to = typeof address === 'string' ? address : undefined;
      return { data: slice(), port: Number(port), address: to, callback: asCallback(to ? callback : address) };
    }
    // send(msg, port[, address][, callback])
    const to = typeof length === 'string' ? length : undefined;
    return { data: whole, port: offset === undefined ? undefined : Number(offset), address: to, callback: asCallback(to ? port : length) };
  }
  if (typeof length === 'number') {
    if (typeof port !== 'function' && (port || address)) throw connectedError();
    return { data: slice(), callback: asCallback(typeof port === 'function' ? port : callback) };
  }
  if (typeof offset !== 'function' && offset !== undefined) throw connectedError();
  return { data: whole, callback: asCallback(offset) };
}

function connectedError(): Error {
  return Object.assign(new Error('Already connected'), { code: 'ERR_SOCKET_DGRAM_IS_CONNECTED' });
}

/** `bind([port][, address][, callback])` or `bind(options[, callback])`. */
export function bindArgs(args: readonly unknown[]): BindArgs {
  const callback = args.find((a): a is () => void => typeof a === 'function');
  const first = args[0];
  if (first !== null && typeof first === 'object') {
    const options = first as { port?: number; address?: string };
    return { port: options.port ?? 0, address: options.address, callback };
  }
  return { port: typeof first === 'number' ? first : 0, address: typeof args[1] === 'string' ? args[1] : undefined, callback };
}

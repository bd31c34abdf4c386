/**
 * Serial over TCP, raw (pyserial's `socket://`): the emulator's `--listen` port, ser2net,
 * esp-link. Bytes pass unchanged; there is no baud rate and no modem line.
 */
import * as net from 'node:net';
import { osError } from '../errors.js';
import type { HostPort } from './types.js';

/** `tcp://host:port` or `socket://host:port` → host and port; null when `device` is not such a URL. */
export function parseTcpDevice(device: string): { host: string; port: number } | null {
  const m = /^(?:tcp|socket):\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(device);
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

export async function openTcpHostPort(device: string): Promise<HostPort> {
  const target = parseTcpDevice(device);
  if (!target) throw osError('EINVAL', `not a tcp://host:port device: ${device}`);
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(target.port, target.host, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code === 'ECONNREFUSED' ? 'ECONNREFUSED' : err.code === 'ETIMEDOUT' ? 'ETIMEDOUT' : 'EIO';
      reject(osError(code, `cannot connect to ${device}: ${err.message}`, err));
    });
  });
  socket.setNoDelay(true);
  let closing = false;
  let closeListener: ((err: Error | null) => void) | null = null;
  let lastError: Error | null = null;
  socket.on('error', (err) => (lastError = err));
  socket.on('close', () => {
    if (!closing) closeListener?.(lastError ?? new Error('the TCP peer closed the connection'));
  });
  return {
    path: device,
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        socket.write(bytes, (err) => (err ? reject(err) : resolve()));
      }),
    onData(listener) {
      socket.on('data', (chunk) => listener(chunk));
    },
    onClose(listener) {
      closeListener = listener;
    },
    pauseInput: () => void socket.pause(),
    resumeInput: () => void socket.resume(),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 200).unref();
      }),
  };
}

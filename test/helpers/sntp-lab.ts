import { createSocket, type Socket } from 'node:dgram';
import { sntpAnswer } from '../../firmware-protocol/sntp.js';
import type { Cleanup, TestHost } from '../emulator/harness.js';

/** An SNTP server on loopback answering every request with `serverTime`; the requests it got, in order. */
export async function startSntpServer(cleanup: Cleanup, serverTime: number): Promise<{ port: number; requests: Buffer[] }> {
  const socket: Socket = createSocket('udp4');
  const requests: Buffer[] = [];
  socket.on('message', (message, rinfo) => {
    requests.push(message);
    socket.send(sntpAnswer(serverTime), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, requests };
}

/** Sends `line` and reads through its final `OK`. */
export async function query(host: TestHost, line: string): Promise<string> {
  host.send(line);
  return host.readThrough('\r\nOK\r\n');
}

/** Asks AT+CIPSNTPTIME? until it matches (bounded: 100 times, 20 ms apart). */
export async function timeUntil(host: TestHost, pattern: RegExp): Promise<string> {
  let text = '';
  for (let i = 0; i < 100; i++) {
    text = await query(host, 'AT+CIPSNTPTIME?\r\n');
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`AT+CIPSNTPTIME? never matched ${String(pattern)}: ${text}`);
}

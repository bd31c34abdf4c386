import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostEvent } from '../../firmware-protocol/at/types.js';
import {
  echoThroughPassive,
  freePort,
  joinAndPrepare,
  pseudoRandomBytes,
  sha256,
  startEchoServer,
  startPtyModule,
  startUdpPeer,
  type EchoServer,
  type PtyModule,
  type UdpPeer,
} from './fixtures.js';

type Ipd = Extract<HostEvent, { type: 'ipd' }>;
const isIpd = (e: HostEvent): e is Ipd => e.type === 'ipd';

describe('virtual module on a PTY: sockets against real loopback peers', () => {
  let mod: PtyModule | undefined;
  let echo: EchoServer | undefined;
  let udp: UdpPeer | undefined;
  const clients: net.Socket[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await mod?.close();
    await echo?.close();
    await udp?.close();
    mod = undefined;
    echo = undefined;
    udp = undefined;
  });

  it('runs a single-link TCP client session: connect, send, +IPD, close', async () => {
    echo = await startEchoServer();
    mod = await startPtyModule();
    const h = mod.host;
    await joinAndPrepare(h, 0);
    const start = await h.command(`AT+CIPSTART="TCP","127.0.0.1",${echo.port}`);
    expect(start.final).toBe('OK');
    expect(start.events).toContainEqual({ type: 'urc', urc: { kind: 'connect', link: null } });
    expect(await h.sendData('AT+CIPSEND=4', Buffer.from('ping'))).toBe('SEND OK');
    const ipd = await h.next(isIpd, 2000, '+IPD');
    expect(ipd.link).toBeNull();
    expect(Buffer.from(ipd.data).toString()).toBe('ping');
    const close = await h.command('AT+CIPCLOSE');
    expect(close.final).toBe('OK');
    expect(close.events).toContainEqual({ type: 'urc', urc: { kind: 'closed', link: null } });
  });

  it('carries UDP with CIPDINFO remote info, both ways', async () => {
    udp = await startUdpPeer((d) => Buffer.concat([Buffer.from('re:'), d]));
    mod = await startPtyModule();
    const h = mod.host;
    await joinAndPrepare(h, 1);
    await h.ok('AT+CIPDINFO=1');
    await h.ok(`AT+CIPSTART=4,"UDP","127.0.0.1",${udp.port},0,0`);
    expect(await h.sendData('AT+CIPSEND=4,3', Buffer.from('abc'))).toBe('SEND OK');
    const ipd = await h.next(isIpd, 3000, '+IPD');
    expect(ipd.link).toBe(4);
    expect(ipd.remote).toEqual({ ip: '127.0.0.1', port: udp.port });
    expect(Buffer.from(ipd.data).toString()).toBe('re:abc');
    expect(udp.received[0].data.toString()).toBe('abc');
  });

  it('moves 1 MiB through passive receive mode to an echo server, sha256 equal both ways', async () => {
    echo = await startEchoServer();
    mod = await startPtyModule();
    const h = mod.host;
    await joinAndPrepare(h, 1);
    await h.ok('AT+CIPRECVMODE=1');
    await h.ok(`AT+CIPSTART=0,"TCP","127.0.0.1",${echo.port}`);
    const payload = pseudoRandomBytes(1024 * 1024);
    const back = await echoThroughPassive(h, payload);
    expect(echo.receivedBytes()).toBe(payload.length);
    expect(echo.receivedDigest()).toBe(sha256(payload));
    expect(back.length).toBe(payload.length);
    expect(sha256(back)).toBe(sha256(payload));
  }, 60_000);

  it('serves two TCP clients through AT+CIPSERVER', async () => {
    mod = await startPtyModule();
    const h = mod.host;
    await joinAndPrepare(h, 1);
    const port = await freePort();
    await h.ok(`AT+CIPSERVER=1,${port}`);
    const connectClient = async (): Promise<net.Socket> => {
      const c = net.connect(port, '127.0.0.1');
      clients.push(c);
      await new Promise<void>((resolve, reject) => {
        c.once('connect', resolve);
        c.once('error', reject);
      });
      return c;
    };
    const a = await connectClient();
    await h.next((e) => e.type === 'urc' && e.urc.kind === 'connect' && e.urc.link === 0, 3000, '0,CONNECT');
    const b = await connectClient();
    await h.next((e) => e.type === 'urc' && e.urc.kind === 'connect' && e.urc.link === 1, 3000, '1,CONNECT');
    a.write('from a');
    const ia = await h.next(isIpd, 3000, '+IPD from a');
    expect([ia.link, Buffer.from(ia.data).toString()]).toEqual([0, 'from a']);
    b.write('from b');
    const ib = await h.next(isIpd, 3000, '+IPD from b');
    expect([ib.link, Buffer.from(ib.data).toString()]).toEqual([1, 'from b']);
    const gotB = new Promise<string>((resolve) => b.once('data', (d) => resolve(d.toString())));
    expect(await h.sendData('AT+CIPSEND=1,5', Buffer.from('hi, b'))).toBe('SEND OK');
    expect(await gotB).toBe('hi, b');
    a.end();
    await h.next((e) => e.type === 'urc' && e.urc.kind === 'closed' && e.urc.link === 0, 3000, '0,CLOSED');
  });

  it('round-trips transparent mode and leaves it on +++', async () => {
    echo = await startEchoServer();
    mod = await startPtyModule();
    const h = mod.host;
    await joinAndPrepare(h, 0);
    await h.ok(`AT+CIPSTART="TCP","127.0.0.1",${echo.port}`);
    await h.ok('AT+CIPMODE=1');
    await h.write('AT+CIPSEND\r\n');
    await h.rawUntil('>', 2000);
    const data = pseudoRandomBytes(10_000, 7);
    await h.write(data);
    const back = await h.rawUntil(data.subarray(-64), 5000);
    expect(sha256(back)).toBe(sha256(data));
    await new Promise((r) => setTimeout(r, 100));
    await h.write('+++');
    await new Promise((r) => setTimeout(r, 1100));
    await h.ok('AT+CIPMODE=0');
    expect(echo.receivedBytes()).toBe(data.length);
  });
});

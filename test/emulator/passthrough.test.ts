import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/manual-clock.js';
import type { Bench, TestHost } from './harness.js';
import { Cleanup, TcpPeer, joinLab, startBench, waitUntil } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/**
 * On fake time: the +++ guard and the packing time are the module's timers, so the tests move
 * time on (host and peer waits do it too) instead of sleeping through them.
 */
async function fakeTimeBench(): Promise<Bench & { peer: TcpPeer; clock: ManualClock }> {
  const clock = new ManualClock();
  const peer = await TcpPeer.start(cleanup, undefined, clock);
  return { ...(await startBench(cleanup, { clock })), peer, clock };
}

/** Joined, single-link, CIPMODE=1, one TCP link to `peer`, in passthrough. */
async function enterPassthrough(host: TestHost, peer: TcpPeer): Promise<void> {
  await joinLab(host);
  await host.exchange('AT+CIPMODE=1\r\n', '\r\nOK\r\n');
  await host.exchange('AT+CIPMODE?\r\n', '+CIPMODE:1\r\n\r\nOK\r\n');
  await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
  await host.exchange('AT+CIPSEND=5\r\n', '\r\nERROR\r\n');
  await host.exchange('AT+CIPSEND\r\n', '\r\nOK\r\n\r\n>');
}

/** Joined already: CIPMODE=1, one TCP link to `peer`, in passthrough. */
async function enterPassthroughOnLink(host: TestHost, peer: TcpPeer): Promise<void> {
  await host.exchange('AT+CIPMODE=1\r\n', '\r\nOK\r\n');
  await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
  await host.exchange('AT+CIPSEND\r\n', '\r\nOK\r\n\r\n>');
}

/** `+++` by the rule: silence, the three together, silence. */
async function escape(host: TestHost): Promise<void> {
  await host.pause(40);
  host.send('+++');
  await host.pause(60);
}

describe('transparent transmission (esp-at.md §4 CIPMODE, +++)', () => {
  it('refuses CIPMODE=1 with CIPMUX=1 and CIPMUX=1 with CIPMODE=1', async () => {
    const { host } = await fakeTimeBench();
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPMODE=1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPMUX=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPMUX=1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND\r\n', '\r\nERROR\r\n');
  });

  it('carries bytes both ways raw, leaves on +++ and keeps the link open', async () => {
    const { host, peer } = await fakeTimeBench();
    await enterPassthrough(host, peer);
    host.send('hello\r\nAT\r\n');
    expect((await peer.waitForBytes(0, 11)).toString()).toBe('hello\r\nAT\r\n');
    peer.sockets[0].write('+IPD,world\r\nOK\r\n');
    await host.expect('+IPD,world\r\nOK\r\n');
    await escape(host);
    await host.exchange('AT\r\n', '\r\nOK\r\n');
    host.send('AT+CIPSTATUS\r\n');
    expect(await host.readThrough('\r\nOK\r\n')).toContain('+CIPSTATUS:0,"TCP","127.0.0.1"');
    expect(peer.received[0].toString()).toBe('hello\r\nAT\r\n');
    // Data that arrives in command mode is +IPD again; AT+CIPSEND re-enters.
    peer.sockets[0].write('hi');
    await host.expect('\r\n+IPD,2:hi');
    await host.exchange('AT+CIPSEND\r\n', '\r\nOK\r\n\r\n>');
    host.send('again');
    expect((await peer.waitForBytes(0, 16)).toString()).toBe('hello\r\nAT\r\nagain');
  });

  it('treats + bytes without the guard times as data', async () => {
    const { host, peer } = await fakeTimeBench();
    await enterPassthrough(host, peer);
    host.send('a+++b');
    await host.pause(40);
    host.send('+++x');
    await host.pause(40);
    host.send('++');
    await host.pause(40);
    host.send('++++');
    expect((await peer.waitForBytes(0, 15)).toString()).toBe('a+++b+++x++++++');
    await escape(host);
    await host.exchange('AT\r\n', '\r\nOK\r\n');
    expect(peer.received[0].toString()).toBe('a+++b+++x++++++');
  });

  it('packs large input into packets and delivers all of it', async () => {
    const { host, peer } = await fakeTimeBench();
    await enterPassthrough(host, peer);
    const data = Buffer.alloc(10_000);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    host.send(data);
    expect((await peer.waitForBytes(0, data.length)).equals(data)).toBe(true);
  });

  it('2.x stays in passthrough when the link breaks and reconnects every AT+CIPRECONNINTV (silently by default)', async () => {
    const { host, peer, clock } = await fakeTimeBench();
    await joinLab(host);
    await host.exchange('AT+CIPRECONNINTV=5\r\n', '\r\nOK\r\n');
    await enterPassthroughOnLink(host, peer);
    await waitUntil(() => peer.sockets.length === 1, 'the client', 3000, clock);
    peer.sockets[0].end('last words');
    // Nothing but the data: no CLOSED without AT+SYSMSG bit 2, and no command mode either.
    await host.expect('last words');
    await host.expectSilence(100);
    await waitUntil(() => peer.sockets.length === 2, 'the reconnection (500 ms later)', 3000, clock);
    host.send('again');
    expect((await peer.waitForBytes(1, 5)).toString()).toBe('again');
    peer.sockets[1].write('back');
    await host.expect('back');
    await escape(host);
    await host.exchange('AT+CIPMODE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPCLOSE\r\n', 'CLOSED\r\n\r\nOK\r\n');
  });

  it('with AT+SYSMSG bit 2 says CLOSED and CONNECT in passthrough; +++ during the break ends the attempts', async () => {
    const { host, peer, clock } = await fakeTimeBench();
    await joinLab(host);
    await host.exchange('AT+SYSMSG=4\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPRECONNINTV=10\r\n', '\r\nOK\r\n');
    await enterPassthroughOnLink(host, peer);
    await waitUntil(() => peer.sockets.length === 1, 'the client', 3000, clock);
    peer.sockets[0].destroy();
    await host.expect('CLOSED\r\n');
    await host.expect('CONNECT\r\n');
    peer.sockets[1].destroy();
    await host.expect('CLOSED\r\n');
    // The host's bytes while the link is down go nowhere.
    host.send('lost');
    await escape(host);
    // Back in command mode, no link (4: the transmission is disconnected), and no more attempts.
    await host.exchange('AT+CIPSTATUS\r\n', 'STATUS:4\r\n\r\nOK\r\n');
    await host.expectSilence(2000);
    expect(peer.sockets.length).toBe(2);
  });

  it('prints +QUITT on exit with AT+SYSMSG bit 0', async () => {
    const { host, peer } = await fakeTimeBench();
    await joinLab(host);
    await host.exchange('AT+SYSMSG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND\r\n', '\r\nOK\r\n\r\n>');
    await escape(host);
    await host.expect('\r\n+QUITT\r\n');
  });
});

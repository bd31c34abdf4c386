import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { Cleanup, LAB, LAB_AP, TcpPeer, joinLab, sleep, waitUntil } from '../emulator/harness.js';
import { ipv6LoopbackAvailable } from '../helpers/ipv6-loopback.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { startFaultBench } from './bench.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Every module here runs on fake time: fault triggers, rejoins and slow DNS failures are its timers. */

describe('network faults', () => {
  it('tcp-reset@#1 on received data: CLOSED instead of +IPD, the real socket torn down', async () => {
    const { host, faults, tracer } = await startFaultBench(cleanup, { clock: new ManualClock() });
    const peer = await TcpPeer.start(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await peer.waitForClients(1);
    faults.apply('tcp-reset@#1');
    peer.sockets[0].write('hello');
    await host.expect('0,CLOSED\r\n');
    const socket = peer.sockets[0];
    await waitUntil(() => socket.destroyed || socket.readableEnded, 'the peer socket to end');
    expect(tracer.faults()).toEqual([expect.stringMatching(/^FAULT tcp-reset: 127\.0\.0\.1:\d+ .* reset by peer on received data$/)]);
  });

  it('tcp-reset on a send: Recv, SEND FAIL, then CLOSED', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    const peer = await TcpPeer.start(cleanup);
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    faults.apply('tcp-reset@#1');
    await host.exchange('AT+CIPSEND=5\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('hello', '\r\nRecv 5 bytes\r\n\r\nSEND FAIL\r\nCLOSED\r\n');
    await sleep(30);
    expect(peer.received[0].length).toBe(0);
  });

  it('tcp-reset now, only on the links of one port', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    const a = await TcpPeer.start(cleanup);
    const b = await TcpPeer.start(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${a.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=1,"TCP","127.0.0.1",${b.port}\r\n`, '1,CONNECT\r\n\r\nOK\r\n');
    expect(faults.apply(`tcp-reset:port=${b.port}`)).toBe('tcp-reset: 1 link reset');
    await host.expect('1,CLOSED\r\n');
    expect(faults.apply('tcp-reset')).toBe('tcp-reset: 1 link reset');
    await host.expect('0,CLOSED\r\n');
    expect(faults.apply('tcp-reset')).toBe('tcp-reset: 0 links reset');
  });

  it('dns-fail: a name lookup fails (DNS Fail on 1.7), numeric addresses are untouched', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock(), profile: 'esp8266-at-1.7' });
    const peer = await TcpPeer.start(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE_CUR=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWJAP_CUR="copro-lab","labpass123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    faults.apply('dns-fail@#1');
    await host.exchange('AT+CIPDOMAIN="peer.lab"\r\n', 'DNS Fail\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPDOMAIN="peer.lab"\r\n', '+CIPDOMAIN:127.0.0.1\r\n\r\nOK\r\n');
    faults.apply('dns-fail');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    expect(faults.status().injected['dns-fail']).toBe(1);
  });

  it('dns-fail:after= fails late; the module is busy meanwhile (E13)', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    await joinLab(host);
    faults.apply('dns-fail:after=300ms');
    host.send('AT+CIPDOMAIN="peer.lab"\r\n');
    await host.pause(50);
    await host.exchange('AT\r\n', '\r\nbusy p...\r\n');
    await host.expect('\r\nERROR\r\n', 3000);
  });
});

describe('the network fault layer passes every option on', () => {
  it('an IPv6-only lookup and an IPv6 server keep their family with faults armed', async () => {
    const world = parseWorldConfig({ timing: { scale: 0.01 }, accessPoints: [{ ...LAB_AP, ipv6Prefix: '2001:db8:10::' }], hosts: { 'both.lab': ['127.0.0.1', '::1'] } });
    const { emu, host } = await startFaultBench(cleanup, { world, faults: ['dns-fail@#50'] });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPV6=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.expect('WIFI GOT IPv6 LL\r\n', 2000);
    await host.expect('WIFI GOT IPv6 GL\r\n', 2000);
    await host.exchange('AT+CIPDOMAIN="both.lab",3\r\n', '+CIPDOMAIN:"::1"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDOMAIN="both.lab",2\r\n', '+CIPDOMAIN:"127.0.0.1"\r\n\r\nOK\r\n');
    if (!(await ipv6LoopbackAvailable())) return;
    await host.exchange('AT+CIPMUX=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSERVER=1,8080,"TCPv6"\r\n', '\r\nOK\r\n');
    expect(emu.stack.openServers[0].hostEndpoint.ip).toBe('::1');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, TcpPeer, joinLab, waitUntil } from '../emulator/harness.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { startFaultBench } from './bench.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Every module here runs on fake time: fault triggers, rejoins and slow DNS failures are its timers. */

describe('module faults', () => {
  it('reset@#2: the second command is met by a reset, `ready`, echo back on', async () => {
    const { host, tracer } = await startFaultBench(cleanup, { clock: new ManualClock(), faults: ['reset@#2'] });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    host.send('AT+GMR\r\n');
    await host.expect('\r\nready\r\n');
    // Echo is on again after the reset, as after any boot.
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
    expect(tracer.faults()).toEqual([expect.stringMatching(/^FAULT reset: module resets \(at AT\+GMR\)/)]);
  });

  it('a reset takes the links: the peer sees its connection end, the host sees no CLOSED', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    const peer = await TcpPeer.start(cleanup);
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await peer.waitForClients(1);
    expect(faults.apply('reset')).toMatch(/^reset: module resets/);
    await host.expect('\r\nready\r\n');
    const socket = peer.sockets[0];
    await waitUntil(() => socket.readableEnded || socket.destroyed, 'the peer to see the link go');
    // No link line: the link is simply gone (STATUS 5: the reset also forgot the AP).
    await host.exchange('AT+CIPSTATUS\r\n', 'AT+CIPSTATUS\r\r\nSTATUS:5\r\n\r\nOK\r\n');
  });

  it('busy-p@#1 refuses one command with `busy p...`; resent, it runs', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock(), faults: ['busy-p@#1'] });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nbusy p...\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    expect(faults.status().injected['busy-p']).toBe(1);
  });

  it('busy-s and after-ok: a stray `busy s...` right after the answer', async () => {
    const { host } = await startFaultBench(cleanup, { clock: new ManualClock(), faults: ['busy-s@#2:after-ok'] });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\nbusy s...\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });

  it('busy-p now: an unsolicited line, with ERR CODE first under AT+SYSLOG=1', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    faults.apply('busy-p');
    await host.expect('ERR CODE:0x010b0000\r\n\r\nbusy p...\r\n');
  });

  it('wifi-drop: WIFI DISCONNECT, the link CLOSED, then the rejoin with its URCs', async () => {
    const { host, faults, tracer } = await startFaultBench(cleanup, { clock: new ManualClock() });
    const peer = await TcpPeer.start(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    expect(faults.apply('wifi-drop:rejoin=50ms')).toBe('wifi-drop: AP lost, back in 50 ms');
    await host.expect('WIFI DISCONNECT\r\n0,CLOSED\r\n');
    await host.expect('WIFI CONNECTED\r\nWIFI GOT IP\r\n');
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:2,"copro-lab"\r\n\r\nOK\r\n');
    expect(tracer.faults()[0]).toMatch(/^FAULT wifi-drop: AP lost \(now\); back in 50 ms/);
  });

  it('wifi-drop without rejoin stays down; AT+CWQAP cancels a pending rejoin', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    await joinLab(host);
    faults.apply('wifi-drop:rejoin=never');
    await host.expect('WIFI DISCONNECT\r\n');
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:4,"copro-lab"\r\n\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="copro-lab","labpass123"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    faults.apply('wifi-drop:rejoin=80ms');
    await host.expect('WIFI DISCONNECT\r\n');
    await host.exchange('AT+CWQAP\r\n', '\r\nOK\r\n');
    await host.expectSilence(200);
  });

  it('time triggers fire on their own: reset@100ms', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    faults.apply('reset@100ms');
    await host.expect('\r\nready\r\n', 3000);
    expect(faults.status().armed[0]).toMatchObject({ spec: 'reset@100ms', fired: 1, spent: true });
  });
});

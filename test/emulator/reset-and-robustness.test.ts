import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { ESP32_AT_2X } from '../../firmware-protocol/at/profiles.js';
import type { HostEvent } from '../../firmware-protocol/at/types.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, TcpPeer, joinLab, sleep, startBench, waitUntil } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('AT+RST mid-session (esp-at.md §7 item 5)', () => {
  it('answers OK, drops every link and the server silently, prints ready, restores boot defaults', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { emu, host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDINFO=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWAUTOCONN=0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSERVER=1,18340\r\n', '\r\nOK\r\n');
    await peer.waitForClients(1);
    let peerClosed = false;
    peer.sockets[0].on('close', () => (peerClosed = true));
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await waitUntil(() => peerClosed, 'the peer to see the link gone');
    expect(emu.stack.openServers).toHaveLength(0);
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPMUX?\r\n', '+CIPMUX:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPMODE?\r\n', '+CIPMODE:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPRECVMODE?\r\n', '+CIPRECVMODE:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDINFO?\r\n', '+CIPDINFO:false\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJAP?\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSTATUS\r\n', 'STATUS:1\r\n\r\nOK\r\n');
    // The stored AP is kept (SYSSTORE=1): a plain AT+CWJAP rejoins it.
    await host.exchange('AT+CWJAP\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
  });

  it('abandons a payload in progress on a hardware reset', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { emu, host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=10\r\n', '\r\nOK\r\n\r\n>');
    host.send('half');
    await sleep(10);
    emu.host!.control({ type: 'reset' });
    await host.expect('\r\nready\r\n');
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
  });

  it('loses the bytes a host sends while it reboots: no echo, no busy p..., no answer', async () => {
    // Boot at half its real length, on fake time: the line surely lands inside the reboot.
    const world = parseWorldConfig({ timing: { scale: 0.5 } });
    const clock = new ManualClock();
    const { host } = await startBench(cleanup, { world, clock });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.exchange('AT\r\n', '\r\nready\r\n');
    // Nothing of that line is left half-read either: the next line runs alone (echo is on again).
    await host.exchange('AT+GMR=?\r\n', 'AT+GMR=?\r\r\n\r\nERROR\r\n');
  });
});

describe('robustness', () => {
  it('waits for a partial payload forever without stalling the network side', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=0,6\r\n', '\r\nOK\r\n\r\n>');
    host.send('abc');
    await peer.waitForClients(1);
    peer.sockets[0].write('in');
    await host.expect('\r\n+IPD,0,2:in');
    await host.expectSilence(30);
    host.send('def');
    await host.expect('\r\nRecv 6 bytes\r\n\r\nSEND OK\r\n');
    expect((await peer.waitForBytes(0, 6)).toString()).toBe('abcdef');
  });

  it('answers every complete line of arbitrary input and keeps working', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    const line = fc
      .array(fc.constantFrom('A', 'T', '+', '=', '?', ',', '"', '\\', '1', 'C', 'W', 'I', 'P', 'X', ' ', '\x00', '\xff'), {
        maxLength: 40,
      })
      .map((chars) => chars.join(''));
    const samples = fc.sample(line, { numRuns: 60, seed: 1234 });
    // Commands that change state, reboot, or wait for data are left out: each line gets one final.
    const safe = samples.filter((text) => !/RST|RESTORE|CIPSEND|CWJAP|CWLAP|CIPSTART|CIPDOMAIN|CWMODE|CWQAP|ATE|CIPSERVER|SYSLOG|CIPMUX|CIPMODE|UART|SYS/.test(text));
    const parser = new HostResponseParser(ESP32_AT_2X);
    const finals: HostEvent[] = [];
    for (const text of safe.filter((candidate) => candidate.length > 0)) {
      host.send(`${text}\r\n`);
      await host.waitFor((pending) => /\r\n(OK|ERROR)\r\n$/.test(pending.toString('latin1')), `a final for ${JSON.stringify(text)}`);
      parser.push(host.pending);
      for (let event = parser.next(); event; event = parser.next()) if (event.type === 'final') finals.push(event);
      await host.readThrough(host.pending.toString('latin1'));
    }
    expect(finals.length).toBe(safe.filter((candidate) => candidate.length > 0).length);
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });
});

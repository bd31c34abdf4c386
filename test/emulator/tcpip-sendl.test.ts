/**
 * AT+CIPSENDL / AT+CIPSENDLCFG (TCP-IP_AT_Commands.rst v2.4): the payload goes to the link in
 * transmit-size blocks while the UART still brings it; `+CIPSENDL:<had sent>,<port recv>` at each
 * report-size mark and once more with the total; SEND OK once everything was taken.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, TcpPeer, joinLab, sleep, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function pattern(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('AT+CIPSENDL', () => {
  it('hands blocks on as they come, reports at each mark and the total, then SEND OK', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSENDLCFG?\r\n', '+CIPSENDLCFG:1024,2920\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSENDLCFG=1000,1000\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSENDLCFG?\r\n', '+CIPSENDLCFG:1000,1000\r\n\r\nOK\r\n');
    const data = pattern(2500, 7);
    await host.exchange('AT+CIPSENDL=0,2500\r\n', '\r\nOK\r\n\r\n>');
    // The first 1200 bytes: one 1000-byte block leaves at once, reported with what the UART brought.
    host.send(data.subarray(0, 1200));
    await host.expect('+CIPSENDL:1000,1200\r\n');
    expect((await peer.waitForBytes(0, 1000)).subarray(0, 1000).equals(data.subarray(0, 1000))).toBe(true);
    host.send(data.subarray(1200));
    await host.expect('+CIPSENDL:2000,2500\r\n+CIPSENDL:2500,2500\r\n\r\nSEND OK\r\n');
    expect((await peer.waitForBytes(0, 2500)).equals(data)).toBe(true);
    // A length that is a multiple of the report size is reported once.
    await host.exchange('AT+CIPSENDL=0,1000\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange(data.subarray(0, 1000).toString('latin1'), '+CIPSENDL:1000,1000\r\n\r\nSEND OK\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });

  it('answers SEND FAIL when the link is gone, ERROR without a link, and refuses bad sizes', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CIPSENDL=10\r\n', '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSENDL=0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSENDLCFG=99\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSENDLCFG=100,2921\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSENDL=3000\r\n', '\r\nOK\r\n\r\n>');
    host.send(pattern(100, 1));
    await peer.waitForClients(1);
    peer.sockets[0]?.destroy();
    await host.expect('CLOSED\r\n');
    host.send(pattern(2900, 2));
    await host.expect('\r\nSEND FAIL\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });

  it('+++ alone (20 ms of silence around it) cancels: what came before was sent, then SEND CANCELLED and commands again', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSENDL=3000\r\n', '\r\nOK\r\n\r\n>');
    host.send('before');
    expect((await peer.waitForBytes(0, 6)).toString()).toBe('before');
    await sleep(40);
    host.send('+++');
    await host.expect('\r\nSEND CANCELLED\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\n');
    await host.expectSilence(30);
    expect(peer.received[0].toString()).toBe('before');
    // A +++ inside the payload's flow (no silence before it) is data.
    await host.exchange('AT+CIPSENDL=8\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('ab+++cde', '+CIPSENDL:8,8\r\n\r\nSEND OK\r\n');
    expect((await peer.waitForBytes(0, 14)).toString()).toBe('beforeab+++cde');
    // As the payload's last bytes, after a silence, it is data too: the payload is complete.
    await host.exchange('AT+CIPSENDL=5\r\n', '\r\nOK\r\n\r\n>');
    host.send('xy');
    await sleep(40);
    await host.exchange('+++', '+CIPSENDL:5,5\r\n\r\nSEND OK\r\n');
    expect((await peer.waitForBytes(0, 19)).toString()).toBe('beforeab+++cdexy+++');
  });
});

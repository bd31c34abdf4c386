import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, TcpPeer, joinLab, startBench, udpPeer, waitUntil } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const V17 = { profile: 'esp8266-at-1.7' } as const;

describe('ESP8266 NonOS AT 1.7 wire forms (esp-at.md §7.1)', () => {
  it('prints the error words before ERROR', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup, V17);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'no ip\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWMODE_DEF=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWJAP_DEF="copro-lab","labpass123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTART="TCP","nowhere.invalid",80\r\n', 'DNS Fail\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPDOMAIN="nowhere.invalid"\r\n', 'DNS Fail\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPDOMAIN="peer.lab"\r\n', '+CIPDOMAIN:127.0.0.1\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=4\r\n', 'link is not valid\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPCLOSE\r\n', 'UNLINK\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPSTATUS\r\n', 'STATUS:2\r\n\r\nOK\r\n');
    await host.exchange('AT+CWSTATE?\r\n', '\r\nERROR\r\n');
  });

  it('uses the "> " prompt, a 2048-byte send limit, and unquoted +IPD remotes', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup, V17);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=0,2049\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=0,2\r\n', '\r\nOK\r\n> ');
    await host.exchange('hi', '\r\nRecv 2 bytes\r\n\r\nSEND OK\r\n');
    await host.exchange('AT+CIPDINFO=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDINFO?\r\n', '\r\nERROR\r\n');
    await peer.waitForClients(1);
    peer.sockets[0].write('yo');
    await host.expect(`\r\n+IPD,0,2,127.0.0.1,${peer.port}:yo`);
  });

  it('reads passive TCP data as +CIPRECVDATA,<len>:<data>', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup, V17);
    await joinLab(host);
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await peer.waitForClients(1);
    peer.sockets[0].write('data');
    await host.expect('\r\n+IPD,4\r\n');
    await host.exchange('AT+CIPRECVLEN?\r\n', '+CIPRECVLEN:4,0,0,0,0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPRECVDATA=10\r\n', '+CIPRECVDATA,4:data\r\nOK\r\n');
  });

  it('applies passive receive to TCP only: UDP data still arrives inline as +IPD,<len>:<data>', async () => {
    const peer = await udpPeer(cleanup);
    const { host } = await startBench(cleanup, V17);
    await joinLab(host);
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="UDP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=1\r\n', '\r\nOK\r\n> ');
    await host.exchange('?', '\r\nRecv 1 bytes\r\n\r\nSEND OK\r\n');
    await waitUntil(() => peer.messages.length === 1, 'the probe datagram');
    peer.socket.send('data', peer.messages[0].port, '127.0.0.1');
    await host.expect('\r\n+IPD,4:data');
    await host.exchange('AT+CIPRECVLEN?\r\n', '+CIPRECVLEN:0,0,0,0,0\r\n\r\nOK\r\n');
  });

  it('keeps _CUR settings in RAM and _DEF settings in flash', async () => {
    const { host } = await startBench(cleanup, V17);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE_DEF=3\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWMODE_CUR=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWMODE_CUR?\r\n', '+CWMODE_CUR:2\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE_DEF?\r\n', '+CWMODE_DEF:3\r\n\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    host.send('AT+CWMODE_CUR?\r\n');
    expect(await host.readThrough('\r\nOK\r\n')).toBe('AT+CWMODE_CUR?\r\r\n+CWMODE_CUR:3\r\n\r\nOK\r\n');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, TcpPeer, joinLab, sleep, startBench, waitUntil } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('TCP client links (esp-at.md §4, §8)', () => {
  it('plays the §8 reference script byte for byte (peer on loopback)', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWJAP="copro-lab","labpass123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPMUX=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=0,5\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('hello', '\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n');
    expect((await peer.waitForBytes(0, 5)).toString()).toBe('hello');
    peer.sockets[0].write('hi');
    await host.expect('\r\n+IPD,0,2:hi');
    peer.sockets[0].end();
    await host.expect('0,CLOSED\r\n');
    await host.exchange('AT+CIPCLOSE=0\r\n', '\r\nERROR\r\n');
  });

  it('uses single-link forms without ids, and closes with CLOSED then OK', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="TCP","peer.lab",${peer.port},60\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    // "ALREADY CONNECTED" is the ESP32 firmware's console output (puts), not the AT port's.
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=3\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('abc', '\r\nRecv 3 bytes\r\n\r\nSEND OK\r\n');
    await peer.waitForBytes(0, 3);
    peer.sockets[0].write('xyz');
    await host.expect('\r\n+IPD,3:xyz');
    const localPort = peer.sockets[0].remotePort;
    await host.exchange(
      'AT+CIPSTATUS\r\n',
      `STATUS:3\r\n+CIPSTATUS:0,"TCP","127.0.0.1",${peer.port},${localPort},0\r\n\r\nOK\r\n`,
    );
    await host.exchange('AT+CIPSTATE?\r\n', `+CIPSTATE:0,"TCP","127.0.0.1",${peer.port},${localPort},0\r\n\r\nOK\r\n`);
    await host.exchange('AT+CIPCLOSE\r\n', 'CLOSED\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPCLOSE\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSTATUS\r\n', 'STATUS:4\r\n\r\nOK\r\n');
    await waitUntil(() => peer.sockets[0].readableEnded, 'the peer to see our FIN');
  });

  it('refuses socket commands without an IP, and failed connects, with ERROR', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, '\r\nERROR\r\n');
    await host.exchange('AT+CIPDOMAIN="peer.lab"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWJAP="copro-lab","labpass123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDOMAIN="peer.lab"\r\n', '+CIPDOMAIN:"127.0.0.1"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTART="TCP","nowhere.invalid",80\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPDOMAIN="nowhere.invalid"\r\n', '\r\nERROR\r\n');
    const closed = await TcpPeer.start(cleanup);
    const deadPort = closed.port;
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${deadPort}\r\n`, '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART="SSLv6","127.0.0.1",${peer.port}\r\n`, '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART="tcp","127.0.0.1",${peer.port}\r\n`, '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '\r\nERROR\r\n');
  });

  it('rejects bad CIPSEND lengths and ids without a prompt', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=2,"TCP","127.0.0.1",${peer.port}\r\n`, '2,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=2,0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=2,8193\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=1,4\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=5,4\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=4\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=2,4,"127.0.0.1",9\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=2,8192\r\n', '\r\nOK\r\n\r\n>');
    host.send(Buffer.alloc(8192, 0x41));
    await host.expect('\r\nRecv 8192 bytes\r\n\r\nSEND OK\r\n');
    await peer.waitForBytes(0, 8192);
  });

  it('answers busy p... to bytes beyond the payload, and sends only the declared length', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=0,4\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('testAT\r\n', '\r\nRecv 4 bytes\r\n\r\nbusy p...\r\n\r\nSEND OK\r\n');
    expect((await peer.waitForBytes(0, 4)).toString()).toBe('test');
    await sleep(20);
    expect(peer.received[0].toString()).toBe('test');
  });

  it('sends with CIPSENDEX up to \\0 and unescapes the payload', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSENDEX=0,100\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('a\\\\b\\0', '\r\nRecv 3 bytes\r\n\r\nSEND OK\r\n');
    expect((await peer.waitForBytes(0, 3)).toString('latin1')).toBe('a\\b');
    await host.exchange('AT+CIPSENDEX=0,2\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('xy', '\r\nRecv 2 bytes\r\n\r\nSEND OK\r\n');
    expect((await peer.waitForBytes(0, 5)).toString('latin1')).toBe('a\\bxy');
  });

  it('splits large receives into +IPD chunks of the profile size and reports CLOSED after the data', async () => {
    const payload = Buffer.alloc(6000, 0x7a);
    const peer = await TcpPeer.start(cleanup, (socket) => socket.end(payload));
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    const text = await host.readThrough('0,CLOSED\r\n');
    const headers = [...text.matchAll(/\r\n\+IPD,0,(\d+):/g)].map((m) => Number(m[1]));
    expect(headers.every((length) => length <= 2920)).toBe(true);
    expect(headers.reduce((a, b) => a + b, 0)).toBe(6000);
    expect(text.endsWith('z0,CLOSED\r\n')).toBe(true);
  });

  it('CIPSTARTEX takes the lowest free id; CIPCLOSE=5 closes them all', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTARTEX="TCP","127.0.0.1",${peer.port}\r\n`, '1,CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '\r\nERROR\r\n');
    await host.exchange('AT+CIPMUX=0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPCLOSE=5\r\n', '0,CLOSED\r\n1,CLOSED\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPMUX=0\r\n', '\r\nOK\r\n');
  });

  it('records DNS servers and the reconnect interval (reported, not used)', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:0,"192.168.10.1","8.8.8.8"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS=1,"1.1.1.1","9.9.9.9"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:1,"1.1.1.1","9.9.9.9"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS=1,"x"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPRECONNINTV?\r\n', '+CIPRECONNINTV:1\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPRECONNINTV=10\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPRECONNINTV?\r\n', '+CIPRECONNINTV:10\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDOMAIN="peer.lab"\r\n', '+CIPDOMAIN:"127.0.0.1"\r\n\r\nOK\r\n');
  });

  it('reports CONNECT as +LINK_CONN with AT+SYSMSG bit 1', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange('AT+SYSMSG=2\r\n', '\r\nOK\r\n');
    host.send(`AT+CIPSTART=3,"TCP","127.0.0.1",${peer.port}\r\n`);
    await peer.waitForClients(1);
    const text = await host.readThrough('\r\nOK\r\n');
    expect(text).toBe(`+LINK_CONN:0,3,"TCP",0,"127.0.0.1",${peer.port},${peer.sockets[0].remotePort}\r\n\r\nOK\r\n`);
  });
});

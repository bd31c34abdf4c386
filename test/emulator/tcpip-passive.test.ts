import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, TcpPeer, joinLab, sleep, startBench, udpPeer, waitUntil } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('passive receive mode, AT+CIPRECVMODE=1 (esp-at.md §4, §7 item 10)', () => {
  it('notifies once per read, reports lengths, reads, and withholds CLOSED until the data is read', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPRECVDATA=0,10\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPRECVMODE?\r\n', '+CIPRECVMODE:1\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await peer.waitForClients(1);
    peer.sockets[0].write('abc');
    await host.expect('\r\n+IPD,0,3\r\n');
    peer.sockets[0].write('defg');
    // Edge-triggered: no second notice before the host reads.
    await host.expectSilence(40);
    await host.exchange('AT+CIPRECVLEN?\r\n', '+CIPRECVLEN:7,-1,-1,-1,-1\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPRECVDATA=0,5\r\n', '+CIPRECVDATA:5,abcde\r\nOK\r\n');
    const localPort = peer.sockets[0].remotePort;
    peer.sockets[0].write('hi');
    await host.expect('\r\n+IPD,0,4\r\n');
    peer.sockets[0].end();
    await host.expectSilence(40);
    await host.exchange('AT+CIPSTATE?\r\n', `+CIPSTATE:0,"TCP","127.0.0.1",${peer.port},${localPort},0\r\n\r\nOK\r\n`);
    await host.exchange('AT+CIPDINFO=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPRECVDATA=0,100\r\n', `+CIPRECVDATA:4,"127.0.0.1",${peer.port},fghi\r\nOK\r\n0,CLOSED\r\n`);
    await host.exchange('AT+CIPRECVLEN?\r\n', '+CIPRECVLEN:-1,-1,-1,-1,-1\r\n\r\nOK\r\n');
  });

  it('CIPCLOSE discards unread data of a peer-closed link and prints the withheld CLOSED', async () => {
    const peer = await TcpPeer.start(cleanup, (socket) => socket.end('bye'));
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.expect('\r\n+IPD,3\r\n');
    await host.expectSilence(30);
    await host.exchange('AT+CIPSEND=1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPCLOSE\r\n', 'CLOSED\r\n\r\nOK\r\n');
  });

  it('stops reading at the passive window (TCP flow control) and resumes once the host reads', async () => {
    const total = 20_000;
    const peer = await TcpPeer.start(cleanup);
    const notes: string[] = [];
    const trace = { fromHost() {}, toHost() {}, note: (text: string) => notes.push(text) };
    const { host } = await startBench(cleanup, { trace });
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await peer.waitForClients(1);
    peer.sockets[0].write(Buffer.alloc(total, 0x61));
    await waitUntil(() => notes.some((note) => note.includes('passive buffer full')), 'the link to be paused');
    await host.readThrough('\r\n');
    await host.readThrough('\r\n');
    let received = 0;
    for (let round = 0; round < 50 && received < total; round++) {
      await sleep(10);
      host.send('AT+CIPRECVLEN?\r\n');
      const lengths = await host.readThrough('\r\nOK\r\n');
      const buffered = Number(/\+CIPRECVLEN:(\d+),/.exec(lengths)![1]);
      // Never much beyond the window: the socket is paused once it is full.
      expect(buffered).toBeLessThanOrEqual(5760 + 65536);
      if (buffered === 0) continue;
      host.send('AT+CIPRECVDATA=0,8192\r\n');
      const answer = await host.readThrough('\r\nOK\r\n');
      const length = Number(/\+CIPRECVDATA:(\d+),/.exec(answer)![1]);
      received += length;
    }
    expect(received).toBe(total);
  });

  it('keeps UDP datagram boundaries: a short read loses the rest of that datagram', async () => {
    const peer = await udpPeer(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=4,"UDP","127.0.0.1",${peer.port}\r\n`, '4,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=4,1\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('?', '\r\nRecv 1 bytes\r\n\r\nSEND OK\r\n');
    await waitUntil(() => peer.messages.length === 1, 'the probe datagram');
    const modulePort = peer.messages[0].port;
    peer.socket.send('first', modulePort, '127.0.0.1');
    await host.expect('\r\n+IPD,4,5\r\n');
    peer.socket.send('second', modulePort, '127.0.0.1');
    await sleep(30);
    await host.exchange('AT+CIPRECVLEN?\r\n', '+CIPRECVLEN:-1,-1,-1,-1,11\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPRECVDATA=4,2\r\n', '+CIPRECVDATA:2,fi\r\nOK\r\n');
    await host.exchange('AT+CIPRECVDATA=4,100\r\n', '+CIPRECVDATA:6,second\r\nOK\r\n');
    await host.exchange('AT+CIPRECVDATA=4,100\r\n', '\r\nERROR\r\n');
  });
});

describe('AT+CIPRECVMODE=1 then 0 (2.x): the receive task reads the sockets again', () => {
  it('delivers what passive mode held as +IPD after the OK, then reads actively', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await peer.waitForClients(1);
    peer.sockets[0].write('held');
    await host.expect('\r\n+IPD,0,4\r\n');
    await host.exchange('AT+CIPRECVMODE=0\r\n', '\r\nOK\r\n\r\n+IPD,0,4:held');
    await host.exchange('AT+CIPRECVLEN?\r\n', '+CIPRECVLEN:0,-1,-1,-1,-1\r\n\r\nOK\r\n');
    peer.sockets[0].write('live');
    await host.expect('\r\n+IPD,0,4:live');
  });

  it('prints a CLOSED withheld for unread data after that data', async () => {
    const peer = await TcpPeer.start(cleanup, (socket) => socket.end('bye'));
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.expect('\r\n+IPD,3\r\n');
    await host.expectSilence(30);
    await host.exchange('AT+CIPRECVMODE=0\r\n', '\r\nOK\r\n\r\n+IPD,3:byeCLOSED\r\n');
    await host.exchange('AT+CIPSTATUS\r\n', 'STATUS:4\r\n\r\nOK\r\n');
  });
});

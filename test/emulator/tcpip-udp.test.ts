import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, joinLab, startBench, udpPeer, waitUntil } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** The host port the module's UDP link really uses (its module port when free). */
async function learnModulePort(peer: Awaited<ReturnType<typeof udpPeer>>, count: number): Promise<number> {
  await waitUntil(() => peer.messages.length >= count, `${count} datagrams at the peer`);
  return peer.messages[count - 1].port;
}

describe('UDP links (esp-at.md §4)', () => {
  it('sends and receives datagrams; CIPDINFO=1 adds the quoted remote', async () => {
    const peer = await udpPeer(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"UDP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=0,4\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('ping', '\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n');
    const modulePort = await learnModulePort(peer, 1);
    expect(peer.messages[0].data.toString()).toBe('ping');
    peer.socket.send('pong', modulePort, '127.0.0.1');
    await host.expect('\r\n+IPD,0,4:pong');
    await host.exchange('AT+CIPDINFO?\r\n', '+CIPDINFO:false\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDINFO=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDINFO?\r\n', '+CIPDINFO:true\r\n\r\nOK\r\n');
    peer.socket.send('again', modulePort, '127.0.0.1');
    await host.expect(`\r\n+IPD,0,5,"127.0.0.1",${peer.port}:again`);
  });

  it('sends to an explicit remote with CIPSEND=<id>,<len>,"<ip>",<port>', async () => {
    const fixed = await udpPeer(cleanup);
    const other = await udpPeer(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=1,"UDP","127.0.0.1",${fixed.port},0,0\r\n`, '1,CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSEND=1,3,"127.0.0.1",${other.port}\r\n`, '\r\nOK\r\n\r\n>');
    await host.exchange('abc', '\r\nRecv 3 bytes\r\n\r\nSEND OK\r\n');
    await waitUntil(() => other.messages.length === 1, 'datagram at the explicit remote');
    expect(other.messages[0].data.toString()).toBe('abc');
    expect(fixed.messages).toHaveLength(0);
  });

  it('mode 0 keeps its peer, mode 1 follows the first sender once, mode 2 every sender', async () => {
    const first = await udpPeer(cleanup);
    const second = await udpPeer(cleanup);
    const third = await udpPeer(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    for (const [id, mode] of [
      [0, 0],
      [1, 1],
      [2, 2],
    ] as const) {
      await host.exchange(`AT+CIPSTART=${id},"UDP","127.0.0.1",${first.port},0,${mode}\r\n`, `${id},CONNECT\r\n\r\nOK\r\n`);
      await host.exchange(`AT+CIPSEND=${id},1\r\n`, '\r\nOK\r\n\r\n>');
      await host.exchange(String(id), '\r\nRecv 1 bytes\r\n\r\nSEND OK\r\n');
    }
    await waitUntil(() => first.messages.length === 3, 'three datagrams at the first peer');
    const portOf = (id: number): number => first.messages.find((m) => m.data.toString() === String(id))!.port;
    const remoteOf = async (id: number): Promise<string> => {
      host.send('AT+CIPSTATE?\r\n');
      const text = await host.readThrough('\r\nOK\r\n');
      return new RegExp(`\\+CIPSTATE:${id},"UDP","127\\.0\\.0\\.1",(\\d+),`).exec(text)![1];
    };
    for (const sender of [second, third]) {
      for (const id of [0, 1, 2]) {
        sender.socket.send('x', portOf(id), '127.0.0.1');
        await host.expect(`\r\n+IPD,${id},1:x`);
      }
    }
    expect(await remoteOf(0)).toBe(String(first.port));
    expect(await remoteOf(1)).toBe(String(second.port));
    expect(await remoteOf(2)).toBe(String(third.port));
  });

  it('binds the requested local port and reports it in CIPSTATUS', async () => {
    const peer = await udpPeer(cleanup);
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const freePort = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="UDP","127.0.0.1",${peer.port},${freePort},0\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange(
      'AT+CIPSTATUS\r\n',
      `STATUS:3\r\n+CIPSTATUS:0,"UDP","127.0.0.1",${peer.port},${freePort},0\r\n\r\nOK\r\n`,
    );
    // Single-link +IPD with the remote: `+IPD,<len>,"<ip>",<port>:`.
    await host.exchange('AT+CIPDINFO=1\r\n', '\r\nOK\r\n');
    peer.socket.send('solo', freePort, '127.0.0.1');
    await host.expect(`\r\n+IPD,4,"127.0.0.1",${peer.port}:solo`);
  });
});

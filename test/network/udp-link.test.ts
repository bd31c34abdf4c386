import { afterEach, describe, expect, it } from 'vitest';
import { StackError, openUdpLink, type UdpLink, type UdpOpenRequest } from '../../emulator/network/index.js';
import { Cleanup, LinkRecorder, sleep, startUdpPeer, waitUntil } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function peer(echoBack = false, address = '127.0.0.1', port = 0) {
  const udp = await startUdpPeer(echoBack, address, port);
  cleanup.add(() => udp.close());
  return udp;
}

async function open(request: UdpOpenRequest): Promise<{ link: UdpLink; recorder: LinkRecorder }> {
  const link = await openUdpLink(request);
  cleanup.add(() => link.close());
  const recorder = new LinkRecorder();
  link.setHandlers(recorder);
  return { link, recorder };
}

/** A UDP port nobody holds right now. */
async function freeUdpPort(): Promise<number> {
  const probe = await startUdpPeer(false, '0.0.0.0');
  await probe.close();
  return probe.port;
}

describe('UDP link', () => {
  it('sends to its remote and hears the answer with the sender', async () => {
    const server = await peer(true);
    const { link, recorder } = await open({ remote: { ip: '127.0.0.1', port: server.port } });
    expect(link).toMatchObject({ kind: 'udp', accepted: false, isOpen: true, remote: { ip: '127.0.0.1', port: server.port } });
    await link.send(Buffer.from('ping'));
    await waitUntil(() => recorder.chunks.length === 1, 'the echo');
    expect(recorder.chunks[0].data.toString()).toBe('ping');
    expect(recorder.chunks[0].from).toEqual({ ip: '127.0.0.1', port: server.port });
    // The module sent from its own port: the ephemeral one it reports.
    expect(server.received[0].from.port).toBe(link.localPort);
  });

  it('keeps datagram boundaries and hears every sender, not only its remote', async () => {
    const server = await peer();
    const stranger = await peer();
    const { link, recorder } = await open({ remote: { ip: '127.0.0.1', port: server.port } });
    const hostPort = link.hostPort!;
    server.socket.send('one', hostPort, '127.0.0.1');
    await waitUntil(() => recorder.chunks.length === 1, 'first datagram');
    stranger.socket.send('two', hostPort, '127.0.0.1');
    await waitUntil(() => recorder.chunks.length === 2, 'second datagram');
    expect(recorder.chunks.map((chunk) => [chunk.data.toString(), chunk.from.port])).toEqual([
      ['one', server.port],
      ['two', stranger.port],
    ]);
  });

  it('sendTo() goes to an explicit destination; setRemote() moves the default one', async () => {
    const first = await peer();
    const second = await peer();
    const { link } = await open({ remote: { ip: '127.0.0.1', port: first.port } });
    await link.sendTo(Buffer.from('explicit'), { ip: '127.0.0.1', port: second.port });
    await waitUntil(() => second.received.length === 1, 'sendTo datagram');
    expect(link.remote.port).toBe(first.port);
    link.setRemote({ ip: '127.0.0.1', port: second.port });
    await link.send(Buffer.from('default'));
    await waitUntil(() => second.received.length === 2, 'send after setRemote');
    expect(second.received.map((datagram) => datagram.data.toString())).toEqual(['explicit', 'default']);
    expect(first.received).toEqual([]);
  });

  it('takes the requested local port when the host has it free', async () => {
    const port = await freeUdpPort();
    const server = await peer(true);
    const { link, recorder } = await open({ remote: { ip: '127.0.0.1', port: server.port }, localPort: port });
    expect(link.localPort).toBe(port);
    expect(link.hostPort).toBe(port);
    await link.send(Buffer.from('x'));
    await waitUntil(() => recorder.chunks.length === 1, 'the echo');
    expect(server.received[0].from.port).toBe(port);
  });

  it('still works on another host port when the requested one is taken, reporting the module port', async () => {
    const squatter = await peer(false, '0.0.0.0');
    const server = await peer(true);
    const { link, recorder } = await open({ remote: { ip: '127.0.0.1', port: server.port }, localPort: squatter.port });
    expect(link.localPort).toBe(squatter.port);
    expect(link.hostPort).not.toBe(squatter.port);
    await link.send(Buffer.from('around'));
    await waitUntil(() => recorder.chunks.length === 1, 'the echo');
    expect(recorder.chunks[0].data.toString()).toBe('around');
    expect(squatter.received).toEqual([]);
  });

  it('holds datagrams while paused and delivers them in order on resume', async () => {
    const server = await peer();
    const { link, recorder } = await open({ remote: { ip: '127.0.0.1', port: server.port } });
    link.pause();
    for (const word of ['a', 'b', 'c']) server.socket.send(word, link.hostPort!, '127.0.0.1');
    await sleep(100);
    expect(recorder.chunks).toEqual([]);
    link.resume();
    await waitUntil(() => recorder.chunks.length === 3, 'held datagrams');
    expect(recorder.chunks.map((chunk) => chunk.data.toString())).toEqual(['a', 'b', 'c']);
  });

  it('drops datagrams beyond the pause bound (datagrams are lossy)', async () => {
    const server = await peer();
    const { link, recorder } = await open({ remote: { ip: '127.0.0.1', port: server.port }, pauseBufferBytes: 10 });
    link.pause();
    for (const word of ['12345', '67890', 'lost!']) server.socket.send(word, link.hostPort!, '127.0.0.1');
    await sleep(100);
    link.resume();
    await waitUntil(() => recorder.chunks.length === 2, 'kept datagrams');
    await sleep(50);
    expect(recorder.chunks.map((chunk) => chunk.data.toString())).toEqual(['12345', '67890']);
  });

  it("closes with onClose('local') once; sending afterwards is StackError('closed')", async () => {
    const server = await peer();
    const { link, recorder } = await open({ remote: { ip: '127.0.0.1', port: server.port } });
    link.close();
    link.close();
    expect(recorder.closes).toEqual([{ reason: 'local', error: undefined }]);
    expect(link.isOpen).toBe(false);
    await expect(link.send(Buffer.from('x'))).rejects.toSatisfy((error) => error instanceof StackError && error.code === 'closed');
  });

  it("refuses a destination the outbound check denies with StackError('denied')", async () => {
    const server = await peer();
    const { link } = await open({ remote: { ip: '127.0.0.1', port: server.port }, permits: (to) => to.port === server.port });
    await link.send(Buffer.from('fine'));
    await expect(link.sendTo(Buffer.from('no'), { ip: '127.0.0.1', port: 9 })).rejects.toSatisfy(
      (error) => error instanceof StackError && error.code === 'denied',
    );
  });
});

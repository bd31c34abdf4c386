import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StackError, connectTcpLink, type TcpLink } from '../../emulator/network/index.js';
import {
  Cleanup,
  LinkRecorder,
  echo,
  freeTcpPort,
  sleep,
  startBlackholePort,
  startTcpServer,
  waitUntil,
} from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function open(port: number): Promise<{ link: TcpLink; recorder: LinkRecorder }> {
  const link = await connectTcpLink({ host: '127.0.0.1', port, timeoutMs: 2000 });
  cleanup.add(() => link.abort('local'));
  const recorder = new LinkRecorder();
  link.setHandlers(recorder);
  return { link, recorder };
}

async function serve(onSocket: (socket: Socket) => void = () => {}) {
  const server = await startTcpServer(onSocket);
  cleanup.add(() => server.close());
  return server;
}

async function stackErrorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StackError) return error.code;
    throw error;
  }
  throw new Error('expected a StackError');
}

describe('TCP link', () => {
  it('connects, sends and receives through an echo server', async () => {
    const server = await serve(echo);
    const { link, recorder } = await open(server.port);
    expect(link).toMatchObject({ kind: 'tcp', accepted: false, isOpen: true, remote: { ip: '127.0.0.1', port: server.port } });
    expect(link.localPort).toBe(server.sockets[0]?.remotePort);
    await link.send(Buffer.from('hello, '));
    await link.send(new TextEncoder().encode('world'));
    await recorder.waitForBytes(12);
    expect(recorder.text).toBe('hello, world');
    expect(recorder.chunks[0].from).toEqual({ ip: '127.0.0.1', port: server.port });
    expect(recorder.closes).toEqual([]);
  });

  it("delivers the peer's last bytes, then onClose('peer') once when the peer closes", async () => {
    const server = await serve((socket) => socket.end('bye'));
    const { link, recorder } = await open(server.port);
    await recorder.waitForClose();
    await sleep(20);
    expect(recorder.text).toBe('bye');
    expect(recorder.closes).toEqual([{ reason: 'peer', error: undefined }]);
    expect(link.isOpen).toBe(false);
    expect(await stackErrorCode(link.send(Buffer.from('late')))).toBe('closed');
    // The module has no half-close: it closed its side too.
    await waitUntil(() => server.sockets[0]?.readableEnded === true, 'our FIN at the server');
  });

  it("reports a peer's reset as onClose('peer', reset)", async () => {
    const server = await serve();
    const { recorder } = await open(server.port);
    await waitUntil(() => server.sockets.length === 1, 'accept');
    server.sockets[0].resetAndDestroy();
    await recorder.waitForClose();
    expect(recorder.closes).toHaveLength(1);
    expect(recorder.closes[0].reason).toBe('peer');
    expect(recorder.closes[0].error?.code).toBe('reset');
  });

  it("closes locally: onClose('local') at once and exactly once, pending bytes still go out, the peer sees FIN", async () => {
    const received: Buffer[] = [];
    let peerEnded = false;
    const server = await serve((socket) => {
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      socket.on('end', () => {
        peerEnded = true;
        socket.end();
      });
    });
    const { link, recorder } = await open(server.port);
    const sent = link.send(Buffer.from('last words'));
    link.close();
    expect(recorder.closes).toEqual([{ reason: 'local', error: undefined }]);
    link.close();
    await sent;
    await waitUntil(() => peerEnded, 'FIN at the peer');
    expect(Buffer.concat(received).toString()).toBe('last words');
    expect(recorder.closes).toHaveLength(1);
    expect(await stackErrorCode(link.send(Buffer.from('x')))).toBe('closed');
  });

  it('keeps data and a close that happen before setHandlers until handlers exist', async () => {
    const server = await serve((socket) => socket.end('early'));
    const link = await connectTcpLink({ host: '127.0.0.1', port: server.port, timeoutMs: 2000 });
    cleanup.add(() => link.abort('local'));
    await sleep(50);
    const recorder = new LinkRecorder();
    link.setHandlers(recorder);
    await recorder.waitForClose();
    expect(recorder.text).toBe('early');
    expect(recorder.closes.map((close) => close.reason)).toEqual(['peer']);
  });

  it("rejects a refused connection with StackError('refused')", async () => {
    const port = await freeTcpPort();
    expect(await stackErrorCode(connectTcpLink({ host: '127.0.0.1', port, timeoutMs: 2000 }))).toBe('refused');
  });

  it("rejects with StackError('timeout') when nobody answers before the deadline", async () => {
    const blackhole = await startBlackholePort();
    cleanup.add(() => blackhole.close());
    expect(await stackErrorCode(connectTcpLink({ host: '127.0.0.1', port: blackhole.port, timeoutMs: 100 }))).toBe('timeout');
  });

  it('rejects a host that is not an IPv4 address and an invalid port', async () => {
    expect(await stackErrorCode(connectTcpLink({ host: 'copro.local', port: 80, timeoutMs: 100 }))).toBe('io');
    expect(await stackErrorCode(connectTcpLink({ host: '127.0.0.1', port: 0, timeoutMs: 100 }))).toBe('io');
  });

  it("pause() closes the window: the peer's writes stall, then every byte arrives in order after resume()", async () => {
    // More than loopback socket buffers can hold, so the peer must be pushed back while we are paused.
    const total = 24 * 1024 * 1024;
    const payload = Buffer.alloc(total);
    for (let i = 0; i < total; i++) payload[i] = i % 251;
    let peer: Socket | null = null;
    let peerWriteDone = false;
    const server = await serve((socket) => {
      peer = socket;
      socket.once('data', () => socket.write(payload, () => (peerWriteDone = true)));
    });
    const { link, recorder } = await open(server.port);
    link.pause();
    await link.send(Buffer.from('go'));
    await waitUntil(() => peer !== null && peer.bytesWritten > 0, 'the peer to start writing');
    await sleep(300);
    expect(recorder.bytes.length).toBe(0);
    expect(peerWriteDone).toBe(false);
    expect(peer!.writableLength).toBeGreaterThan(0);
    link.resume();
    await recorder.waitForBytes(total, 15_000);
    await waitUntil(() => peerWriteDone, 'the peer write to complete');
    expect(recorder.bytes.equals(payload)).toBe(true);
  });

  it('keeps pausing between chunks when a handler pauses', async () => {
    const server = await serve(echo);
    const { link, recorder } = await open(server.port);
    await link.send(Buffer.from('abc'));
    await recorder.waitForBytes(3);
    link.pause();
    await link.send(Buffer.from('def'));
    await sleep(100);
    expect(recorder.text).toBe('abc');
    link.resume();
    await recorder.waitForBytes(6);
    expect(recorder.text).toBe('abcdef');
  });
});

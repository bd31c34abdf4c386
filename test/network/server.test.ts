import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpServer, type TcpLink, type TcpServerOptions } from '../../emulator/network/index.js';
import { Cleanup, LinkRecorder, freeTcpPort, startTcpServer, waitUntil } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function listen(options: TcpServerOptions): Promise<TcpServer> {
  const server = await TcpServer.listen(options);
  cleanup.add(() => server.close());
  return server;
}

/** A host-side client with what it has received and whether the module closed it. */
interface Client {
  readonly socket: Socket;
  readonly received: Buffer[];
  ended: boolean;
}

async function client(port: number): Promise<Client> {
  const socket = connect(port, '127.0.0.1');
  cleanup.add(() => socket.destroy());
  const state: Client = { socket, received: [], ended: false };
  socket.on('data', (chunk: Buffer) => state.received.push(chunk));
  socket.on('error', () => (state.ended = true));
  socket.on('close', () => (state.ended = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return state;
}

describe('TcpServer', () => {
  it('listens on 127.0.0.1 at the module port, accepts two clients and refuses a third', async () => {
    const port = await freeTcpPort();
    const accepted: TcpLink[] = [];
    const server = await listen({
      modulePort: port,
      hostPort: port,
      onAccept: (link) => {
        if (accepted.length >= 2) return false;
        link.setHandlers(new LinkRecorder());
        accepted.push(link);
        cleanup.add(() => link.abort('local'));
        return true;
      },
    });
    expect(server.port).toBe(port);
    expect(server.hostEndpoint).toEqual({ ip: '127.0.0.1', port });
    expect(server.remapped).toBe(false);

    const first = await client(port);
    const second = await client(port);
    await waitUntil(() => accepted.length === 2, 'two accepted links');
    const third = await client(port);
    await waitUntil(() => third.ended, 'the third client to be dropped');
    expect(third.received).toEqual([]);

    const link = accepted[0];
    expect(link).toMatchObject({ kind: 'tcp', accepted: true, localPort: port, isOpen: true });
    expect(link.remote).toEqual({ ip: '127.0.0.1', port: first.socket.localPort });
    expect(accepted[1].remote.port).toBe(second.socket.localPort);

    // Both directions over an accepted link.
    const recorder = new LinkRecorder();
    link.setHandlers(recorder);
    first.socket.write('from host');
    await recorder.waitForBytes(9);
    expect(recorder.text).toBe('from host');
    await link.send(Buffer.from('from module'));
    await waitUntil(() => Buffer.concat(first.received).toString() === 'from module', 'module data at the client');
    expect(first.ended || second.ended).toBe(false);
  });

  it('listens on another host port when the module port is taken on the host', async () => {
    const squatter = await startTcpServer();
    cleanup.add(() => squatter.close());
    const links: TcpLink[] = [];
    const server = await listen({
      modulePort: squatter.port,
      hostPort: squatter.port,
      onAccept: (link) => {
        links.push(link);
        cleanup.add(() => link.abort('local'));
        return true;
      },
    });
    expect(server.port).toBe(squatter.port);
    expect(server.hostEndpoint.port).not.toBe(squatter.port);
    expect(server.remapped).toBe(true);
    await client(server.hostEndpoint.port);
    await waitUntil(() => links.length === 1, 'a client on the remapped port');
    expect(links[0].localPort).toBe(squatter.port);
  });

  it('listens on an ephemeral port when asked for host port 0 (a `ports` mapping to 0)', async () => {
    const server = await listen({ modulePort: 80, hostPort: 0, onAccept: () => false });
    expect(server.port).toBe(80);
    expect(server.hostEndpoint.port).toBeGreaterThan(0);
    expect(server.hostEndpoint.port).not.toBe(80);
  });

  it('close() releases the port at once and leaves accepted links open', async () => {
    const port = await freeTcpPort();
    const links: TcpLink[] = [];
    const server = await listen({
      modulePort: port,
      hostPort: port,
      onAccept: (link) => {
        links.push(link);
        cleanup.add(() => link.abort('local'));
        return true;
      },
    });
    const host = await client(port);
    await waitUntil(() => links.length === 1, 'accept');
    const recorder = new LinkRecorder();
    links[0].setHandlers(recorder);
    await server.close();
    // The port is free again: another server can take it.
    const again = await listen({ modulePort: port, hostPort: port, onAccept: () => false });
    expect(again.remapped).toBe(false);
    // The accepted link still works.
    host.socket.write('still here');
    await recorder.waitForBytes(10);
    expect(links[0].isOpen).toBe(true);
  });
});

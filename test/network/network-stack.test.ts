import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  StackError,
  createNetworkStack,
  type VirtualLink,
  type VirtualNetworkStack,
} from '../../emulator/network/index.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import {
  Cleanup,
  FAST_WORLD,
  LAB,
  LinkRecorder,
  echo,
  freeTcpPort,
  startTcpServer,
  startUdpPeer,
  waitUntil,
} from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const neverAsked = async (name: string): Promise<string> => {
  throw new Error(`real DNS must not be asked for ${name}`);
};

function newStack(world = FAST_WORLD): VirtualNetworkStack {
  const stack = createNetworkStack(world, { lookup: neverAsked });
  cleanup.add(() => stack.dispose());
  return stack;
}

async function joinedStack(world = FAST_WORLD): Promise<VirtualNetworkStack> {
  const stack = newStack(world);
  await stack.station.join(LAB.ssid, LAB.password);
  return stack;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StackError) return error.code;
    throw error;
  }
  throw new Error('expected a StackError');
}

function recorded(link: VirtualLink): LinkRecorder {
  const recorder = new LinkRecorder();
  link.setHandlers(recorder);
  return recorder;
}

describe('VirtualNetworkStack without an IP', () => {
  it("rejects connectTcp, openUdp, listen and name lookups with StackError('no-ip')", async () => {
    const stack = newStack();
    const server = await startTcpServer(echo);
    cleanup.add(() => server.close());
    expect(await codeOf(stack.connectTcp({ host: '127.0.0.1', port: server.port, timeoutMs: 1000 }))).toBe('no-ip');
    expect(await codeOf(stack.openUdp({ remote: { ip: '127.0.0.1', port: 9 } }))).toBe('no-ip');
    expect(await codeOf(stack.listen({ port: await freeTcpPort(), onAccept: () => true }))).toBe('no-ip');
    expect(await codeOf(stack.resolve('copro.local'))).toBe('no-ip');
    // A numeric address or localhost needs no network.
    expect(await stack.resolve('127.0.0.2')).toBe('127.0.0.2');
    expect(await stack.resolve('localhost')).toBe('127.0.0.1');
    expect(server.sockets).toEqual([]);
  });
});

describe('VirtualNetworkStack with an IP', () => {
  it('resolves the hosts table and connects to a name from it', async () => {
    const stack = await joinedStack();
    expect(await stack.resolve('COPRO.local')).toBe('127.0.0.1');
    expect(await codeOf(stack.resolve('nowhere.invalid'))).toBe('dns');
    const server = await startTcpServer(echo);
    cleanup.add(() => server.close());
    const link = await stack.connectTcp({ host: 'copro.local', port: server.port, timeoutMs: 1000 });
    const recorder = recorded(link);
    expect(link.remote).toEqual({ ip: '127.0.0.1', port: server.port });
    await link.send(Buffer.from('named'));
    await recorder.waitForBytes(5);
    expect(recorder.text).toBe('named');
    expect(stack.openLinks).toEqual([link]);
    link.close();
    expect(stack.openLinks).toEqual([]);
  });

  it('applies the outbound policy to TCP and UDP destinations', async () => {
    const stack = await joinedStack();
    const server = await startTcpServer(echo);
    cleanup.add(() => server.close());
    const udpPeer = await startUdpPeer();
    cleanup.add(() => udpPeer.close());
    const allowed = udpPeer.port;
    stack.setOutboundPolicy((remote, kind) => kind === 'udp' && remote.port === allowed);
    expect(await codeOf(stack.connectTcp({ host: '127.0.0.1', port: server.port, timeoutMs: 1000 }))).toBe('denied');
    expect(await codeOf(stack.openUdp({ remote: { ip: '127.0.0.1', port: allowed + 1 } }))).toBe('denied');
    const udp = await stack.openUdp({ remote: { ip: '127.0.0.1', port: allowed } });
    await udp.send(Buffer.from('ok'));
    expect(await codeOf(udp.sendTo(Buffer.from('no'), { ip: '127.0.0.1', port: server.port }))).toBe('denied');
    await waitUntil(() => udpPeer.received.length === 1, 'the allowed datagram');
    expect(server.sockets).toEqual([]);
  });

  it('opens UDP to a name from the hosts table; a module port held by another UDP link is addr-in-use', async () => {
    const stack = await joinedStack();
    const udpPeer = await startUdpPeer();
    cleanup.add(() => udpPeer.close());
    const link = await stack.openUdp({ remote: { ip: 'copro.local', port: udpPeer.port }, localPort: 40001 });
    expect(link.remote).toEqual({ ip: '127.0.0.1', port: udpPeer.port });
    expect(link.localPort).toBe(40001);
    expect(await codeOf(stack.openUdp({ remote: { ip: '127.0.0.1', port: udpPeer.port }, localPort: 40001 }))).toBe('addr-in-use');
    link.close();
    const again = await stack.openUdp({ remote: { ip: '127.0.0.1', port: udpPeer.port }, localPort: 40001 });
    expect(again.localPort).toBe(40001);
  });

  it('rejects a second server on the same module port', async () => {
    const stack = await joinedStack();
    const port = await freeTcpPort();
    await stack.listen({ port, onAccept: () => true });
    expect(await codeOf(stack.listen({ port, onAccept: () => true }))).toBe('addr-in-use');
  });

  it("listens where the world's `ports` maps a module port, reporting the module port", async () => {
    const hostPort = await freeTcpPort();
    const stack = await joinedStack(parseWorldConfig({ timing: { scale: 0.01 }, ports: { '80': hostPort } }));
    const server = await stack.listen({ port: 80, onAccept: () => true });
    expect(server.port).toBe(80);
    expect(server.hostEndpoint).toEqual({ ip: '127.0.0.1', port: hostPort });
  });

  it('closes every link (client and accepted) when the station loses its IP; servers stay and refuse until it is back', async () => {
    const stack = await joinedStack();
    const events: string[] = [];
    stack.station.setListener({
      onConnected: () => events.push('connected'),
      onGotIp: () => events.push('got-ip'),
      onDisconnected: () => events.push('disconnected'),
    });
    const remote = await startTcpServer(echo);
    cleanup.add(() => remote.close());
    const udpPeer = await startUdpPeer();
    cleanup.add(() => udpPeer.close());

    const tcp = recorded(await stack.connectTcp({ host: '127.0.0.1', port: remote.port, timeoutMs: 1000 }));
    const udp = recorded(await stack.openUdp({ remote: { ip: '127.0.0.1', port: udpPeer.port } }));
    const acceptedRecorders: LinkRecorder[] = [];
    const server = await stack.listen({
      port: await freeTcpPort(),
      onAccept: (link) => {
        acceptedRecorders.push(recorded(link));
        return true;
      },
    });
    const hostClient = connect(server.hostEndpoint.port, '127.0.0.1');
    cleanup.add(() => hostClient.destroy());
    hostClient.on('error', () => {});
    await waitUntil(() => acceptedRecorders.length === 1, 'the accepted link');
    expect(stack.openLinks).toHaveLength(3);

    for (const recorder of [tcp, udp, acceptedRecorders[0]]) {
      recorder.onCloseHook = () => events.push('link closed');
    }
    stack.station.leave();
    // The front end hears of the disconnect before the links' CLOSED.
    expect(events).toEqual(['disconnected', 'link closed', 'link closed', 'link closed']);
    for (const recorder of [tcp, udp, acceptedRecorders[0]]) {
      expect(recorder.closes).toHaveLength(1);
      expect(recorder.closes[0].reason).toBe('error');
    }
    expect(stack.openLinks).toEqual([]);
    expect(stack.openServers).toEqual([server]);
    await waitUntil(() => remote.sockets[0]?.readableEnded === true, 'the remote to see the link go');

    // Without an IP the server refuses clients...
    let refusedClosed = false;
    const refused = connect(server.hostEndpoint.port, '127.0.0.1');
    cleanup.add(() => refused.destroy());
    refused.on('error', () => {});
    refused.on('close', () => (refusedClosed = true));
    await waitUntil(() => refusedClosed, 'the refused client to be closed');
    expect(acceptedRecorders).toHaveLength(1);

    // ...and accepts them again once the station is back.
    await stack.station.join(LAB.ssid, LAB.password);
    const welcome = connect(server.hostEndpoint.port, '127.0.0.1');
    cleanup.add(() => welcome.destroy());
    welcome.on('error', () => {});
    await waitUntil(() => acceptedRecorders.length === 2, 'an accepted link after re-join');
  });

  it('a new join closes the links of the previous association too', async () => {
    const stack = await joinedStack();
    const remote = await startTcpServer(echo);
    cleanup.add(() => remote.close());
    const tcp = recorded(await stack.connectTcp({ host: '127.0.0.1', port: remote.port, timeoutMs: 1000 }));
    await stack.station.join(LAB.ssid, LAB.password);
    expect(tcp.closes.map((close) => close.reason)).toEqual(['error']);
  });

  it("closeAll() ends every link with onClose('local') and closes every server", async () => {
    const stack = await joinedStack();
    const remote = await startTcpServer(echo);
    cleanup.add(() => remote.close());
    const udpPeer = await startUdpPeer();
    cleanup.add(() => udpPeer.close());
    const tcp = recorded(await stack.connectTcp({ host: '127.0.0.1', port: remote.port, timeoutMs: 1000 }));
    const udp = recorded(await stack.openUdp({ remote: { ip: '127.0.0.1', port: udpPeer.port }, localPort: 0 }));
    const port = await freeTcpPort();
    await stack.listen({ port, onAccept: () => true });
    await stack.closeAll();
    expect(tcp.closes.map((close) => close.reason)).toEqual(['local']);
    expect(udp.closes.map((close) => close.reason)).toEqual(['local']);
    expect(stack.openLinks).toEqual([]);
    expect(stack.openServers).toEqual([]);
    // The module port is free on the host again.
    const again = await stack.listen({ port, onAccept: () => true });
    expect(again.remapped).toBe(false);
  });
});

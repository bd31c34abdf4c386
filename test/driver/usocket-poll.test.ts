/**
 * select.poll over usocket sockets (src/usocket/poll.ts): readiness as MicroPython's lwIP sockets
 * report it, waits that end on the first ready socket, and the timeout rule.
 */
import { describe, expect, it } from 'vitest';
import { createUsocket } from '../../src/usocket/module.js';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, poll } from '../../src/usocket/poll.js';
import { osError } from '../../src/errors.js';
import { FakeBackend, FakeLink } from './fake-backend.js';

function setup() {
  const backend = new FakeBackend();
  return { backend, usocket: createUsocket(backend) };
}

describe('usocket poll', () => {
  it('reports a new stream socket as hung up, a UDP one as writable, a closed one as invalid', async () => {
    const { usocket } = setup();
    const tcp = usocket.socket();
    const udp = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
    expect(tcp.readiness()).toBe(POLLHUP);
    expect(udp.readiness()).toBe(POLLOUT);
    await tcp.close();
    expect(await poll([[tcp, POLLIN], [udp, POLLIN]], 0)).toEqual([[tcp, POLLNVAL]]);
  });

  it('says POLLOUT for a connected socket and POLLIN only once data or EOF is there', async () => {
    const { backend, usocket } = setup();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    const link = backend.links[0];
    expect(await poll([[s, POLLIN | POLLOUT]], 0)).toEqual([[s, POLLOUT]]);
    expect(await poll([[s, POLLIN]], 0)).toEqual([]);
    link.peerWrite('hi');
    expect(await poll([[s, POLLIN]], 0)).toEqual([[s, POLLIN]]);
    expect(Buffer.from(await s.recv(10)).toString()).toBe('hi');
    link.peerClose();
    expect(s.readiness() & POLLIN).toBe(POLLIN);
  });

  it('counts bytes put back in front of the stream as readable', async () => {
    const { usocket } = setup();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    s.unread(Buffer.from('left over'));
    expect(await poll([[s, POLLIN]], 0)).toEqual([[s, POLLIN]]);
  });

  it('wakes on the first socket that becomes ready, leaving the others out', async () => {
    const { backend, usocket } = setup();
    const a = usocket.socket();
    const b = usocket.socket();
    await a.connect(['127.0.0.1', 80]);
    await b.connect(['127.0.0.1', 81]);
    const [, linkB] = backend.links as [FakeLink, FakeLink];
    const waiting = poll([[a, POLLIN], [b, POLLIN]], 5000);
    setTimeout(() => linkB.peerWrite('x'), 20);
    expect(await waiting).toEqual([[b, POLLIN]]);
  });

  it('wakes a listening socket when a client arrives', async () => {
    const { backend, usocket } = setup();
    const server = usocket.socket();
    await server.bind(['0.0.0.0', 8080]);
    await server.listen(1);
    expect(await poll([[server, POLLIN]], 0)).toEqual([]);
    const waiting = poll([[server, POLLIN]], -1);
    setTimeout(() => backend.servers[0].clientArrives({ ip: '127.0.0.1', port: 50000 }), 20);
    expect(await waiting).toEqual([[server, POLLIN]]);
  });

  it('follows a non-blocking connect that completes while it waits', async () => {
    const { backend, usocket } = setup();
    let arrive: (() => void) | undefined;
    backend.connector = (spec) => new Promise((resolve) => (arrive = () => resolve(new FakeLink(spec.kind, spec.remote, spec))));
    const s = usocket.socket();
    s.setblocking(false);
    await expect(s.connect(['127.0.0.1', 80])).rejects.toMatchObject({ errno: 115 });
    expect(s.readiness()).toBe(0);
    const waiting = poll([[s, POLLOUT]], 5000);
    setTimeout(() => arrive?.(), 20);
    expect(await waiting).toEqual([[s, POLLOUT]]);
  });

  it('returns an empty list when the time is up', async () => {
    const { usocket } = setup();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    const started = Date.now();
    expect(await poll([[s, POLLIN]], 50)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('reports a failed link as POLLERR whatever was asked', async () => {
    const { backend, usocket } = setup();
    const s = usocket.socket();
    await s.connect(['127.0.0.1', 80]);
    backend.links[0].fail(osError('ECONNRESET'));
    const [[, revents]] = await poll([[s, POLLOUT]], 0);
    expect(revents & POLLERR).toBe(POLLERR);
  });
});

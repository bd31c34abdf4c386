/**
 * createServer() over the module's server through a real PTY, ESP-AT and NINA: clients from the
 * host reach it on loopback (the emulator's server listens on 127.0.0.1), each arrives as a
 * ModuleSocket, and Node's own http.Server runs on those sockets.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModuleSocket } from '../../src/node-net/index.js';
import { freePort, stopAll, until } from '../driver/emulator-harness.js';
import { BACKENDS, errorOf, next, readToEnd, startNetRig } from './net-helpers.js';

afterEach(stopAll);

describe.each(BACKENDS)('createServer over $protocol', ({ protocol }) => {
  it('listens, hands each client out as a connected socket, and closes after its connections', async () => {
    const rig = await startNetRig(protocol);
    const port = await freePort();
    const server = rig.copro.createServer((socket) => socket.pipe(socket));
    const connections: ModuleSocket[] = [];
    server.on('connection', (socket: ModuleSocket) => connections.push(socket));
    server.listen(port);
    await next(server, 'listening');
    const ip = (await rig.copro.wlan.ifconfig())[0];
    expect([server.listening, server.address()]).toEqual([true, { address: ip, family: 'IPv4', port }]);

    const client = net.connect(port, '127.0.0.1');
    await next(client, 'connect');
    client.write('round trip');
    const [echoed] = await next<[Buffer]>(client, 'data');
    expect(echoed.toString()).toBe('round trip');
    const [accepted] = connections;
    expect([accepted.remoteAddress, accepted.remotePort, accepted.localAddress, accepted.localPort]).toEqual(['127.0.0.1', client.localPort, ip, port]);

    const closed = next(server, 'close');
    server.close();
    expect(server.listening).toBe(false);
    let closedYet = false;
    void closed.then(() => (closedYet = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(closedYet).toBe(false); // a connection is still open
    client.end();
    await next(accepted, 'close');
    await closed;
  });

  it("runs Node's http.Server on the module's connections", async () => {
    const rig = await startNetRig(protocol);
    const port = await freePort();
    const web = http.createServer((req, res) => res.end(`served ${req.method} ${req.url} from the module`));
    const server = rig.copro.createServer((socket) => web.emit('connection', socket));
    server.listen(port);
    await next(server, 'listening');
    const body = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/status', agent: false }, (res) => readToEnd(res).then((b) => resolve(b.toString()), reject)).on('error', reject);
    });
    expect(body).toBe('served GET /status from the module');
    server.close();
    await next(server, 'close');
  });

  it('reports what the module cannot do as listen errors', async () => {
    const rig = await startNetRig(protocol);
    const server = rig.copro.createServer().listen(0);
    const err = await errorOf(server);
    expect([err.code, err.syscall]).toEqual(['EINVAL', 'listen']);
    expect(server.listening).toBe(false);
    const notRunning = await new Promise<Error | undefined>((resolve) => server.close(resolve));
    expect(notRunning).toMatchObject({ code: 'ERR_SERVER_NOT_RUNNING' });
  });
});

it('ESP-AT runs one server at a time: a second listen() is EOPNOTSUPP', async () => {
  const rig = await startNetRig('at');
  const first = rig.copro.createServer().listen(await freePort());
  await next(first, 'listening');
  const second = rig.copro.createServer().listen(await freePort());
  const err = await errorOf(second);
  expect(err.code).toBe('EOPNOTSUPP');
  first.close();
  await next(first, 'close');
  await until(() => !first.listening);
});

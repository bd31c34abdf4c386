/**
 * Node's http and https clients over the module through a real PTY, ESP-AT and NINA, with the
 * Http(s)Agent: GET and POST, keep-alive reusing one link, more requests at once than the module
 * has links, and https verified by the module against a CA made at test time.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpAgent, HttpsAgent, ModuleSocket, ModuleTlsSocket } from '../../src/node-net/index.js';
import { stopAll } from '../driver/emulator-harness.js';
import type { Rig } from '../driver/emulator-harness.js';
import { makeTestPki, tlsWorld } from '../helpers/tls-lab.js';
import { BACKENDS, readToEnd, sha256, startNetRig } from './net-helpers.js';

const stops: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  await stopAll();
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** An http(s) server on 127.0.0.1 that answers with the method, path and a sha256 of the body. */
async function listen(server: http.Server | https.Server): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  server.on('connection', () => (connections += 1));
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    void readToEnd(req).then((body) => res.end(`${req.method} ${req.url} ${body.length} ${sha256(body)}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

interface Reply {
  readonly status: number | undefined;
  readonly body: string;
  readonly socket: unknown;
}

function request(module: typeof http | typeof https, url: string, options: https.RequestOptions, body?: Buffer): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const req = module.request(url, options, (res) => {
      readToEnd(res).then((b) => resolve({ status: res.statusCode, body: b.toString(), socket: res.socket }), reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(BACKENDS)('http over $protocol', ({ protocol }) => {
  it('GETs and POSTs through an HttpAgent', async () => {
    const rig = await startNetRig(protocol);
    const { port } = await listen(http.createServer());
    const agent = new HttpAgent(rig.copro);
    const get = await request(http, `http://copro.local:${port}/hello?x=1`, { agent });
    expect([get.status, get.body]).toEqual([200, `GET /hello?x=1 0 ${sha256(Buffer.alloc(0))}`]);
    expect(get.socket).toBeInstanceOf(ModuleSocket);
    const upload = randomBytes(256 * 1024);
    const post = await request(http, `http://127.0.0.1:${port}/upload`, { agent, method: 'POST' }, upload);
    expect(post.body).toBe(`POST /upload ${upload.length} ${sha256(upload)}`);
    agent.destroy();
  }, 60_000);

  it('keeps one link alive across requests with keepAlive', async () => {
    const rig = await startNetRig(protocol);
    const server = await listen(http.createServer({ keepAlive: true }));
    const agent = new HttpAgent(rig.copro, { keepAlive: true });
    for (let i = 0; i < 3; i++) expect((await request(http, `http://127.0.0.1:${server.port}/${i}`, { agent })).body).toMatch(`GET /${i} 0`);
    expect(server.connections()).toBe(1);
    agent.destroy();
  });

  it('queues requests beyond the links the module has', async () => {
    const rig = await startNetRig(protocol);
    const server = await listen(http.createServer());
    const agent = new HttpAgent(rig.copro);
    expect(agent.maxTotalSockets).toBe(rig.copro.backend.info.maxLinks);
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => request(http, `http://127.0.0.1:${server.port}/${i}`, { agent })));
    expect(replies.map((r) => r.body.split(' ')[1])).toEqual(Array.from({ length: 12 }, (_, i) => `/${i}`));
    expect(server.connections()).toBe(12);
    agent.destroy();
  }, 60_000);

  /** A module whose store's CA 0 is a CA made now, and an https server with `identity` of that PKI. */
  async function httpsLab(identity: 'server' | 'rogueServer'): Promise<{ rig: Rig; port: number }> {
    const pki = await makeTestPki();
    const store = tlsWorld({ caCerts: [pki.ca.cert] });
    stops.push(() => store.dispose());
    const rig = await startNetRig(protocol, { world: store.world });
    const { port } = await listen(https.createServer({ key: pki[identity].key, cert: pki[identity].cert }));
    return { rig, port };
  }

  it('GETs over https, the server verified by the module against a CA made at test time', async () => {
    const { rig, port } = await httpsLab('server');
    const agent = new HttpsAgent(rig.copro, { ca: 0 });
    const reply = await request(https, `https://peer.lab:${port}/secure`, { agent });
    expect(reply.body).toMatch(/^GET \/secure 0 /);
    expect(reply.socket).toBeInstanceOf(ModuleTlsSocket);
    expect((reply.socket as ModuleTlsSocket).authorized).toBe(true);
    expect((reply.socket as ModuleTlsSocket).servername).toBe('peer.lab');
    agent.destroy();
  }, 60_000);

  it('fails an https request to a server the module does not trust with ECONNABORTED', async () => {
    const { rig, port } = await httpsLab('rogueServer');
    const failure = await request(https, `https://peer.lab:${port}/`, { agent: new HttpsAgent(rig.copro) }).then(
      () => null,
      (err: Error & { code?: string }) => err,
    );
    expect(failure).toMatchObject({ code: 'ECONNABORTED', syscall: 'connect' });
  }, 60_000);
});

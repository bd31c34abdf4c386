import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  StackError,
  createNetworkStack,
  type TlsConnectOptions,
  type VirtualNetworkStack,
} from '../../emulator/network/index.js';
import { loadWorldConfig, parseWorldConfig } from '../../emulator/world-config.js';
import { makeTestPki, TlsPeer, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, FAST_WORLD, LAB, waitUntil } from './harness.js';

/** NetworkStack.connectTls without the AT front end, and the certificate store of the world config. */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function joinedStack(): Promise<VirtualNetworkStack> {
  const stack = createNetworkStack(FAST_WORLD, { lookup: async (name) => Promise.reject(new Error(`no DNS (${name})`)) });
  cleanup.add(() => stack.dispose());
  await stack.station.join(LAB.ssid, LAB.password);
  return stack;
}

async function server(options: Parameters<typeof TlsPeer.start>[0]): Promise<TlsPeer> {
  const peer = await TlsPeer.start(options);
  cleanup.add(() => peer.close());
  return peer;
}

function options(port: number, extra: Partial<TlsConnectOptions> = {}): TlsConnectOptions {
  return { host: '127.0.0.1', port, timeoutMs: 3000, servername: null, verify: null, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<StackError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StackError) return error;
    throw error;
  }
  throw new Error('expected a StackError');
}

describe('NetworkStack.connectTls', () => {
  it('returns a tls link whose session tells protocol, ALPN, SNI and verification, and moves bytes', async () => {
    const peer = await server({ identity: pki.server, alpn: ['mqtt'] });
    const stack = await joinedStack();
    const link = await stack.connectTls(
      options(peer.port, {
        servername: 'peer.lab',
        alpn: ['mqtt'],
        verify: { caPem: [pki.ca.cert], hostname: 'peer.lab' },
        maxVersion: 'TLSv1.2',
      }),
    );
    expect(link.kind).toBe('tls');
    expect(link.session).toMatchObject({ protocol: 'TLSv1.2', alpn: 'mqtt', servername: 'peer.lab', verified: true });
    expect(link.session.peerSubject).toBe('CN=peer.lab');
    const received: Buffer[] = [];
    link.setHandlers({ onData: (data) => received.push(data), onClose: () => undefined });
    await link.send(Buffer.from('ping'));
    await waitUntil(() => Buffer.concat(received).toString() === 'ping', 'the echo');
    expect(stack.openLinks).toContain(link);
    link.close();
  });

  it("rejects StackError('tls') naming the cause; an empty CA list trusts nothing", async () => {
    const peer = await server({ identity: pki.server });
    const stack = await joinedStack();
    const mismatch = await failure(
      stack.connectTls(options(peer.port, { verify: { caPem: [pki.ca.cert], hostname: 'elsewhere.lab' } })),
    );
    expect(mismatch.code).toBe('tls');
    expect(mismatch.message).toMatch(/host name mismatch.*elsewhere\.lab/);
    const noCa = await failure(stack.connectTls(options(peer.port, { verify: { caPem: [], hostname: null } })));
    expect([noCa.code, noCa.message]).toEqual(['tls', expect.stringMatching(/unknown CA/)]);
    expect(stack.openLinks).toHaveLength(0);
  });

  it("times out a server that accepts TCP but never answers the ClientHello (StackError('timeout'))", async () => {
    const silent = createServer((socket: Socket) => socket.on('error', () => undefined));
    const sockets: Socket[] = [];
    silent.on('connection', (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      silent.close(() => resolve());
    }));
    const port = (silent.address() as { port: number }).port;
    const stack = await joinedStack();
    const error = await failure(stack.connectTls(options(port, { timeoutMs: 150 })));
    expect([error.code, error.message]).toEqual(['timeout', expect.stringContaining('TLS handshake')]);
  });

  it("needs an IP address and passes the outbound policy with kind 'tls'", async () => {
    const peer = await server({ identity: pki.server });
    const stack = createNetworkStack(FAST_WORLD);
    cleanup.add(() => stack.dispose());
    expect((await failure(stack.connectTls(options(peer.port)))).code).toBe('no-ip');
    await stack.station.join(LAB.ssid, LAB.password);
    const seen: string[] = [];
    stack.setOutboundPolicy((remote, kind) => {
      seen.push(`${kind} ${remote.port}`);
      return false;
    });
    expect((await failure(stack.connectTls(options(peer.port)))).code).toBe('denied');
    expect(seen).toEqual([`tls ${peer.port}`]);
  });
});

describe('the certificate store in the world config ("tls")', () => {
  function files(entries: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'copro-store-'));
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
    for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it('reads PEM files relative to the config file, by index', async () => {
    const dir = files({
      'a.pem': pki.ca.cert,
      'b.pem': pki.selfSigned.cert + pki.ca.cert,
      'm.crt': pki.client.cert,
      'm.key': pki.client.key,
      'world.json': JSON.stringify({ tls: { caFiles: ['a.pem', 'b.pem'], clientCertFile: 'm.crt', clientKeyFile: 'm.key' } }),
    });
    const world = await loadWorldConfig(join(dir, 'world.json'));
    expect(world.tls?.caCerts.map((entry) => entry.subjects)).toEqual([['CN=copro test CA'], ['CN=peer.lab', 'CN=copro test CA']]);
    expect(world.tls?.clientCerts.map((entry) => [entry.subject, entry.keyFile])).toEqual([['CN=copro-module', join(dir, 'm.key')]]);
  });

  it('names the bad field: unreadable file, no certificate, a key of another certificate, both client forms', () => {
    const dir = files({ 'ca.pem': pki.ca.cert, 'junk.pem': 'hello', 'm.crt': pki.client.cert, 'other.key': pki.server.key });
    const parse = (tls: unknown): unknown => parseWorldConfig({ tls }, 'lab.json', { baseDir: dir });
    expect(() => parse({ caFiles: ['missing.pem'] })).toThrow(/lab\.json: tls\.caFiles\[0\]: cannot read .*missing\.pem/);
    expect(() => parse({ caFiles: ['ca.pem', 'junk.pem'] })).toThrow(/tls\.caFiles\[1\]: .*holds no PEM certificate/);
    expect(() => parse({ clientCertFile: 'm.crt', clientKeyFile: 'other.key' })).toThrow(
      /tls\.clientKeyFile: .*other\.key is not the private key of .*m\.crt/,
    );
    expect(() => parse({ clientCertFile: 'm.crt' })).toThrow(/tls\.clientKeyFile: is missing/);
    expect(() =>
      parse({ clientCertFile: 'm.crt', clientKeyFile: 'other.key', clientCerts: [] }),
    ).toThrow(/tls\.clientCerts: give either/);
    expect(() => parse({ caFile: 'ca.pem' })).toThrow(/tls\.caFile: unknown field/);
    expect(() => parse({ clientCerts: [{ certFile: 'm.crt' }] })).toThrow(/tls\.clientCerts\[0\]\.keyFile: must be a string/);
  });

  it('is empty when the section is absent', () => {
    expect(parseWorldConfig({}).tls).toEqual({ caCerts: [], clientCerts: [] });
  });
});

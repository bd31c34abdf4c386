import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';
import { parseWorldConfig, type WorldConfig } from '../../emulator/world-config.js';

/**
 * A small PKI made at test time with `selfsigned` (EC P-256 keys: fast), loopback TLS servers that
 * record what each client sent (SNI, ALPN, client certificate, bytes), and radio worlds whose
 * certificate store holds PEM files written to a temporary directory.
 */

export interface Pem {
  readonly cert: string;
  readonly key: string;
}

export interface TestPki {
  /** The CA the module trusts (its store's CA 0). */
  readonly ca: Pem;
  /** Server certificate for `peer.lab`, issued by `ca`. */
  readonly server: Pem;
  /** Server certificate for `peer.lab` from another CA the module does not know. */
  readonly rogueServer: Pem;
  /** A self-signed certificate for `peer.lab`. */
  readonly selfSigned: Pem;
  /** Issued by `ca` for `peer.lab`, expired yesterday. */
  readonly expired: Pem;
  /** The module's client certificate (CN=copro-module), issued by `ca`. */
  readonly client: Pem;
}

const DAY = 24 * 3600 * 1000;

function attrs(commonName: string): Array<{ name: string; value: string }> {
  return [{ name: 'commonName', value: commonName }];
}

async function makeCa(name: string): Promise<Pem> {
  const pems = await generate(attrs(name), {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

async function makeLeaf(
  name: string,
  issuer: Pem | null,
  usage: 'server' | 'client',
  validity: { notBeforeDate?: Date; notAfterDate?: Date } = {},
): Promise<Pem> {
  const pems = await generate(attrs(name), {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    ...(issuer ? { ca: { key: issuer.key, cert: issuer.cert } } : {}),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      usage === 'server' ? { name: 'extKeyUsage', serverAuth: true } : { name: 'extKeyUsage', clientAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: name }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export async function makeTestPki(): Promise<TestPki> {
  const ca = await makeCa('copro test CA');
  const rogueCa = await makeCa('somebody else CA');
  const now = Date.now();
  return {
    ca,
    server: await makeLeaf('peer.lab', ca, 'server'),
    rogueServer: await makeLeaf('peer.lab', rogueCa, 'server'),
    selfSigned: await makeLeaf('peer.lab', null, 'server'),
    expired: await makeLeaf('peer.lab', ca, 'server', {
      notBeforeDate: new Date(now - 30 * DAY),
      notAfterDate: new Date(now - DAY),
    }),
    client: await makeLeaf('copro-module', ca, 'client'),
  };
}

/** What one TLS client did on a TlsPeer. */
export interface TlsVisit {
  readonly socket: TLSSocket;
  /** The SNI the client sent, or null. */
  readonly servername: string | null;
  readonly alpn: string | null;
  /** CN of the client certificate, if one was presented. */
  readonly clientCn: string | null;
  received: Buffer;
}

export interface TlsPeerOptions {
  readonly identity: Pem;
  /** Ask for a client certificate and refuse clients without one issued by this CA. */
  readonly requireClientCa?: string;
  readonly alpn?: readonly string[];
  /** Echo what clients send (default true). */
  readonly echo?: boolean;
  /** Sent to each client as soon as its handshake is done (servers that speak first). */
  readonly greeting?: string;
  /** The TLS 1.2 suites the server accepts (OpenSSL names; default node's). */
  readonly ciphers?: string;
}

/** A loopback TLS server that records each client (and echoes by default). */
export class TlsPeer {
  readonly visits: TlsVisit[] = [];
  /** Handshakes that failed on the server side (e.g. a client without a certificate), by message. */
  readonly refusals: string[] = [];
  /** Every SNI name received in a ClientHello, handshakes that failed later included. */
  readonly sniSeen: string[] = [];
  private readonly digest = createHash('sha256');
  private receivedCount = 0;

  readonly server: Server;

  private constructor(options: TlsPeerOptions) {
    this.server = createServer({
      cert: options.identity.cert,
      key: options.identity.key,
      SNICallback: (name, done) => {
        this.sniSeen.push(name);
        done(null, undefined); // the default context: one identity whatever the name
      },
      ALPNProtocols: options.alpn ? [...options.alpn] : undefined,
      ...(options.ciphers !== undefined ? { ciphers: options.ciphers } : {}),
      ...(options.requireClientCa ? { ca: [options.requireClientCa], requestCert: true, rejectUnauthorized: true } : {}),
    });
    this.server.on('secureConnection', (socket) => this.welcome(socket, options));
    this.server.on('tlsClientError', (error) => this.refusals.push(error.message));
  }

  static async start(options: TlsPeerOptions): Promise<TlsPeer> {
    const peer = new TlsPeer(options);
    await new Promise<void>((resolve) => peer.server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  private welcome(socket: TLSSocket, options: TlsPeerOptions): void {
    const certificate = socket.getPeerCertificate();
    const visit: TlsVisit = {
      socket,
      servername: typeof socket.servername === 'string' ? socket.servername : null,
      alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
      clientCn: typeof certificate?.subject?.CN === 'string' ? certificate.subject.CN : null,
      received: Buffer.alloc(0),
    };
    this.visits.push(visit);
    if (options.greeting !== undefined) socket.write(options.greeting);
    socket.on('data', (chunk: Buffer) => {
      visit.received = Buffer.concat([visit.received, chunk]);
      this.digest.update(chunk);
      this.receivedCount += chunk.length;
      if (options.echo !== false) socket.write(chunk);
    });
    socket.on('error', () => undefined);
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  receivedBytes(): number {
    return this.receivedCount;
  }

  receivedDigest(): string {
    return this.digest.copy().digest('hex');
  }

  close(): Promise<void> {
    for (const visit of this.visits) visit.socket.destroy();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface TlsWorld {
  readonly world: WorldConfig;
  /** The directory holding the PEM files (removed by dispose). */
  readonly dir: string;
  dispose(): void;
}

/**
 * A radio world at 1/100 of real time whose hosts table names `peer.lab` (127.0.0.1), and whose
 * certificate store holds `caCerts` (CA 0, 1, ...), `clientCerts` (PKI 0, 1, ...) and the SSL
 * server's identity and client CA (`server`, `serverCa`), written as PEM
 * files next to a notional config file and loaded through the `tls` section as a user's would be.
 */
export function tlsWorld(store: { caCerts?: readonly string[]; clientCerts?: readonly Pem[]; server?: Pem; serverCa?: string }): TlsWorld {
  const dir = mkdtempSync(join(tmpdir(), 'copro-tls-'));
  const caFiles = (store.caCerts ?? []).map((pem, index) => {
    writeFileSync(join(dir, `ca-${index}.pem`), pem);
    return `ca-${index}.pem`;
  });
  const clientCerts = (store.clientCerts ?? []).map((pem, index) => {
    writeFileSync(join(dir, `client-${index}.crt`), pem.cert);
    writeFileSync(join(dir, `client-${index}.key`), pem.key);
    return { certFile: `client-${index}.crt`, keyFile: `client-${index}.key` };
  });
  const server: Record<string, string> = {};
  if (store.server) {
    writeFileSync(join(dir, 'server.crt'), store.server.cert);
    writeFileSync(join(dir, 'server.key'), store.server.key);
    Object.assign(server, { serverCertFile: 'server.crt', serverKeyFile: 'server.key' });
  }
  if (store.serverCa) {
    writeFileSync(join(dir, 'server-ca.pem'), store.serverCa);
    server.serverCaFile = 'server-ca.pem';
  }
  const world = parseWorldConfig(
    { timing: { scale: 0.01 }, hosts: { 'peer.lab': '127.0.0.1' }, tls: { caFiles, clientCerts, ...server } },
    join(dir, 'world.json'),
    { baseDir: dir },
  );
  return { world, dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

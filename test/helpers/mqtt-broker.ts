import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Aedes, type AedesOptions } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Pem } from './tls-lab.js';

/**
 * A real MQTT broker for the tests: aedes in this process, on loopback port 0, reached over TCP,
 * TLS (a test-time certificate; optionally asking for a client certificate), WebSocket and secure
 * WebSocket (subprotocol `mqtt`, any path). It records what clients published and connected with,
 * and can refuse credentials or drop its clients.
 */

export interface BrokerOptions {
  /** Accept only this username/password (CONNACK 4 "bad user name or password" otherwise). */
  readonly credentials?: { readonly username: string; readonly password: string };
  readonly transport?: 'tcp' | 'tls' | 'ws' | 'wss';
  /** TLS and WSS: the server identity. */
  readonly identity?: Pem;
  /** TLS and WSS: require a client certificate issued by this CA. */
  readonly requireClientCa?: string;
  /** TLS: the ALPN protocols the broker speaks. */
  readonly alpn?: readonly string[];
  /** Never decide on a client's PUBLISH: no PUBACK, as a broker that stalls. */
  readonly stallPublishes?: boolean;
}

export interface SeenConnect {
  readonly clientId: string;
  readonly username: string | null;
  readonly keepalive: number;
  readonly clean: boolean;
  readonly will: { readonly topic: string; readonly payload: string; readonly qos: number; readonly retain: boolean } | null;
}

export interface SeenPublish {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: number;
  readonly retain: boolean;
  readonly clientId: string | null;
}

export class TestBroker {
  readonly connects: SeenConnect[] = [];
  readonly published: SeenPublish[] = [];
  readonly wsPaths: string[] = [];
  readonly servernames: string[] = [];
  readonly clientCertificates: string[] = [];
  /** The ALPN protocol each TLS client settled on (null: none). */
  readonly alpnSettled: (string | null)[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    readonly broker: Aedes,
    private readonly server: net.Server | HttpServer,
  ) {}

  static async start(options: BrokerOptions = {}): Promise<TestBroker> {
    const aedesOptions: AedesOptions = {
      authenticate: (_client, username, password, done) => {
        const wanted = options.credentials;
        const ok = wanted === undefined || (username === wanted.username && password?.toString() === wanted.password);
        if (ok) return done(null, true);
        const error = Object.assign(new Error('bad user name or password'), { returnCode: 4 });
        return done(error as Error & { returnCode: 4 }, false);
      },
    };
    if (options.stallPublishes) aedesOptions.authorizePublish = () => undefined;
    const broker = await Aedes.createBroker(aedesOptions);
    const transport = options.transport ?? 'tcp';
    const tlsOptions = {
      cert: options.identity?.cert,
      key: options.identity?.key,
      ...(options.requireClientCa ? { ca: [options.requireClientCa], requestCert: true, rejectUnauthorized: true } : {}),
      ...(options.alpn ? { ALPNProtocols: [...options.alpn] } : {}),
    };
    let server: net.Server | HttpServer;
    if (transport === 'tcp') server = net.createServer(broker.handle);
    else if (transport === 'tls') server = createTlsServer(tlsOptions, broker.handle);
    else server = transport === 'ws' ? createHttpServer() : createHttpsServer(tlsOptions);
    const test = new TestBroker(broker, server);
    if (transport === 'ws' || transport === 'wss') {
      const wss = new WebSocketServer({ server: server as HttpServer });
      wss.on('connection', (socket, request) => {
        test.wsPaths.push(request.url ?? '');
        broker.handle(createWebSocketStream(socket), request);
      });
    }
    server.on(transport === 'tls' ? 'secureConnection' : 'connection', (socket: net.Socket) => {
      test.sockets.add(socket);
      socket.on('close', () => test.sockets.delete(socket));
      const secure = socket as TLSSocket;
      if (typeof secure.servername === 'string') test.servernames.push(secure.servername);
      if (transport === 'tls') test.alpnSettled.push(typeof secure.alpnProtocol === 'string' ? secure.alpnProtocol : null);
      const subject = typeof secure.getPeerCertificate === 'function' ? secure.getPeerCertificate()?.subject?.CN : undefined;
      if (typeof subject === 'string') test.clientCertificates.push(subject);
    });
    broker.on('publish', (packet, client) => {
      if (client === null) return;
      test.published.push({ topic: packet.topic, payload: Buffer.from(packet.payload), qos: packet.qos, retain: packet.retain, clientId: client.id });
    });
    broker.preConnect = (_client, packet, done) => {
      test.connects.push({
        clientId: packet.clientId,
        username: packet.username ?? null,
        keepalive: packet.keepalive ?? 0,
        clean: packet.clean ?? true,
        will: packet.will
          ? {
              topic: packet.will.topic,
              payload: Buffer.from(packet.will.payload).toString('latin1'),
              qos: packet.will.qos ?? 0,
              retain: packet.will.retain ?? false,
            }
          : null,
      });
      done(null, true);
    };
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return test;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Cuts every client's connection (TCP reset), as a broker that dies does. */
  dropClients(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /** Publishes from the broker itself (as another client would). */
  publish(topic: string, payload: string | Buffer, qos: 0 | 1 = 0): Promise<void> {
    return new Promise((resolve, reject) =>
      this.broker.publish(
        { cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload, qos, retain: false, dup: false },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

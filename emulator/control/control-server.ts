import { chmod, lstat, unlink } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ControlEndpoint } from './control-endpoint.js';
import { describeEndpoint } from './control-endpoint.js';
import {
  ControlProtocolError,
  MAX_REQUEST_BYTES,
  parseControlRequest,
  type ControlRequest,
  type ControlResponse,
} from './control-protocol.js';

export type ControlHandler = (request: ControlRequest) => ControlResponse | Promise<ControlResponse>;

export interface ControlServerOptions {
  readonly endpoint: ControlEndpoint;
  readonly handler: ControlHandler;
  /** Clients at once; more are told so and closed. Default 8. */
  readonly maxClients?: number;
  /** A client silent this long is dropped. Default 30 s. */
  readonly idleMs?: number;
}

export interface ControlServer {
  /** Where it really listens (the port chosen for TCP port 0). */
  readonly endpoint: ControlEndpoint;
  close(): Promise<void>;
}

/**
 * The daemon end of the control channel. Bounded on every side a client controls: one request
 * line is at most MAX_REQUEST_BYTES (a longer one is answered with an error and the connection
 * closed), at most `maxClients` connections, idle ones dropped. A unix socket is created 0600 in
 * the (0700) state directory; a stale socket left by a killed daemon is replaced, a live one is
 * an error. TCP binds 127.0.0.1 unless the endpoint names another host.
 */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const maxClients = options.maxClients ?? 8;
  const idleMs = options.idleMs ?? 30_000;
  const clients = new Set<Socket>();
  // Half-open: a client may send its requests and end its side; it still gets every answer.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    if (clients.size >= maxClients) {
      socket.on('error', () => undefined);
      socket.end(`${JSON.stringify({ ok: false, error: 'too many control clients' })}\n`);
      return;
    }
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    serveClient(socket, options.handler, idleMs);
  });
  server.on('error', () => undefined);
  const endpoint = options.endpoint;
  if (endpoint.kind === 'unix') await removeStaleSocket(endpoint.path);
  await listen(server, endpoint);
  if (endpoint.kind === 'unix') await chmod(endpoint.path, 0o600);
  const actual: ControlEndpoint =
    endpoint.kind === 'tcp' ? { ...endpoint, port: (server.address() as AddressInfo).port } : endpoint;
  let closing: Promise<void> | null = null;
  return {
    endpoint: actual,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of clients) socket.destroy();
        await closed;
        if (endpoint.kind === 'unix') await unlinkIfSocket(endpoint.path);
      })();
      return closing;
    },
  };
}

/** Requests a client may have queued unanswered; a client that never reads its answers is cut off. */
const MAX_QUEUED_REQUESTS = 64;

function serveClient(socket: Socket, handler: ControlHandler, idleMs: number): void {
  let pending = '';
  let queued = 0;
  let chain = Promise.resolve();
  socket.setEncoding('utf8');
  socket.setTimeout(idleMs, () => socket.destroy());
  socket.on('error', () => undefined);
  socket.on('end', () => {
    chain = chain.then(() => {
      socket.end();
    });
  });
  const reply = (response: ControlResponse): void => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
  };
  socket.on('data', (text: string) => {
    pending += text;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() === '') continue;
      if (++queued > MAX_QUEUED_REQUESTS) {
        socket.destroy();
        return;
      }
      // Answered in order, one at a time.
      chain = chain.then(async () => {
        reply(await answer(line, handler));
        queued--;
      });
    }
    if (Buffer.byteLength(pending) > MAX_REQUEST_BYTES) {
      pending = '';
      chain = chain.then(() => {
        reply({ ok: false, error: `request longer than ${MAX_REQUEST_BYTES} bytes` });
        socket.end();
      });
    }
  });
}

async function answer(line: string, handler: ControlHandler): Promise<ControlResponse> {
  if (Buffer.byteLength(line) > MAX_REQUEST_BYTES) return { ok: false, error: `request longer than ${MAX_REQUEST_BYTES} bytes` };
  try {
    return await handler(parseControlRequest(line));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: error instanceof ControlProtocolError ? `bad request: ${message}` : message };
  }
}

function listen(server: Server, endpoint: ControlEndpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void =>
      reject(new Error(`cannot open the control channel on ${describeEndpoint(endpoint)}: ${error.code === 'EADDRINUSE' ? 'address already in use' : error.message}`));
    server.once('error', fail);
    const done = (): void => {
      server.off('error', fail);
      resolve();
    };
    if (endpoint.kind === 'unix') server.listen(endpoint.path, done);
    else server.listen({ host: endpoint.host, port: endpoint.port }, done);
  });
}

/** A socket file nobody answers on is a leftover of a killed daemon; a live one belongs to another daemon. */
async function removeStaleSocket(path: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (info === null) return;
  if (!info.isSocket()) throw new Error(`cannot open the control channel: ${path} exists and is not a socket`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`another copro emulate already serves ${path} (choose another --name)`);
  await unlink(path).catch(() => undefined);
}

async function unlinkIfSocket(path: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (info?.isSocket()) await unlink(path).catch(() => undefined);
}

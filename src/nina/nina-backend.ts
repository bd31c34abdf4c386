/**
 * The NINA back end: the narrow Backend interface (src/backend.ts) done with nina-fw's binary
 * commands, framed on the serial link as docs/spi.md describes. Differences the protocol forces,
 * compared with ESP-AT:
 * - nothing is announced: data, peer closes and new clients are found by polling (AVAIL_DATA_TCP,
 *   GET_CLIENT_STATE_TCP) while someone waits, every `pollIntervalMs`;
 * - GET_SOCKET does not reserve (peers.md N4): allocating a number and starting a socket on it run as
 *   one critical section, and so does a server handing out a client number;
 * - a UDP datagram is START_CLIENT_TCP + INSERT_DATABUF + SEND_UDP_DATA, at most 1500 bytes;
 * - a server's listener cannot be stopped (nina-fw has no command): close() frees its number only;
 * - the module's state (station, address) is learned by asking, never told — a reset included: it
 *   shows as connections ending while the station is off its network, or as the module handing out
 *   a socket number this side still holds (the holder is failed: ECONNABORTED).
 */
import { bestEffort } from '../best-effort.js';
import { ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { ConnectionStatus, MAX_SOCKETS, NO_SOCKET, ProtocolMode } from '../../firmware-protocol/nina/constants.js';
import type { Backend, BackendInfo, BackendLink, BackendServer, LinkSpec } from '../backend.js';
import { OSError, isOSError, osError } from '../errors.js';
import type { HostPort } from '../host-port/types.js';
import { owedClock, systemClock } from '../clock.js';
import type { Clock, ClockTimer } from '../clock.js';
import type { TraceSink } from '../at/trace.js';
import { NinaClient, NinaErrorReply } from './nina-client.js';
import { NinaLink } from './nina-link.js';
import { checkNinaTls } from './nina-tls.js';
import { NinaServer, type ServerEngine } from './nina-server.js';
import { NinaWlan } from './nina-wlan.js';

export interface NinaBackendOptions {
  readonly trace?: TraceSink;
  /** How often readiness is polled while someone waits (default 20 ms: NINA announces nothing). */
  readonly pollIntervalMs?: number;
  /** The time base of reply deadlines, the join and the poll (default systemClock). */
  readonly clock?: Clock;
}

const HOSTNAME_BYTES = 255;

export class NinaBackend implements Backend {
  info: BackendInfo = { name: 'NINA (not synchronised)', maxLinks: MAX_SOCKETS, kinds: ['tcp', 'udp', 'tls'], ipv6: false };
  readonly wlan: NinaWlan;
  private readonly client: NinaClient;
  private readonly links = new Set<NinaLink>();
  private readonly servers = new Set<NinaServer>();
  private readonly engine: ServerEngine;
  private lock: Promise<unknown> = Promise.resolve();
  private waiters = 0;
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  private timer: ClockTimer | null = null;
  private closed: OSError | null = null;
  private nextUdpPort = 49152 + Math.floor(Math.random() * 10000);
  private readonly pollIntervalMs: number;
  readonly clock: Clock;

  private constructor(
    private readonly port: HostPort,
    private readonly options: NinaBackendOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 20;
    this.clock = options.clock ?? systemClock;
    this.client = new NinaClient(port, options.trace, (reason) => this.failEverything(reason), owedClock(this.clock));
    this.wlan = new NinaWlan(this.client, owedClock(this.clock));
    const backend = this;
    this.engine = {
      client: this.client,
      trace: options.trace,
      waiting: (delta) => this.waiting(delta),
      wantPoll: () => this.wantPoll(),
      released: (link) => this.links.delete(link),
      exclusive: (work) => this.exclusive(work),
      adopt: (link) => this.links.add(link),
      serverClosed: (server) => backend.servers.delete(server),
      connectionLost: (what) => this.connectionLost(what),
      claim: (n) => this.claim(n),
    };
  }

  /**
   * Opens the back end on a port: asks the firmware version (which also clears whatever a previous
   * session left in the stream), frees every socket number, and learns the station's status.
   */
  static async open(port: HostPort, options: NinaBackendOptions = {}): Promise<NinaBackend> {
    const backend = new NinaBackend(port, options);
    try {
      await backend.synchronise();
    } catch (err) {
      await backend.close();
      throw err;
    }
    return backend;
  }

  // ---- Backend ----------------------------------------------------------------------------

  async resolve(host: string): Promise<string> {
    const name = f.textBytes(host);
    if (name.length > HOSTNAME_BYTES) throw osError('EAI_NONAME', `host names are limited to ${HOSTNAME_BYTES} bytes by the module`);
    const [ok] = await this.client.call('REQ_HOST_BY_NAME', [name]);
    if (f.readU8(ok) === 1) {
      const [ip] = await this.client.call('GET_HOST_BY_NAME');
      const address = f.ipv4Text(ip);
      if (address !== '255.255.255.255') return address;
    }
    const status = await this.wlan.refresh().catch(() => -1);
    if (status !== ConnectionStatus.CONNECTED) throw osError('EAI_FAIL', `cannot resolve ${host}: not connected to a WiFi network`);
    throw osError('EAI_NONAME', `the module could not resolve ${host}`);
  }

  async open(spec: LinkSpec): Promise<BackendLink> {
    this.checkOpen();
    if (spec.remote && !/^\d{1,3}(\.\d{1,3}){3}$/.test(spec.remote.ip)) throw osError('EAFNOSUPPORT', 'the module is used with IPv4 only');
    if (spec.kind === 'udp') return this.openUdp(spec);
    const remote = spec.remote;
    if (!remote) throw osError('EDESTADDRREQ');
    if (spec.kind === 'tls') checkNinaTls(spec.tls ?? {}, this.options.trace);
    return this.exclusive(async () => {
      const n = await this.freeNumber();
      const tls = spec.kind === 'tls';
      const mode = f.u8(tls ? ProtocolMode.TLS : ProtocolMode.TCP);
      const address = f.ipv4Bytes(remote.ip);
      const name = tls ? spec.tls?.serverHostname : undefined;
      // By name (5 parameters) when TLS has a server name: nina-fw sets SNI and checks the name only then.
      const params = name ? [f.textBytes(name), address, f.u16be(remote.port), f.u8(n), mode] : [address, f.u16be(remote.port), f.u8(n), mode];
      const reply = await this.client.call('START_CLIENT_TCP', params);
      if (reply.length === 0) throw await this.connectError(spec);
      const link = new NinaLink(n, spec.kind, remote, this.engine);
      this.links.add(link);
      return link;
    });
  }

  async serve(port: number, backlog: number): Promise<BackendServer> {
    this.checkOpen();
    void backlog; // nina-fw listens with a backlog of 1 and queues what lwIP accepts
    return this.exclusive(async () => {
      const n = await this.freeNumber();
      await this.client.call('START_SERVER_TCP', [f.u16be(port), f.u8(n), f.u8(ProtocolMode.TCP)]);
      // nina-fw answers 1 even when the listen failed; GET_STATE_TCP tells.
      if (f.readU8((await this.client.call('GET_STATE_TCP', [f.u8(n)]))[0]) !== 1) {
        await bestEffort(this.client.call('STOP_CLIENT_TCP', [f.u8(n)]), this.options.trace, `STOP_CLIENT_TCP ${n}`);
        throw osError('EADDRINUSE', `the module could not listen on port ${port}`);
      }
      const server = new NinaServer(n, port, this.engine);
      this.servers.add(server);
      return server;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = osError('EBADF', 'the module was closed');
    this.failEverything(this.closed);
    this.client.shutdown(this.closed);
    await this.port.close();
  }

  // ---- sockets ----------------------------------------------------------------------------

  private async openUdp(spec: LinkSpec): Promise<BackendLink> {
    return this.exclusive(async () => {
      const n = await this.freeNumber();
      const localPort = spec.localPort || this.allocateUdpPort();
      const [bound] = await this.client.call('START_SERVER_TCP', [f.u16be(localPort), f.u8(n), f.u8(ProtocolMode.UDP)]);
      if (f.readU8(bound) !== 1) throw osError('EADDRINUSE', `the module could not bind UDP port ${localPort}`);
      if (spec.remote) {
        const reply = await this.client.call('START_CLIENT_TCP', [f.ipv4Bytes(spec.remote.ip), f.u16be(spec.remote.port), f.u8(n), f.u8(ProtocolMode.UDP)]);
        if (reply.length === 0) {
          await bestEffort(this.client.call('STOP_CLIENT_TCP', [f.u8(n)]), this.options.trace, `STOP_CLIENT_TCP ${n}`);
          throw osError('EHOSTUNREACH', `cannot send to ${spec.remote.ip}`);
        }
      }
      const link = new NinaLink(n, 'udp', spec.remote, this.engine);
      this.links.add(link);
      return link;
    });
  }

  /** GET_SOCKET (call inside exclusive()). */
  private async freeNumber(): Promise<number> {
    const n = f.readU8((await this.client.call('GET_SOCKET'))[0]);
    if (n === NO_SOCKET || n >= MAX_SOCKETS) throw osError('ENFILE', `all ${MAX_SOCKETS} sockets of the module are in use`);
    this.claim(n);
    return n;
  }

  /**
   * The module handed out number `n` (GET_SOCKET, or a server's new client; inside exclusive()). If
   * a link or server here still holds it, the module has forgotten that socket behind our back —
   * nina-fw frees numbers only when told to or when asked about a closed one, so it restarted — and
   * the holder is failed before the number gets a new owner: it must never read or stop the new one.
   */
  private claim(n: number): void {
    const reason = (): OSError => osError('ECONNABORTED', `the module restarted: it forgot socket ${n} (nina-fw announces no reset)`);
    for (const link of this.links) if (link.number === n) link.fail(reason());
    for (const server of this.servers) {
      if (server.number !== n) continue;
      server.fail(reason());
      this.servers.delete(server);
    }
  }

  /** A connection ended: fails it (ECONNABORTED) when the station is off its network. */
  private async connectionLost(what: string): Promise<OSError | null> {
    const status = await this.wlan.refresh().catch(() => ConnectionStatus.CONNECTED);
    if (status === ConnectionStatus.CONNECTED) return null;
    return osError('ECONNABORTED', `${what} was lost: the module restarted, or left its network (nina-fw does not say which)`);
  }

  private async connectError(spec: LinkSpec): Promise<OSError> {
    const status = await this.wlan.refresh().catch(() => -1);
    const to = spec.remote ? `${spec.remote.ip}:${spec.remote.port}` : '?';
    if (status !== ConnectionStatus.CONNECTED) return osError('EHOSTUNREACH', `cannot reach ${to}: the module has no IP address (join a WiFi network first)`);
    if (spec.kind === 'tls') return osError('ECONNABORTED', `the TLS connection to ${to} failed (refused, or the handshake failed)`);
    return osError('ECONNREFUSED', `the module could not connect to ${to}`);
  }

  /** Runs `work` alone among the operations that hand out socket numbers (GET_SOCKET does not reserve). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  // ---- readiness polling --------------------------------------------------------------------

  private waiting(delta: number): void {
    this.waiters += delta;
    if (this.waiters > 0) this.schedule(this.pollIntervalMs);
  }

  private wantPoll(): void {
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    if (this.timer) {
      if (delayMs > 0) return;
      this.clock.clearTimeout(this.timer);
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.polling = this.pollOnce().finally(() => {
        this.polling = null;
        const again = this.pollAgain;
        this.pollAgain = false;
        if (this.waiters > 0 || again) this.schedule(this.pollIntervalMs);
      });
    }, delayMs);
  }

  /** One round: every link and server someone waits on, in turn. */
  private async pollOnce(): Promise<void> {
    const targets = [...[...this.links].filter((l) => l.interested), ...[...this.servers].filter((s) => s.interested)];
    for (const target of targets) {
      if (this.closed) return;
      try {
        await target.poll();
      } catch (err) {
        // A poll that failed is retried next round; a dead port fails everything by itself.
        this.options.trace?.(`! poll: ${(err as Error).message}`);
      }
    }
  }

  // ---- session ------------------------------------------------------------------------------

  private async synchronise(): Promise<void> {
    let version: string | null = null;
    // Stale bytes in front of our first frame earn one error reply: ask again.
    for (let attempt = 0; attempt < 3 && version === null; attempt++) {
      try {
        version = f.bytesText((await this.client.call('GET_FW_VERSION', [], 2000))[0] ?? new Uint8Array(0));
      } catch (err) {
        if (!(err instanceof NinaErrorReply) && !isOSError(err, 'ETIMEDOUT')) throw err;
      }
    }
    if (version === null) throw osError('ENODEV', `no NINA module answers on ${this.port.path}`);
    // Whatever an earlier session left open on the module is ours to stop now.
    for (let n = 0; n < MAX_SOCKETS; n++) await this.client.call('STOP_CLIENT_TCP', [f.u8(n)]);
    await this.wlan.refresh();
    this.info = { name: `NINA nina-fw ${version}`, maxLinks: MAX_SOCKETS, kinds: ['tcp', 'udp', 'tls'], ipv6: false };
  }

  private checkOpen(): void {
    if (this.closed) throw this.closed;
  }

  private failEverything(reason: OSError): void {
    this.closed ??= reason;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const link of [...this.links]) link.fail(reason);
    this.links.clear();
    for (const server of [...this.servers]) server.fail(reason);
    this.servers.clear();
  }

  private allocateUdpPort(): number {
    const port = this.nextUdpPort;
    this.nextUdpPort = port >= 65000 ? 49152 : port + 1;
    return port;
  }
}

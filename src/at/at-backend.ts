/**
 * The ESP-AT back end: the narrow Backend interface (src/backend.ts) done with AT commands over
 * one AtClient. Owns the link id table, routes unsolicited messages to links, the server and the
 * station, and resynchronises the module after a reset without restarting anything else.
 */
import { isIPv4 } from 'node:net';
import type { Address, Backend, BackendInfo, BackendLink, BackendServer, LinkKind, LinkSpec } from '../backend.js';
import { OSError, isOSError, osError } from '../errors.js';
import type { HostPort } from '../host-port/types.js';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import type { RemoteInfo, Urc } from '../../firmware-protocol/at/types.js';
import { AtClient } from './at-client.js';
import type { AtReply, AtRequest } from './at-client.js';
import { AtLink } from './at-link.js';
import type { LinkIo } from './at-link.js';
import { AtServer } from './at-server.js';
import { AtWlan } from './at-wlan.js';
import { LinkIds, MAX_LINKS } from './link-ids.js';
import { PassiveReader } from './passive-reader.js';
import { transmit } from './sender.js';
import type { SenderEngine } from './sender.js';
import { domainAddress, linkStates } from './replies.js';
import { resolveError, startError, tlsStartError } from './link-errors.js';
import { AtRequests } from './requests.js';
import { synchroniseAfterResets } from './sync.js';
import type { SessionFacts } from './sync.js';
import type { TraceSink } from './trace.js';
import { TlsSettingsCache, configureTls, describeTls } from './tls-setup.js';
import type { TlsSetupEngine } from './tls-setup.js';

export interface AtBackendOptions {
  readonly trace?: TraceSink;
  /** While someone waits for data, AT+CIPRECVLEN? is asked this often (missed notices, peers.md E2). */
  readonly pollIntervalMs?: number;
  /** First re-send delay after `busy p...`. */
  readonly busyRetryMs?: number;
  /** How long each `AT` probe of the synchronisation waits (5 probes; default 1000 ms). */
  readonly probeTimeoutMs?: number;
}

/** ESP-AT opens all three; NonOS 1.7 one SSL link at a time (checked in open()). */
const LINK_KINDS: readonly LinkKind[] = ['tcp', 'udp', 'tls'];

export class AtBackend implements Backend {
  info: BackendInfo = { name: 'ESP-AT (not synchronised)', maxLinks: MAX_LINKS, kinds: LINK_KINDS, ipv6: false };
  readonly wlan: AtWlan;
  requests = new AtRequests('esp32-at-2.x');
  facts: SessionFacts | null = null;

  private readonly client: AtClient;
  private readonly parser = new HostResponseParser(DEFAULT_PROFILE);
  private readonly ids = new LinkIds();
  private server: AtServer | null = null;
  private synced: Promise<void>;
  private syncRunning = false;
  private syncAgain = false;
  private closed: OSError | null = null;
  private nextUdpPort = 49152 + Math.floor(Math.random() * 10000);
  private readonly probeTimeoutMs: number | undefined;
  private readonly trace: TraceSink | undefined;
  private readonly io: LinkIo;
  private readonly reader: PassiveReader;
  private readonly tlsEngine: TlsSetupEngine;
  /** SSL settings the module holds from this session (a reset starts a new one). */
  private tlsSettings = new TlsSettingsCache();
  /** TLS connects in progress (NonOS 1.7 allows one SSL link at a time). */
  private tlsOpening = 0;

  private constructor(
    private readonly port: HostPort,
    options: AtBackendOptions,
  ) {
    this.trace = options.trace;
    this.probeTimeoutMs = options.probeTimeoutMs;
    this.client = new AtClient(port, this.parser, {
      onUrc: (urc) => this.onUrc(urc),
      onIpd: (link, data, remote) => this.onIpd(link, data, remote),
      onReset: () => this.onReset(),
      onPortClosed: (err) => this.onPortClosed(err),
    }, { trace: options.trace, busyRetryMs: options.busyRetryMs });
    const backend = this;
    this.wlan = new AtWlan({
      command: (r) => backend.command(r),
      get requests() {
        return backend.requests;
      },
    });
    this.reader = new PassiveReader(
      {
        command: (r) => backend.command(r),
        get requests() {
          return backend.requests;
        },
        ids: this.ids,
        get maxRecv() {
          return backend.facts?.maxRecv ?? 2048;
        },
        get passive() {
          return backend.closed === null && backend.facts?.passive === true;
        },
      },
      options.pollIntervalMs ?? 500,
    );
    const sender: SenderEngine = {
      command: (r) => backend.command(r),
      get requests() {
        return backend.requests;
      },
      get maxSend() {
        return backend.facts?.maxSend ?? 2048;
      },
    };
    this.io = {
      fetch: (link, max) => this.reader.fetch(link, max),
      transmit: (link, data, to) => transmit(sender, link, data, to),
      release: (link) => this.release(link),
      wantData: () => this.reader.wantData(),
      waiting: (delta) => this.reader.waiting(delta),
    };
    this.tlsEngine = {
      run: (r) => this.client.run(r),
      get requests() {
        return backend.requests;
      },
      trace: this.trace,
    };
    this.synced = this.startSync();
  }

  /** Opens the engine on a port and waits until the module is synchronised. */
  static async open(port: HostPort, options: AtBackendOptions = {}): Promise<AtBackend> {
    const backend = new AtBackend(port, options);
    try {
      await backend.synced;
    } catch (err) {
      await backend.close();
      throw err;
    }
    return backend;
  }

  /** Every command of the public API waits for synchronisation first. */
  command(request: AtRequest): Promise<AtReply> {
    return this.synced.then(() => this.client.run(request));
  }

  // ---- Backend ----------------------------------------------------------------------------

  async resolve(host: string): Promise<string> {
    if (Buffer.byteLength(host) > 64) throw osError('EAI_NONAME', 'host names are limited to 64 bytes by the module');
    let reply: AtReply;
    try {
      reply = await this.command(this.requests.resolve(host));
    } catch (err) {
      if (isOSError(err, 'ETIMEDOUT')) throw osError('EAI_AGAIN', `the module did not resolve ${host} in time`);
      throw err;
    }
    const ip = reply.result === 'OK' ? domainAddress(reply) : null;
    if (ip && isIPv4(ip)) return ip;
    throw resolveError(reply, host, this.wlan.connected());
  }

  async open(spec: LinkSpec): Promise<BackendLink> {
    await this.synced;
    if (spec.remote && !isIPv4(spec.remote.ip)) throw osError('EAFNOSUPPORT', 'the module is used with IPv4 only');
    if (spec.kind !== 'tls') return this.openLink(spec);
    if (this.requests.profileId === 'esp8266-at-1.7') {
      const busy = this.tlsOpening > 0 || this.ids.all().some((l) => l.kind === 'tls' && l.state === 'open');
      if (busy) throw osError('ENFILE', 'NonOS AT 1.7 runs one SSL link at a time, and one is open');
    }
    this.tlsOpening += 1;
    try {
      return await this.openLink(spec);
    } finally {
      this.tlsOpening -= 1;
    }
  }

  private async openLink(spec: LinkSpec): Promise<BackendLink> {
    for (let attempt = 0; attempt < MAX_LINKS; attempt++) {
      const id = this.ids.reserve();
      if (id === null) throw osError('ENFILE', `all ${MAX_LINKS} links of the module are in use`);
      const localPort = spec.kind === 'udp' ? spec.localPort || this.allocateUdpPort() : null;
      const remote = spec.remote ?? { ip: '0.0.0.0', port: localPort ?? 0 };
      let reply: AtReply | null = null;
      let setupFailure: OSError | null = null;
      let sawConnect: boolean;
      try {
        // TLS: the link id's SSL client settings first (tls-setup.ts).
        if (spec.kind === 'tls') setupFailure = await configureTls(this.tlsEngine, this.tlsSettings, id, spec.tls ?? {});
        if (!setupFailure) reply = await this.client.run(this.startRequest(spec, id, remote, localPort));
      } finally {
        sawConnect = this.ids.unreserve(id);
      }
      if (!reply) {
        // A server client took the id while we configured it: it is the server's now.
        if (sawConnect && this.server) {
          this.clientArrived(id);
          continue;
        }
        throw setupFailure ?? osError('EIO', 'TLS setup failed');
      }
      if (reply.result === 'OK') return this.adoptStarted(id, spec, reply, localPort);
      if (reply.lines.includes('ALREADY CONNECTED')) {
        // A server client took this id just before our CIPSTART (its CONNECT came first).
        if (sawConnect && this.server) this.clientArrived(id);
        else await this.client.run(this.requests.close(id));
        continue;
      }
      if (sawConnect && this.server) this.clientArrived(id);
      throw this.startFailure(reply, spec, false);
    }
    throw osError('ENFILE', 'no free link id on the module');
  }

  private startRequest(spec: LinkSpec, id: number, remote: Address, localPort: number | null): AtRequest {
    if (spec.kind === 'udp') return this.requests.startUdp(id, remote.ip, remote.port, localPort ?? 0);
    if (spec.kind === 'tls') return this.requests.startSsl(id, remote.ip, remote.port, spec.keepAliveSec);
    return this.requests.startTcp(id, remote.ip, remote.port, spec.keepAliveSec);
  }

  /**
   * CIPSTART answered OK. What arrived for the id meanwhile was not routed (the id was being
   * started): replay it — a notice of data, or the link closing — after the link's own CONNECT.
   * NonOS 1.7 reports a failed SSL handshake as `<id>,CLOSED` then OK, with no CONNECT.
   */
  private adoptStarted(id: number, spec: LinkSpec, reply: AtReply, localPort: number | null): AtLink {
    const forId = reply.urcs.filter((u) => (u.kind === 'connect' || u.kind === 'closed' || u.kind === 'ipd-notice') && u.link === id);
    const lastConnect = forId.map((u) => u.kind).lastIndexOf('connect');
    const after = forId.slice(lastConnect + 1);
    if (spec.kind === 'tls' && lastConnect < 0 && after.some((u) => u.kind === 'closed')) throw this.startFailure(reply, spec, true);
    const link = new AtLink(id, spec.kind, spec.remote, this.io, localPort);
    this.ids.set(id, link);
    for (const urc of after) {
      if (urc.kind === 'ipd-notice') link.noticed(urc.length);
      else if (urc.kind === 'closed') link.peerClosed();
    }
    if (link.state === 'peer-closed' && (!this.facts?.passive || link.pending === 0)) this.ids.release(id, link);
    return link;
  }

  private startFailure(reply: AtReply, spec: LinkSpec, handshake: boolean): OSError {
    const connected = this.wlan.connected();
    // NonOS 1.7 says ERROR only when the TCP connection failed (a handshake failure is CLOSED + OK).
    if (spec.kind !== 'tls' || (!handshake && this.requests.profileId === 'esp8266-at-1.7')) return startError(reply, spec, connected);
    return tlsStartError(reply, spec, connected, handshake, describeTls(spec.tls ?? {}));
  }

  async serve(port: number, backlog: number): Promise<BackendServer> {
    await this.synced;
    if (this.server) {
      if (this.server.port === port) throw osError('EADDRINUSE', `port ${port} is already listening`);
      throw osError('EOPNOTSUPP', `the module runs one server at a time (port ${this.server.port} is listening)`);
    }
    await this.command(this.requests.serverMaxConn(Math.min(MAX_LINKS, Math.max(1, backlog))));
    const reply = await this.command(this.requests.serverStart(port));
    if (reply.result !== 'OK') throw osError('EADDRINUSE', `the module could not listen on port ${port} (AT+CIPSERVER answered ${reply.result})`);
    const server = new AtServer(port, (s) => this.stopServer(s));
    this.server = server;
    return server;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = osError('EBADF', 'the module was closed');
    this.reader.stop();
    this.failEverything(this.closed);
    this.client.shutdown(this.closed);
    await this.port.close();
  }

  // ---- link I/O -----------------------------------------------------------------------------

  private async release(link: AtLink): Promise<void> {
    const id = link.id;
    if (id === null || this.ids.get(id) !== link) return;
    if (!this.closed && !link.failure) {
      await this.command(this.requests.close(id)).catch(() => undefined);
    }
    this.ids.release(id, link);
  }

  private async stopServer(server: AtServer): Promise<void> {
    if (this.server !== server) return;
    this.server = null;
    if (!this.closed) await this.command(this.requests.serverStop()).catch(() => undefined);
  }

  // ---- unsolicited messages -----------------------------------------------------------------

  private onUrc(urc: Urc): void {
    switch (urc.kind) {
      case 'connect':
        if (urc.link === null) return;
        if (this.ids.isStarting(urc.link)) this.ids.noteConnectWhileStarting(urc.link);
        else this.clientArrived(urc.link);
        return;
      case 'closed': {
        if (urc.link === null || this.ids.isStarting(urc.link)) return;
        const link = this.ids.get(urc.link);
        if (!link || link.state === 'closed') return;
        link.peerClosed();
        // Passive mode: data still buffered in the module stays readable (peers.md E3).
        if (!this.facts?.passive || link.pending === 0) this.ids.release(urc.link, link);
        return;
      }
      case 'ipd-notice':
        if (urc.link !== null) this.ids.get(urc.link)?.noticed(urc.length);
        return;
      case 'wifi-connected':
      case 'wifi-got-ip':
      case 'wifi-disconnect':
        this.wlan.onUrc(urc);
        return;
      default:
        return;
    }
  }

  private onIpd(id: number | null, data: Uint8Array, remote: RemoteInfo | null): void {
    if (id === null) return;
    this.ids.get(id)?.deliver(data, remote ? { ip: remote.ip, port: remote.port } : null, true);
  }

  /** `<id>,CONNECT` that is not ours: a client of our server. */
  private clientArrived(id: number): void {
    const previous = this.ids.get(id);
    if (previous) {
      // The module reused the id of a link it had closed: that link's leftovers are gone.
      previous.pending = 0;
      this.ids.release(id, previous);
    }
    const server = this.server;
    if (!server) {
      void this.command(this.requests.close(id)).catch(() => undefined);
      return;
    }
    const link = new AtLink(id, 'tcp', null, this.io);
    this.ids.set(id, link);
    // accept() returns the client's address: ask the module before offering the client.
    void this.command(this.requests.linkStates())
      .then((reply) => {
        const state = linkStates(reply).find((s) => s.link === id);
        if (state) link.remote = { ip: state.ip, port: state.remotePort };
      })
      .catch(() => undefined)
      .finally(() => {
        link.remote ??= { ip: '0.0.0.0', port: 0 };
        if (this.server === server && !server.closed) server.enqueue(link);
        else void link.close();
        this.reader.wantData();
      });
  }

  // ---- reset and resynchronisation ----------------------------------------------------------

  private onReset(): void {
    this.trace?.('! module reset: failing every link, resynchronising');
    this.failEverything(new OSError(osError('ECONNABORTED').errno, 'the module restarted: the connection was lost'));
    this.wlan.reset();
    if (!this.syncRunning) this.synced = this.startSync();
    else this.syncAgain = true;
  }

  private onPortClosed(err: Error | null): void {
    const reason = osError('EIO', `the serial port ${this.port.path} closed${err ? `: ${err.message}` : ''}`);
    this.closed = reason;
    this.reader.stop();
    this.failEverything(reason);
    this.synced = Promise.reject(reason);
    this.synced.catch(() => undefined);
  }

  private failEverything(err: OSError): void {
    for (const link of this.ids.clear()) link.fail(err);
    this.server?.fail(err);
    this.server = null;
  }

  /** Starts (re)synchronisation; its failure is reported to whoever waits on `synced`. */
  private startSync(): Promise<void> {
    const running = this.resync();
    running.catch((err: Error) => this.trace?.(`! synchronisation failed: ${err.message}`));
    return running;
  }

  private async resync(): Promise<void> {
    this.syncRunning = true;
    try {
      this.applyFacts(await synchroniseAfterResets(this.client, this.port.path, () => this.takeSyncAgain(), this.trace, this.probeTimeoutMs));
    } finally {
      this.syncRunning = false;
    }
  }

  /** Whether a reset came in while synchronising (and forget it). */
  private takeSyncAgain(): boolean {
    const again = this.syncAgain;
    this.syncAgain = false;
    return again;
  }

  private applyFacts(facts: SessionFacts): void {
    this.facts = facts;
    this.requests = new AtRequests(facts.profileId);
    // 2.x prints the sender before CIPRECVDATA's data when CIPDINFO=1; 1.7 never does.
    this.parser.setRecvDataRemote(facts.remoteInfo && facts.profileId === 'esp32-at-2.x');
    this.wlan.learned(facts.stationIp);
    this.info = { name: `ESP-AT ${facts.version.split('(')[0]} (${facts.profileId})`, maxLinks: MAX_LINKS, kinds: LINK_KINDS, ipv6: false };
    this.tlsSettings = new TlsSettingsCache();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private allocateUdpPort(): number {
    const port = this.nextUdpPort;
    this.nextUdpPort = port >= 65000 ? 49152 : port + 1;
    return port;
  }

}

/**
 * The ESP-AT back end: the narrow Backend interface (src/backend.ts) done with AT commands over
 * one AtClient. It owns the session — link id table, server, firmware facts — and resynchronises
 * the module after a reset without restarting anything else. Its parts live next to it:
 * link-opener.ts (CIPSTART), urc-router.ts (unsolicited messages), sender.ts and
 * passive-reader.ts (data), transparent.ts (CIPMODE=1), sync.ts (bringing a module up).
 */
import { bestEffort } from '../best-effort.js';
import { isIPv4, isIPv6 } from 'node:net';
import type { Backend, BackendInfo, BackendLink, BackendServer, LinkKind, LinkSpec } from '../backend.js';
import { owedClock, systemClock, type Clock } from '../clock.js';
import { OSError, isOSError, osError } from '../errors.js';
import type { HostPort } from '../host-port/types.js';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { AtHttp } from './at-http.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import { AtClient, type AtReply, type AtRequest } from './at-client.js';
import type { AtEngine } from './at-engine.js';
import type { AtLink, LinkIo } from './at-link.js';
import { AtServer } from './at-server.js';
import { AtWlan } from './at-wlan.js';
import { AtMqtt } from './at-mqtt.js';
import { AtSoftAp } from './at-softap.js';
import { LinkIds } from './link-ids.js';
import { LinkOpener } from './link-opener.js';
import { PassiveReader } from './passive-reader.js';
import { transmit } from './sender.js';
import { domainAddress } from './replies.js';
import { resolveError } from './link-errors.js';
import { AtRequests } from './requests.js';
import { synchroniseAfterResets, type SessionFacts } from './sync.js';
import type { TraceSink } from './trace.js';
import { ExclusiveMode, TRANSPARENT_TIMING, type TransparentTiming } from './transparent.js';
import { UrcRouter } from './urc-router.js';

export interface AtBackendOptions {
  readonly trace?: TraceSink;
  /** While someone waits for data, AT+CIPRECVLEN? is asked this often (missed notices, peers.md E2). */
  readonly pollIntervalMs?: number;
  /** First re-send delay after `busy p...`. */
  readonly busyRetryMs?: number;
  /** How long each `AT` probe of the synchronisation waits (5 probes; default 1000 ms). */
  readonly probeTimeoutMs?: number;
  /** Upper bound of every command's deadline (at-request.ts; default: none). */
  readonly maxCommandMs?: number;
  /** The `+++` timing of transparent mode (default: 50 ms guard, 1 s before the next command). */
  readonly transparent?: Partial<TransparentTiming>;
  /** The time base of every protocol timer (default systemClock; tests of logic pass a ManualClock). */
  readonly clock?: Clock;
}

/** ESP-AT opens all three; NonOS 1.7 one SSL link at a time (checked in open()). */
const LINK_KINDS: readonly LinkKind[] = ['tcp', 'udp', 'tls'];

/** First and longest wait before a failed synchronisation is tried again. */
const SYNC_RETRY_MS = 500;
const SYNC_RETRY_MAX_MS = 5000;

export class AtBackend implements Backend {
  info: BackendInfo = {
    name: 'ESP-AT (not synchronised)',
    maxLinks: DEFAULT_PROFILE.limits.links,
    kinds: LINK_KINDS,
    ipv6: false,
    passthrough: true,
  };
  readonly wlan: AtWlan;
  readonly softAp: AtSoftAp;
  /** The module's own MQTT client (AT+MQTT*). */
  readonly mqtt: AtMqtt;
  requests = new AtRequests(DEFAULT_PROFILE);
  facts: SessionFacts | null = null;

  private readonly client: AtClient;
  private readonly parser = new HostResponseParser(DEFAULT_PROFILE);
  private readonly ids = new LinkIds(() => this.requests.profile.limits.links);
  private server: AtServer | null = null;
  private synced: Promise<void>;
  private syncRunning = false;
  private syncAgain = false;
  /** Wait before synchronising again after a failed synchronisation (doubles up to SYNC_RETRY_MAX_MS). */
  private syncRetryMs = SYNC_RETRY_MS;
  private closed: OSError | null = null;
  private readonly probeTimeoutMs: number | undefined;
  private readonly trace: TraceSink | undefined;
  private readonly transparentTiming: TransparentTiming;
  readonly clock: Clock;
  private readonly engine: AtEngine;
  /** The module's HTTP client (AT+HTTPCLIENT and friends). */
  readonly http: AtHttp;
  private readonly reader: PassiveReader;
  private readonly opener: LinkOpener;
  private readonly router: UrcRouter;
  /** Transparent mode: a link that owns the whole module (transparent.ts). */
  private readonly exclusive: ExclusiveMode;

  private constructor(
    private readonly port: HostPort,
    options: AtBackendOptions,
  ) {
    this.trace = options.trace;
    this.clock = options.clock ?? systemClock;
    this.probeTimeoutMs = options.probeTimeoutMs;
    this.transparentTiming = { ...TRANSPARENT_TIMING, ...options.transparent };
    this.client = new AtClient(port, this.parser, {
      onUrc: (urc) => {
        if (urc.kind === 'mqtt-connected' || urc.kind === 'mqtt-disconnected') return this.mqtt.onUrc(urc);
        return urc.kind === 'closed' && urc.link === null && this.exclusive.active ? this.exclusive.peerClosed() : this.router.onUrc(urc);
      },
      onMqttMessage: (_link, topic, data) => this.mqtt.deliver(topic, data),
      // With CIPMUX=0 (transparent mode) `+IPD` has no link id: the single link's data.
      onIpd: (link, data, remote) => (link === null && this.exclusive.active ? this.exclusive.deliver(data) : this.router.onIpd(link, data, remote)),
      onReset: () => this.onReset(),
      onPortClosed: (err) => this.onPortClosed(err),
    }, {
      trace: options.trace,
      busyRetryMs: options.busyRetryMs,
      maxCommandMs: options.maxCommandMs,
      clock: this.clock,
    });
    const backend = this;
    this.http = new AtHttp({
      command: (r) => backend.command(r),
      get profile() {
        return backend.requests.profile;
      },
      watchPieces: (listener) => {
        this.client.onPiece = listener === null ? null : (_command, data) => listener(data);
      },
    });
    const runNow = (r: AtRequest): Promise<AtReply> => this.client.run(r);
    const io: LinkIo = {
      fetch: (link) => this.reader.fetch(link),
      transmit: (link, data, to) => transmit(sender, link, data, to),
      release: (link) => this.release(link),
      wantData: () => this.reader.wantData(),
      waiting: (delta) => this.reader.waiting(delta),
      now: () => this.clock.now(),
      trace: this.trace,
    };
    const sender = {
      command: (r: AtRequest) => backend.command(r),
      runNow,
      get requests() {
        return backend.requests;
      },
      get maxSend() {
        return backend.facts?.maxSend ?? 2048;
      },
    };
    this.engine = {
      client: this.client,
      ids: this.ids,
      io,
      trace: this.trace,
      clock: owedClock(this.clock),
      get requests() {
        return backend.requests;
      },
      get facts() {
        return backend.facts;
      },
      get server() {
        return backend.server;
      },
      get reader() {
        return backend.reader;
      },
      get wlan() {
        return backend.wlan;
      },
      get closed() {
        return backend.closed;
      },
      command: (r) => this.command(r),
      synced: () => this.synced,
      clientArrived: (id) => this.router.clientArrived(id),
    };
    this.mqtt = new AtMqtt({
      command: (r) => backend.command(r),
      get profile() {
        return backend.requests.profile;
      },
    });
    this.wlan = new AtWlan({
      command: (r) => backend.command(r),
      get requests() {
        return backend.requests;
      },
    });
    this.softAp = new AtSoftAp({
      command: (r) => backend.command(r),
      get requests() {
        return backend.requests;
      },
    });
    this.reader = new PassiveReader(
      {
        command: (r) => backend.command(r),
        runNow,
        get requests() {
          return backend.requests;
        },
        ids: this.ids,
        get maxRecv() {
          return backend.facts?.maxRecv ?? 2048;
        },
        get passive() {
          return backend.closed === null && !backend.exclusive.active && backend.facts?.passive === true;
        },
        clock: this.clock,
        trace: this.trace,
      },
      options.pollIntervalMs ?? 500,
    );
    this.opener = new LinkOpener(this.engine);
    this.router = new UrcRouter(this.engine);
    this.exclusive = new ExclusiveMode(this.engine, this.opener, port, this.transparentTiming, () => this.onReset());
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

  /** Every command of the public API waits for synchronisation first, and for the module to be free. */
  command(request: AtRequest): Promise<AtReply> {
    const busy = (): Promise<AtReply> => Promise.reject(this.exclusive.busyError());
    if (this.exclusive.active) return busy();
    return this.synced.then(() => (this.exclusive.active ? busy() : this.client.run(request)));
  }

  // ---- Backend ----------------------------------------------------------------------------

  async resolve(host: string): Promise<string> {
    if (Buffer.byteLength(host) > 64) throw osError('EAI_NONAME', 'host names are limited to 64 bytes by the module');
    let reply: AtReply;
    try {
      reply = await this.command(this.requests.resolve(host));
    } catch (err) {
      if (isOSError(err, 'ETIMEDOUT')) throw osError('EAI_AGAIN', `the module did not resolve ${host} in time`, err);
      throw err;
    }
    const ip = reply.result === 'OK' ? domainAddress(this.requests.profile, reply) : null;
    if (ip && isIPv4(ip)) return ip;
    // 2.x resolves IPv4-preferred: a name with only an AAAA record gives its IPv6 address, unusable here.
    if (ip && isIPv6(ip)) throw osError('EAI_NONAME', `${host} has only an IPv6 address (${ip}); the driver uses the module over IPv4`);
    throw resolveError(reply, host, this.wlan.connected());
  }

  async open(spec: LinkSpec): Promise<BackendLink> {
    await this.synced;
    if (this.exclusive.active) throw this.exclusive.busyError();
    if (spec.remote && !isIPv4(spec.remote.ip)) throw osError('EAFNOSUPPORT', 'the module is used with IPv4 only');
    if (spec.passthrough) return this.exclusive.open(spec);
    return this.opener.open(spec);
  }

  async serve(port: number, backlog: number): Promise<BackendServer> {
    await this.synced;
    if (this.exclusive.active) throw this.exclusive.busyError();
    if (this.server) {
      if (this.server.port === port) throw osError('EADDRINUSE', `port ${port} is already listening`);
      throw osError('EOPNOTSUPP', `the module runs one server at a time (port ${this.server.port} is listening)`);
    }
    await this.command(this.requests.serverMaxConn(Math.min(this.ids.capacity, Math.max(1, backlog))));
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
      await bestEffort(this.command(this.requests.close(id)), this.trace, `closing link ${id}`);
    }
    this.ids.release(id, link);
  }

  private async stopServer(server: AtServer): Promise<void> {
    if (this.server !== server) return;
    this.server = null;
    if (!this.closed) await bestEffort(this.command(this.requests.serverStop()), this.trace, 'stopping the server');
  }

  // ---- reset and resynchronisation ----------------------------------------------------------

  private onReset(): void {
    this.trace?.('! module reset: failing every link, resynchronising');
    this.failEverything(osError('ECONNABORTED', 'the module restarted: the connection was lost'));
    this.wlan.reset();
    if (!this.syncRunning) this.synced = this.startSync();
    else this.syncAgain = true;
  }

  private onPortClosed(err: Error | null): void {
    const reason = osError('EIO', `the serial port ${this.port.path} closed${err ? `: ${err.message}` : ''}`, err ?? undefined);
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
    this.exclusive.fail(err);
  }

  /** Starts (re)synchronisation; its failure is reported to whoever waits on `synced`. */
  private startSync(): Promise<void> {
    const running = this.resync();
    running.then(
      () => (this.syncRetryMs = SYNC_RETRY_MS),
      (err: Error) => {
        this.trace?.(`! synchronisation failed: ${err.message}`);
        this.retrySync(running);
      },
    );
    return running;
  }

  /**
   * A module that kept resetting (or went quiet) while being synchronised may settle down: try
   * again later, by itself — nothing else would, and every command fails with the error meanwhile.
   */
  private retrySync(failed: Promise<void>): void {
    if (this.closed) return;
    const delay = this.syncRetryMs;
    this.syncRetryMs = Math.min(delay * 2, SYNC_RETRY_MAX_MS);
    this.clock.setTimeout(() => {
      if (this.closed || this.syncRunning || this.synced !== failed) return;
      this.trace?.('! synchronising again');
      this.synced = this.startSync();
    }, delay);
  }

  private async resync(): Promise<void> {
    this.syncRunning = true;
    try {
      const facts = await synchroniseAfterResets(this.client, this.port, () => this.takeSyncAgain(), {
        trace: this.trace,
        probeMs: this.probeTimeoutMs,
        transparent: this.transparentTiming,
        clock: owedClock(this.clock),
      });
      this.applyFacts(facts);
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
    this.requests = new AtRequests(facts.profile);
    // 2.x prints the sender before CIPRECVDATA's data when CIPDINFO=1; 1.7 never does.
    this.parser.setRecvDataRemote(facts.remoteInfo && facts.profile.layout.recvDataRemote);
    this.wlan.learned(facts.stationIp);
    this.info = {
      name: `ESP-AT ${facts.version.split('(')[0]} (${facts.profileId})`,
      maxLinks: facts.profile.limits.links,
      kinds: LINK_KINDS,
      ipv6: false,
      passthrough: true,
    };
    this.opener.reset();
  }
}

/**
 * Opening a link (CIPMUX=1): reserve the lowest free id, TLS settings first for a 'tls' link
 * (tls-setup.ts), then `AT+CIPSTART=<id>,...`. The module picks ids for server clients itself, so
 * a client can take the reserved id at the same moment: its `CONNECT` (or `ALREADY CONNECTED`)
 * hands the id to the server and the CIPSTART is retried on another one.
 */
import type { Address, LinkSpec } from '../backend.js';
import type { OSError } from '../errors.js';
import { osError } from '../errors.js';
import type { AtReply, AtRequest } from './at-client.js';
import type { AtEngine } from './at-engine.js';
import { AtLink } from './at-link.js';
import { startError, tlsStartError } from './link-errors.js';
import { alreadyConnected } from './replies.js';
import { TlsSettingsCache, configureTls, describeTls } from './tls-setup.js';
import type { TlsSetupEngine } from './tls-setup.js';

export class LinkOpener {
  /** SSL settings the module holds from this session (a reset starts a new one). */
  tlsSettings = new TlsSettingsCache();
  /** TLS connects in progress (NonOS 1.7 allows one SSL link at a time). */
  private tlsOpening = 0;
  private nextUdpPort = 49152 + Math.floor(Math.random() * 10000);
  readonly tlsEngine: TlsSetupEngine;

  constructor(private readonly engine: AtEngine) {
    this.tlsEngine = {
      run: (r) => engine.client.run(r),
      get requests() {
        return engine.requests;
      },
      trace: engine.trace,
    };
  }

  /** A new module session: the module forgot every SSL setting. */
  reset(): void {
    this.tlsSettings = new TlsSettingsCache();
  }

  /** Connects (TCP/TLS) or opens (UDP) a link; the caller has checked the spec. */
  async open(spec: LinkSpec): Promise<AtLink> {
    if (spec.kind !== 'tls') return this.openLink(spec);
    const { profile } = this.engine.requests;
    const allowed = profile.limits.sslLinks;
    if (allowed !== null) {
      const open = this.tlsOpening + this.engine.ids.all().filter((l) => l.kind === 'tls' && l.state === 'open').length;
      const many = allowed === 1 ? 'one SSL link' : `${allowed} SSL links`;
      if (open >= allowed) throw osError('ENFILE', `${profile.title} runs ${many} at a time, and ${open} ${open === 1 ? 'is' : 'are'} open`);
    }
    this.tlsOpening += 1;
    try {
      return await this.openLink(spec);
    } finally {
      this.tlsOpening -= 1;
    }
  }

  /** Links being opened right now (transparent mode needs the module to itself). */
  get opening(): boolean {
    return this.tlsOpening > 0 || this.engine.ids.reserving;
  }

  /** The SNI/name/ALPN settings of a 'tls' link for `id` (transparent mode uses id 0's). */
  configureTls(id: number, spec: LinkSpec): Promise<OSError | null> {
    return configureTls(this.tlsEngine, this.tlsSettings, id, spec.tls ?? {});
  }

  /** What a failed CIPSTART (or TLS handshake) means. */
  startFailure(reply: AtReply, spec: LinkSpec, handshake: boolean): OSError {
    const connected = this.engine.wlan.connected();
    // Where a failed handshake is CLOSED + OK (NonOS), ERROR means the TCP connection failed.
    const closedThenOk = this.engine.requests.profile.ssl.handshakeFailure === 'closed-then-ok';
    const { profile } = this.engine.requests;
    if (spec.kind !== 'tls' || (!handshake && closedThenOk)) return startError(profile, reply, spec, connected);
    return tlsStartError(profile, reply, spec, connected, handshake, describeTls(spec.tls ?? {}));
  }

  private async openLink(spec: LinkSpec): Promise<AtLink> {
    const { client, ids, requests } = this.engine;
    for (let attempt = 0; attempt < ids.capacity; attempt++) {
      const id = ids.reserve();
      if (id === null) throw osError('ENFILE', `all ${ids.capacity} links of the module are in use`);
      const localPort = spec.kind === 'udp' ? spec.localPort || this.allocateUdpPort() : null;
      const remote = spec.remote ?? { ip: '0.0.0.0', port: localPort ?? 0 };
      let reply: AtReply | null = null;
      let setupFailure: OSError | null = null;
      let sawConnect: boolean;
      try {
        // TLS: the link id's SSL client settings first (tls-setup.ts).
        if (spec.kind === 'tls') setupFailure = await this.configureTls(id, spec);
        if (!setupFailure) reply = await client.run(this.startRequest(spec, id, remote, localPort));
      } finally {
        sawConnect = ids.unreserve(id);
      }
      const server = this.engine.server;
      if (!reply) {
        // A server client took the id while we configured it: it is the server's now.
        if (sawConnect && server) {
          this.engine.clientArrived(id);
          continue;
        }
        throw setupFailure ?? osError('EIO', 'TLS setup failed');
      }
      if (reply.result === 'OK') return this.adoptStarted(id, spec, reply, localPort);
      // A server client took this id just before our CIPSTART (its CONNECT came first): NonOS says
      // ALREADY CONNECTED; the ESP32 prints that on its console only, so its AT port shows ERROR.
      if (sawConnect && server) {
        this.engine.clientArrived(id);
        continue;
      }
      if (alreadyConnected(requests.profile, reply)) {
        await client.run(requests.close(id));
        continue;
      }
      throw this.startFailure(reply, spec, false);
    }
    throw osError('ENFILE', 'no free link id on the module');
  }

  private startRequest(spec: LinkSpec, id: number, remote: Address, localPort: number | null): AtRequest {
    const { requests } = this.engine;
    if (spec.kind === 'udp') return requests.startUdp(id, remote.ip, remote.port, localPort ?? 0);
    if (spec.kind === 'tls') return requests.startSsl(id, remote.ip, remote.port, spec.keepAliveSec);
    return requests.startTcp(id, remote.ip, remote.port, spec.keepAliveSec);
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
    const link = new AtLink(id, spec.kind, spec.remote, this.engine.io, localPort);
    this.engine.ids.set(id, link);
    for (const urc of after) {
      if (urc.kind === 'ipd-notice') link.noticed(urc.length);
      else if (urc.kind === 'closed') link.peerClosed();
    }
    if (link.state === 'peer-closed' && (!this.engine.facts?.passive || link.pending === 0)) this.engine.ids.release(id, link);
    return link;
  }

  private allocateUdpPort(): number {
    const port = this.nextUdpPort;
    this.nextUdpPort = port >= 65000 ? 49152 : port + 1;
    return port;
  }
}

import type { SoftAccessPoint } from '../network/soft-ap.js';
import { isIP } from 'node:net';
import { systemClock, type Clock, type ClockTimer } from '../../runtime/clock.js';
import {
  StackError,
  type Endpoint,
  type LinkHandlers,
  type ListenOptions,
  type NetworkStack,
  type Station,
  type AddressChoice,
  type TcpConnectOptions,
  type TlsConnectOptions,
  type TlsSessionInfo,
  type UdpOpenOptions,
  type VirtualLink,
  type VirtualServer,
  type VirtualTlsLink,
} from '../network/types.js';
import type { MdnsAnnouncement } from '../network/mdns-registry.js';
import type { FaultPlan } from './fault-plan.js';
import type { FaultReporter } from './reporter.js';

/**
 * The network fault layer: a NetworkStack decorator, so the stack itself never knows about faults.
 * - dns-fail: a name lookup fails with StackError('dns') (after `after=` ms: E13's slow failure);
 *   numeric addresses need no lookup and are never hit.
 * - tcp-reset: a TCP link is reset by its remote end: onClose('peer', StackError('reset')) and the
 *   real socket is torn down. At random it happens on a chunk of data in either direction (a send
 *   that hits it fails with 'reset': SEND FAIL, then CLOSED); resetLinks() does it at once.
 */
export class FaultyStack implements NetworkStack {
  private readonly links = new Set<FaultyLink>();
  private readonly timers = new Set<ClockTimer>();

  constructor(
    private readonly inner: NetworkStack,
    private readonly plan: FaultPlan,
    private readonly report: FaultReporter,
    private readonly clock: Clock = systemClock,
  ) {}

  get station(): Station {
    return this.inner.station;
  }

  get softAp(): SoftAccessPoint {
    return this.inner.softAp;
  }

  async resolve(name: string, timeoutMs?: number, choice?: AddressChoice): Promise<string> {
    const fault = isIP(name) !== 0 ? null : this.plan.find('dns-fail');
    if (fault === null || !this.plan.chance(fault)) return this.inner.resolve(name, timeoutMs, choice);
    const after = fault.spec.params.after ?? 0;
    this.report.injected('dns-fail', `dns-fail: "${name}" does not resolve${after > 0 ? ` (answer after ${after} ms)` : ''}`);
    if (after > 0) await this.sleep(after);
    throw new StackError('dns', `"${name}" did not resolve (fault injection)`);
  }

  async connectTcp(options: TcpConnectOptions): Promise<VirtualLink> {
    return this.track(await this.inner.connectTcp(options));
  }

  async connectTls(options: TlsConnectOptions): Promise<VirtualTlsLink> {
    const link = await this.inner.connectTls(options);
    const wrapped = new FaultyTlsLink(link, this);
    this.links.add(wrapped);
    return wrapped;
  }

  openUdp(options: UdpOpenOptions): Promise<VirtualLink> {
    return this.inner.openUdp(options);
  }

  listen(options: ListenOptions): Promise<VirtualServer> {
    return this.inner.listen({
      ...options,
      onAccept: (link) => {
        const wrapped = this.track(link);
        const accepted = options.onAccept(wrapped);
        if (!accepted && wrapped instanceof FaultyLink) this.links.delete(wrapped);
        return accepted;
      },
    });
  }

  ping(ip: string, timeoutMs: number): Promise<number | null> {
    return this.inner.ping(ip, timeoutMs);
  }

  closeAll(): Promise<void> {
    return this.inner.closeAll();
  }

  announceMdns(announcement: MdnsAnnouncement | null): void {
    this.inner.announceMdns(announcement);
  }

  /** Resets every open TCP link (those with `port` as remote or local port); returns how many. */
  resetLinks(port?: number, why = 'now'): number {
    let count = 0;
    for (const link of [...this.links]) {
      if (port !== undefined && !link.uses(port)) continue;
      if (link.resetByPeer(why)) count++;
    }
    return count;
  }

  /** Stops pending slow DNS failures' timers (their lookups then never answer: the module is gone). */
  dispose(): void {
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
  }

  /** One chance for tcp-reset on a chunk of `link`'s data; true when the link was reset. */
  chanceOfReset(link: FaultyLink, direction: 'send' | 'receive'): boolean {
    const fault = this.plan.find('tcp-reset');
    if (fault === null) return false;
    const port = fault.spec.params.port;
    if (port !== undefined && !link.uses(port)) return false;
    if (!this.plan.chance(fault)) return false;
    // A send that hits it fails first (SEND FAIL), then the link's CLOSED follows, as on the wire.
    return link.resetByPeer(`on ${direction === 'send' ? 'a send' : 'received data'}`, direction === 'send');
  }

  reported(detail: string): void {
    this.report.injected('tcp-reset', detail);
  }

  forget(link: FaultyLink): void {
    this.links.delete(link);
  }

  private track(link: VirtualLink): VirtualLink {
    if (link.kind === 'udp') return link;
    const wrapped = new FaultyLink(link, this);
    this.links.add(wrapped);
    return wrapped;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

/** A TCP link of the module that the network fault layer can reset. */
export class FaultyLink implements VirtualLink {
  private handlers: LinkHandlers | null = null;
  private gone = false;
  private owedClose: StackError | null = null;

  constructor(
    protected readonly inner: VirtualLink,
    private readonly stack: FaultyStack,
  ) {
    // However the link ends (even before anyone set handlers), it leaves the reset list.
    inner.onGone(() => stack.forget(this));
  }

  get kind(): VirtualLink['kind'] {
    return this.inner.kind;
  }
  get remote(): Endpoint {
    return this.inner.remote;
  }
  get localPort(): number {
    return this.inner.localPort;
  }
  get accepted(): boolean {
    return this.inner.accepted;
  }
  get isOpen(): boolean {
    return !this.gone && this.inner.isOpen;
  }

  uses(port: number): boolean {
    return this.inner.remote.port === port || this.inner.localPort === port;
  }

  setHandlers(handlers: LinkHandlers): void {
    this.handlers = handlers;
    if (this.owedClose) {
      const error = this.owedClose;
      this.owedClose = null;
      handlers.onClose('peer', error);
      return;
    }
    this.inner.setHandlers({
      onData: (data, from) => {
        if (this.gone || this.stack.chanceOfReset(this, 'receive')) return;
        handlers.onData(data, from);
      },
      onClose: (reason, error) => {
        if (this.gone) return;
        this.gone = true;
        this.stack.forget(this);
        handlers.onClose(reason, error);
      },
    });
  }

  send(data: Uint8Array): Promise<void> {
    if (!this.gone && this.stack.chanceOfReset(this, 'send')) {
      return Promise.reject(new StackError('reset', 'connection reset by peer during a send (fault injection)'));
    }
    if (this.gone) return Promise.reject(new StackError('closed', 'link is closed'));
    return this.inner.send(data);
  }

  sendTo(data: Uint8Array, to: Endpoint): Promise<void> {
    return this.inner.sendTo(data, to);
  }

  setRemote(remote: Endpoint): void {
    this.inner.setRemote(remote);
  }

  pause(): void {
    this.inner.pause();
  }

  resume(): void {
    this.inner.resume();
  }

  close(): void {
    this.stack.forget(this);
    this.inner.close();
  }

  abort(reason: 'local' | 'error', error?: StackError): void {
    this.stack.forget(this);
    this.inner.abort(reason, error);
  }

  onGone(listener: (link: VirtualLink) => void): void {
    this.inner.onGone(() => listener(this));
  }

  /** The remote end resets the connection: the module hears 'reset', the real socket is torn down. */
  resetByPeer(why: string, closeLater = false): boolean {
    if (this.gone || !this.inner.isOpen) return false;
    this.gone = true;
    this.stack.forget(this);
    const { ip, port } = this.inner.remote;
    this.stack.reported(`tcp-reset: ${ip}:${port} (local port ${this.inner.localPort}) reset by peer ${why}`);
    const error = new StackError('reset', `connection reset by ${ip}:${port} (fault injection)`);
    // Tear the socket down first; its own close report is ignored (gone).
    this.inner.abort('error', error);
    const handlers = this.handlers;
    if (handlers === null) this.owedClose = error;
    else if (closeLater) setImmediate(() => handlers.onClose('peer', error));
    else handlers.onClose('peer', error);
    return true;
  }
}

/** A TLS link: reset like TCP, and its handshake's outcome still visible to the front end. */
export class FaultyTlsLink extends FaultyLink implements VirtualTlsLink {
  constructor(
    private readonly tls: VirtualTlsLink,
    stack: FaultyStack,
  ) {
    super(tls, stack);
  }

  override get kind(): 'tls' {
    return 'tls';
  }

  get session(): TlsSessionInfo {
    return this.tls.session;
  }
}

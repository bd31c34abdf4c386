/**
 * An in-memory coprocessor back end for the usocket layer's tests: the test plays the network
 * (peer writes, peer closes, resets, slow connects, short writes) and inspects what was sent.
 */
import type {
  AccessPoint,
  Address,
  Backend,
  BackendInfo,
  BackendLink,
  BackendServer,
  IfConfig,
  LinkKind,
  LinkSpec,
  Received,
  WlanBackend,
  WlanState,
} from '../../src/backend.js';
import { OSError, osError } from '../../src/errors.js';

class Listeners {
  private readonly set = new Set<() => void>();
  onChange(listener: () => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  fire(): void {
    for (const l of [...this.set]) l();
  }
  get count(): number {
    return this.set.size;
  }
}

export class FakeLink implements BackendLink {
  readonly sent: { data: Uint8Array; to: Address | undefined }[] = [];
  readonly inbox: Received[] = [];
  failure: OSError | null = null;
  eof = false;
  closed = false;
  /** Largest count one send() accepts (short writes). */
  maxSend = Number.POSITIVE_INFINITY;
  /** While true, send() is "in flight" and the link is not writable. */
  stalled = false;
  private inFlight = false;
  private readonly listeners = new Listeners();

  constructor(
    readonly kind: LinkKind,
    readonly remote: Address | null,
    readonly spec: LinkSpec | null = null,
  ) {}

  onChange(listener: () => void): () => void {
    return this.listeners.onChange(listener);
  }
  get waiters(): number {
    return this.listeners.count;
  }
  readable(): boolean {
    return this.inbox.length > 0 || this.eof || this.failure !== null;
  }
  writable(): boolean {
    return (!this.inFlight && !this.stalled) || this.failure !== null;
  }
  async receive(max: number): Promise<Received> {
    if (this.failure) throw this.failure;
    const head = this.inbox[0];
    if (!head) return { data: new Uint8Array(0), from: this.remote };
    if (this.kind === 'udp' || head.data.length <= max) {
      this.inbox.shift();
      return { data: head.data.subarray(0, max), from: head.from };
    }
    this.inbox[0] = { data: head.data.subarray(max), from: head.from };
    return { data: head.data.subarray(0, max), from: head.from };
  }
  async send(data: Uint8Array, to?: Address): Promise<number> {
    if (this.failure) throw this.failure;
    if (this.closed) throw osError('EBADF');
    this.inFlight = true;
    await new Promise((r) => setImmediate(r));
    this.inFlight = false;
    const n = Math.min(data.length, this.maxSend);
    this.sent.push({ data: Uint8Array.from(data.subarray(0, n)), to });
    this.listeners.fire();
    return n;
  }
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.fire();
  }

  // ---- the network's side ----
  peerWrite(data: string | Uint8Array, from: Address | null = this.remote): void {
    this.inbox.push({ data: typeof data === 'string' ? Buffer.from(data) : data, from });
    this.listeners.fire();
  }
  peerClose(): void {
    this.eof = true;
    this.listeners.fire();
  }
  fail(err: OSError): void {
    this.failure = err;
    this.listeners.fire();
  }
  unstall(): void {
    this.stalled = false;
    this.listeners.fire();
  }
  sentText(): string {
    return Buffer.concat(this.sent.map((s) => s.data)).toString();
  }
}

export class FakeServer implements BackendServer {
  readonly queue: FakeLink[] = [];
  closed = false;
  private readonly listeners = new Listeners();
  constructor(
    readonly port: number,
    readonly backlog: number,
  ) {}
  onChange(listener: () => void): () => void {
    return this.listeners.onChange(listener);
  }
  acceptable(): boolean {
    return this.queue.length > 0;
  }
  accept(): BackendLink {
    const link = this.queue.shift();
    if (!link) throw osError('EAGAIN');
    return link;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  clientArrives(remote: Address): FakeLink {
    const link = new FakeLink('tcp', remote);
    this.queue.push(link);
    this.listeners.fire();
    return link;
  }
}

class FakeWlan implements WlanBackend {
  status: WlanState = 'idle';
  ip = '0.0.0.0';
  async scan(): Promise<AccessPoint[]> {
    return [{ ssid: 'copro-lab', bssid: '02:00:00:00:00:01', channel: 6, rssi: -45, security: 'wpa2-psk', hidden: false }];
  }
  async connect(ssid: string, key: string | undefined): Promise<void> {
    if (ssid !== 'copro-lab') {
      this.status = 'no-ap';
      throw osError('ENOENT', 'no such AP');
    }
    if (key !== 'labpass123') {
      this.status = 'wrong-password';
      throw osError('EACCES', 'wrong password');
    }
    this.status = 'got-ip';
    this.ip = '192.168.4.2';
  }
  async disconnect(): Promise<void> {
    this.status = 'idle';
    this.ip = '0.0.0.0';
  }
  connected(): boolean {
    return this.status === 'got-ip';
  }
  state(): WlanState {
    return this.status;
  }
  async ifconfig(): Promise<IfConfig> {
    return { ip: this.ip, netmask: '255.255.255.0', gateway: '192.168.4.1', dns: '192.168.4.1' };
  }
  async setIfconfig(config: IfConfig): Promise<void> {
    this.ip = config.ip;
  }
  name = 'espressif';
  async mac(): Promise<string> {
    return '24:0a:c4:c0:90:01';
  }
  async hostname(): Promise<string> {
    return this.name;
  }
  async setHostname(name: string): Promise<void> {
    this.name = name;
  }
  /** Round trips by address (ms, or null: no echo); unknown addresses time out. */
  readonly pings = new Map<string, number | null>();
  async ping(ip: string): Promise<number | null> {
    return this.pings.get(ip) ?? null;
  }
  /** The module clock's seconds (null: not set). */
  clockSeconds: number | null = null;
  async moduleTime(): Promise<number | null> {
    return this.clockSeconds;
  }
  async startNtp(): Promise<void> {
    this.clockSeconds = 1_700_000_000;
  }
}

export class FakeBackend implements Backend {
  readonly info: BackendInfo = { name: 'fake', maxLinks: 5, kinds: ['tcp', 'udp'], ipv6: true };
  readonly links: FakeLink[] = [];
  readonly servers: FakeServer[] = [];
  readonly resolved: string[] = [];
  readonly wlan = new FakeWlan();
  hosts: Record<string, string> = { 'copro.local': '127.0.0.1' };
  /** Decides each open(): default = connect at once. */
  connector: (spec: LinkSpec) => Promise<FakeLink> = async (spec) => new FakeLink(spec.kind, spec.remote, spec);

  async resolve(host: string): Promise<string> {
    this.resolved.push(host);
    const ip = this.hosts[host];
    if (!ip) throw osError('EAI_NONAME', host);
    return ip;
  }
  async open(spec: LinkSpec): Promise<BackendLink> {
    const link = await this.connector(spec);
    this.links.push(link);
    return link;
  }
  async serve(port: number, backlog: number): Promise<BackendServer> {
    const server = new FakeServer(port, backlog);
    this.servers.push(server);
    return server;
  }
  async close(): Promise<void> {
    for (const link of this.links) link.fail(osError('ECONNABORTED', 'closed'));
  }
}

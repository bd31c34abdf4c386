import { eapAccepts, type EapCredentials } from './eap-world.js';
import { keepAliveClock, type Clock, type ClockTimer } from '../../runtime/clock.js';
import {
  JoinError,
  StackError,
  type AccessPointInfo,
  type DisconnectReason,
  type JoinFailure,
  type JoinOptions,
  type Station,
  type StationInfo,
  type StationListener,
  type WpsCredentials,
} from './types.js';
import { AccessPointPresence } from './ap-presence.js';
import { scaledMs, type AccessPoint, type RadioWorld } from './radio-world.js';
import { SOFT_AP_RSSI, type SoftAccessPoint } from './soft-ap.js';

/** A join in progress: its timers, and how to fail it if something else happens first. */
interface JoinAttempt {
  readonly timers: ClockTimer[];
  readonly fail: (failure: JoinFailure) => void;
}

/** Another module's softAP as this station sees it (the air's; see radio-air.ts). */
type AirAccessPoint = { readonly kind: 'soft'; readonly ap: SoftAccessPoint };
type Candidate = { readonly kind: 'world'; readonly ap: AccessPoint } | AirAccessPoint;

interface PendingScan {
  readonly timer: ClockTimer;
  readonly reject: (error: Error) => void;
}

/**
 * The WiFi driver and DHCP client of the virtual module, over the radio world's access points.
 *
 * Timing: a join takes `associateMs` to "WIFI CONNECTED" then `dhcpMs` more to "WIFI GOT IP"; a wrong
 * passphrase fails after `wrongPasswordMs`, an SSID nobody broadcasts after `noApMs`, each scaled by
 * `timing.scale`. The caller's `timeoutMs` is the firmware's own deadline (jap_timeout) and is never scaled.
 * Every duration runs on `clock` (real time unless a test gives a manual one).
 *
 * Decisions where the firmware's behaviour is not pinned down:
 * - Joining an open AP succeeds whatever password is given (ESP-IDF's default auth threshold is OPEN);
 *   joining a secured AP with the wrong or an empty password fails with 'wrong-password'.
 * - Several APs with the requested SSID: the strongest wins, unless `bssid` picks one.
 * - A join that times out after association (during DHCP) gives the association up: onDisconnected.
 * - A join interrupted by another join, leave(), reset() or a lost association rejects with
 *   JoinError('failed'); a scan interrupted by reset() rejects with StackError('closed').
 */
export class SimulatedStation implements Station {
  private listener: StationListener | null = null;
  private readonly observers = new Set<Partial<StationListener>>();
  private ap: AccessPoint | null = null;
  /** The other module's softAP when `ap` stands for one (its lease is `ap.ip`). */
  private softAp: SoftAccessPoint | null = null;
  private hasIp = false;
  /** What the last DHCP lease set as DNS servers; lwIP keeps them after the link goes down. */
  private leaseDns: readonly string[] = [];
  private attempt: JoinAttempt | null = null;
  /** The AP the join in progress goes to (it may go off the air meanwhile). */
  private attempting: AccessPoint | null = null;
  private readonly scans = new Set<PendingScan>();
  /** Which APs are on the air (the world's outage schedule, fault injection). */
  readonly presence: AccessPointPresence;
  /** AT+CIPSTAMAC and the like: the MAC the station uses (the world's until set). */
  private mac: string;
  private hostname: string | null = null;
  /** setBeaconTimeout: how long an AP off the air keeps the association (0: not at all). */
  private beaconTimeoutMs = 0;
  private beaconLoss: ClockTimer | null = null;

  constructor(
    private readonly world: RadioWorld,
    private readonly clock: Clock = keepAliveClock,
    /** The other modules' softAPs that are up (none without a radio air). */
    private readonly airAccessPoints: () => readonly SoftAccessPoint[] = () => [],
  ) {
    this.mac = world.station.mac;
    this.presence = new AccessPointPresence(world.accessPoints, clock);
    this.presence.onGone((bssid) => {
      if (this.ap?.bssid === bssid) this.missBeacons(bssid);
      else if (this.attempt && this.attempting?.bssid === bssid) this.abandonAttempt('failed');
    });
    this.presence.schedule(world.outages ?? [], world.timing.scale);
  }

  /** The softAP of another module this station is associated with, and its lease (null before DHCP). */
  joinedSoftAp(): { readonly ap: SoftAccessPoint; readonly ip: string | null } | null {
    if (this.softAp === null || this.ap === null) return null;
    return { ap: this.softAp, ip: this.hasIp ? this.ap.ip : null };
  }

  setListener(listener: StationListener): void {
    this.listener = listener;
  }

  /**
   * Stack-internal watchers of the same events (the network stack closes links on onDisconnected).
   * They run after the listener, so a front end reports "WIFI DISCONNECT" before the links' CLOSED.
   */
  observe(observer: Partial<StationListener>): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  info(): StationInfo {
    const ap = this.ap;
    const lease = ap !== null && this.hasIp ? ap : null;
    return {
      connected: ap !== null,
      ssid: ap?.ssid ?? null,
      bssid: ap?.bssid ?? null,
      channel: ap?.channel ?? 0,
      rssi: ap?.rssi ?? 0,
      ip: lease?.ip ?? '0.0.0.0',
      gateway: lease?.gateway ?? '0.0.0.0',
      netmask: lease?.netmask ?? '0.0.0.0',
      mac: this.mac,
      dns: this.leaseDns,
      hostname: this.hostname,
    };
  }

  setHostname(name: string | null): void {
    this.hostname = name;
  }

  setBeaconTimeout(ms: number): void {
    this.beaconTimeoutMs = Math.max(0, ms);
  }

  /** The AP's beacons stopped: the association ends after the beacon timeout unless the AP is back by then. */
  private missBeacons(bssid: string): void {
    if (this.beaconTimeoutMs <= 0) {
      this.dropAssociation();
      return;
    }
    if (this.beaconLoss !== null) return;
    this.beaconLoss = this.clock.setTimeout(() => {
      this.beaconLoss = null;
      if (this.ap?.bssid === bssid && !this.presence.isOnAir(bssid)) this.dropAssociation();
    }, this.beaconTimeoutMs);
  }

  private stopBeaconLoss(): void {
    if (this.beaconLoss !== null) this.clock.clearTimeout(this.beaconLoss);
    this.beaconLoss = null;
  }

  /** The station's MAC from now on (the firmware's AT+CIPSTAMAC); null: the world's. */
  setMac(mac: string | null): void {
    this.mac = mac ?? this.world.station.mac;
  }

  /** Stops the world's outage schedule (the stack is disposed). */
  dispose(): void {
    this.reset();
    this.presence.dispose();
  }

  /** True once DHCP has given the station an address (what "WIFI GOT IP" announced). */
  get hasAddress(): boolean {
    return this.hasIp;
  }

  join(ssid: string, password: string, options: JoinOptions = {}): Promise<void> {
    this.abandonAttempt('failed');
    this.disassociate();
    const candidate = this.pickAccessPoint(ssid, options.bssid);
    this.attempting = candidate?.kind === 'world' ? candidate.ap : null;
    const timing = this.world.timing;
    return new Promise<void>((resolve, reject) => {
      const timers: ClockTimer[] = [];
      const attempt: JoinAttempt = {
        timers,
        fail: (failure) => {
          this.endAttempt(attempt);
          reject(new JoinError(failure));
        },
      };
      this.attempt = attempt;
      const deadline = options.timeoutMs;
      // Schedule only what happens before the firmware's deadline; the deadline itself if it comes first.
      const at = (delayMs: number, action: () => void): void => {
        if (deadline === undefined || delayMs <= deadline) timers.push(this.clock.setTimeout(action, delayMs));
      };
      let doneAfterMs: number;
      if (candidate === null) {
        doneAfterMs = scaledMs(timing, 'noApMs');
        at(doneAfterMs, () => attempt.fail('no-ap'));
      } else if (!admits(candidate, password, options.eap)) {
        doneAfterMs = scaledMs(timing, 'wrongPasswordMs');
        at(doneAfterMs, () => attempt.fail('wrong-password'));
      } else {
        const associatedAfterMs = scaledMs(timing, 'associateMs');
        doneAfterMs = associatedAfterMs + scaledMs(timing, 'dhcpMs');
        at(associatedAfterMs, () => {
          if (candidate.kind === 'soft') {
            const refused = candidate.ap.associate(this.mac, password, { kicked: () => this.dropAssociation() });
            if (refused !== null) return attempt.fail(refused);
            this.softAp = candidate.ap;
          }
          this.ap = candidate.kind === 'world' ? candidate.ap : softApAsAccessPoint(candidate.ap, '0.0.0.0');
          this.emit('onConnected');
        });
        at(doneAfterMs, () => {
          if (candidate.kind === 'soft') {
            const lease = candidate.ap.lease(this.mac);
            // No address left in the pool (or its DHCP server is off): the firmware's DHCP client never finishes.
            if (lease === null) return;
            this.ap = softApAsAccessPoint(candidate.ap, lease);
          }
          this.endAttempt(attempt);
          this.hasIp = true;
          // A softAP's DHCP server offers its own address as DNS server (its gateway here).
          const leased = this.ap;
          if (leased !== null) this.leaseDns = leased.dns ?? [leased.gateway];
          this.emit('onGotIp');
          resolve();
        });
      }
      if (deadline !== undefined && deadline < doneAfterMs) {
        timers.push(
          this.clock.setTimeout(() => {
            this.disassociate();
            attempt.fail('timeout');
          }, Math.max(0, deadline)),
        );
      }
    });
  }

  leave(): void {
    this.disassociate();
    this.abandonAttempt('failed');
  }

  /** The AP went away (fault injection, an outage): onDisconnected('lost'), and any join in progress fails. */
  dropAssociation(): boolean {
    const wasAssociated = this.disassociate('lost');
    this.abandonAttempt('failed');
    return wasAssociated;
  }

  takeApAway(forMs: number | null): boolean {
    const ap = this.ap;
    if (ap === null) return false;
    this.presence.takeAway(ap.bssid, forMs);
    return true;
  }

  wpsPushButton(): Promise<WpsCredentials | null | 'overlap'> {
    return this.scan().then(() => {
      const pressed = this.world.accessPoints.filter((ap) => ap.wpsButton === true && this.presence.isOnAir(ap.bssid));
      if (pressed.length > 1) return 'overlap';
      const ap = pressed[0];
      return ap === undefined ? null : { ssid: ap.ssid, password: ap.password, bssid: ap.bssid };
    });
  }

  scan(): Promise<AccessPointInfo[]> {
    return new Promise<AccessPointInfo[]>((resolve, reject) => {
      const scan: PendingScan = {
        timer: this.clock.setTimeout(() => {
          this.scans.delete(scan);
          resolve(this.visibleAccessPoints());
        }, scaledMs(this.world.timing, 'scanMs')),
        reject,
      };
      this.scans.add(scan);
    });
  }

  reset(): void {
    this.softAp?.release(this.mac);
    this.softAp = null;
    this.ap = null;
    this.hasIp = false;
    this.leaseDns = [];
    this.hostname = null;
    this.beaconTimeoutMs = 0;
    this.stopBeaconLoss();
    this.abandonAttempt('failed');
    for (const scan of this.scans) {
      this.clock.clearTimeout(scan.timer);
      scan.reject(new StackError('closed', 'scan interrupted by a module reset'));
    }
    this.scans.clear();
  }

  /** What a scan reports, strongest first (the firmware's CWLAP order); config order breaks ties. */
  private visibleAccessPoints(): AccessPointInfo[] {
    const soft = this.airAccessPoints()
      .filter((ap) => !ap.config.hidden)
      .map((ap) => softApAsAccessPoint(ap, '0.0.0.0'));
    return [...this.world.accessPoints.filter((ap) => this.presence.isOnAir(ap.bssid)), ...soft]
      .sort((a, b) => b.rssi - a.rssi)
      .map(({ ssid, security, rssi, bssid, channel, wpsButton }) => ({ ssid, security, rssi, bssid, channel, ...(wpsButton ? { wps: true } : {}) }));
  }

  /** The strongest AP with the SSID (and bssid if given): the world's, or another module's softAP (hidden ones too). */
  private pickAccessPoint(ssid: string, bssid: string | undefined): Candidate | null {
    const wanted = bssid?.toLowerCase();
    const fits = (ap: { readonly ssid: string; readonly bssid: string }): boolean =>
      ap.ssid === ssid && (wanted === undefined || ap.bssid === wanted);
    const candidates: Candidate[] = [
      ...this.world.accessPoints
        .filter((ap) => fits(ap) && this.presence.isOnAir(ap.bssid))
        .map((ap): Candidate => ({ kind: 'world', ap })),
      ...this.airAccessPoints()
        .filter((ap) => fits({ ssid: ap.config.ssid, bssid: ap.bssid }))
        .map((ap): Candidate => ({ kind: 'soft', ap })),
    ];
    const rssi = (candidate: Candidate): number => (candidate.kind === 'world' ? candidate.ap.rssi : SOFT_AP_RSSI);
    return candidates.reduce<Candidate | null>((best, next) => (best === null || rssi(next) > rssi(best) ? next : best), null);
  }

  /** Forgets association and address; onDisconnected if there was an association. */
  private disassociate(reason: DisconnectReason = 'left'): boolean {
    this.stopBeaconLoss();
    if (this.ap === null) return false;
    this.softAp?.release(this.mac);
    this.softAp = null;
    this.ap = null;
    this.hasIp = false;
    this.listener?.onDisconnected(reason);
    for (const observer of [...this.observers]) observer.onDisconnected?.(reason);
    return true;
  }

  private abandonAttempt(failure: JoinFailure): void {
    this.attempt?.fail(failure);
  }

  private endAttempt(attempt: JoinAttempt): void {
    for (const timer of attempt.timers) this.clock.clearTimeout(timer);
    if (this.attempt === attempt) {
      this.attempt = null;
      this.attempting = null;
    }
  }

  private emit(event: 'onConnected' | 'onGotIp'): void {
    this.listener?.[event]();
    for (const observer of [...this.observers]) observer[event]?.();
  }
}

/** Another module's softAP in the shape of a world AP: its address as gateway, `lease` as the station's address. */
function softApAsAccessPoint(ap: SoftAccessPoint, lease: string): AccessPoint {
  const { ssid, password, security, channel } = ap.config;
  return {
    ssid,
    password,
    security,
    channel,
    rssi: SOFT_AP_RSSI,
    bssid: ap.bssid,
    ip: lease,
    gateway: ap.address.ip,
    netmask: ap.address.netmask,
  };
}

/** Whether the AP lets the station in: its passphrase, or (an enterprise AP) an account its server accepts. */
function admits(candidate: Candidate, password: string, eap: EapCredentials | undefined): boolean {
  if (candidate.kind === 'soft') {
    const { security, password: key } = candidate.ap.config;
    return eap === undefined && (security === 'open' || key === password);
  }
  const ap = candidate.ap;
  if (ap.eap) return eap !== undefined && eapAccepts(ap.eap, eap);
  return eap === undefined && (ap.password === '' || ap.password === password);
}

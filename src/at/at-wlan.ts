/**
 * The station interface over ESP-AT: CWLAP, CWJAP, CWQAP, CIPSTA, CIPDNS, CIPSTAMAC, CWHOSTNAME. Its state follows the
 * `WIFI ...` messages the module prints whenever it joins, gets an address or loses the AP
 * (including its own reconnect attempts), so isconnected() needs no round trip.
 */
import type { AccessPoint, IfConfig, WlanBackend, WlanState } from '../backend.js';
import { osError } from '../errors.js';
import { realTime } from '../module-time.js';
import type { Urc } from '../../firmware-protocol/at/types.js';
import type { AtReply } from './at-client.js';
import type { AtRequest } from './at-client.js';
import type { AtRequests } from './requests.js';
import { hasCommand } from '../../firmware-protocol/at/command-table.js';
import { HOSTNAME_MAX_LENGTH } from '../../firmware-protocol/at/commands/wifi-station.js';
import { accessPoints, cifsrStationMac, firstDnsServer, hostnameOf, joinFailureCode, pingResult, stationAddresses, stationMac, timestampOf } from './replies.js';

export interface WlanEngine {
  command(request: AtRequest): Promise<AtReply>;
  readonly requests: AtRequests;
}

/** `+CWJAP:<code>` → what status() says and the errno connect() raises. */
const JOIN_FAILURES: Record<number, { state: WlanState; errno: 'ETIMEDOUT' | 'EACCES' | 'ENOENT' | 'ECONNREFUSED'; text: string }> = {
  1: { state: 'connect-fail', errno: 'ETIMEDOUT', text: 'the access point did not answer in time' },
  2: { state: 'wrong-password', errno: 'EACCES', text: 'wrong password' },
  3: { state: 'no-ap', errno: 'ENOENT', text: 'no access point with that SSID' },
  4: { state: 'connect-fail', errno: 'ECONNREFUSED', text: 'the access point refused the connection' },
};

export class AtWlan implements WlanBackend {
  private current: WlanState = 'idle';
  private joining = false;

  constructor(private readonly engine: WlanEngine) {}

  /** What the module said on its own. */
  onUrc(urc: Urc): void {
    if (urc.kind === 'wifi-got-ip') this.current = 'got-ip';
    else if (urc.kind === 'wifi-connected' && this.current !== 'got-ip') this.current = 'connecting';
    else if (urc.kind === 'wifi-disconnect' && !this.joining) this.current = 'idle';
  }

  /** After (re)synchronisation: the station address the module reported. */
  learned(stationIp: string | null): void {
    this.current = stationIp && stationIp !== '0.0.0.0' ? 'got-ip' : 'idle';
  }

  reset(): void {
    this.current = 'idle';
  }

  connected(): boolean {
    return this.current === 'got-ip';
  }

  state(): WlanState {
    return this.current;
  }

  async scan(): Promise<AccessPoint[]> {
    const reply = await this.engine.command(this.engine.requests.scan());
    if (reply.result !== 'OK') throw osError('EIO', `scan failed (AT+CWLAP answered ${reply.result})`);
    return accessPoints(this.engine.requests.profile, reply);
  }

  async connect(ssid: string, key: string | undefined): Promise<void> {
    this.joining = true;
    this.current = 'connecting';
    let reply: AtReply;
    try {
      reply = await this.engine.command(this.engine.requests.join(ssid, key ?? ''));
    } catch (err) {
      this.current = 'connect-fail';
      throw err;
    } finally {
      this.joining = false;
    }
    if (reply.result === 'OK') {
      this.current = 'got-ip';
      return;
    }
    const failure = JOIN_FAILURES[joinFailureCode(this.engine.requests.profile, reply) ?? 4] ?? JOIN_FAILURES[4];
    this.current = failure.state;
    throw osError(failure.errno, `could not join ${JSON.stringify(ssid)}: ${failure.text}`);
  }

  async disconnect(): Promise<void> {
    await this.engine.command(this.engine.requests.leave());
    this.current = 'idle';
  }

  async ifconfig(): Promise<IfConfig> {
    const reply = await this.engine.command(this.engine.requests.stationQuery());
    if (reply.result !== 'OK') throw osError('EIO', `AT+CIPSTA? answered ${reply.result}`);
    const addresses = stationAddresses(this.engine.requests.profile, reply);
    let dns = '0.0.0.0';
    const dnsReply = await this.engine.command(this.engine.requests.dnsQuery()).catch(() => null);
    if (dnsReply?.result === 'OK') dns = firstDnsServer(this.engine.requests.profile, dnsReply) ?? dns;
    return {
      ip: addresses.ip ?? '0.0.0.0',
      netmask: addresses.netmask ?? '0.0.0.0',
      gateway: addresses.gateway ?? '0.0.0.0',
      dns,
    };
  }

  async setIfconfig(config: IfConfig): Promise<void> {
    const reply = await this.engine.command(this.engine.requests.stationSet(config.ip, config.gateway, config.netmask));
    if (reply.result !== 'OK') throw osError('EINVAL', `the module refused the address ${config.ip} (AT+CIPSTA answered ${reply.result})`);
    const dnsReply = await this.engine.command(this.engine.requests.dnsSet(config.dns));
    if (dnsReply.result !== 'OK') throw osError('EINVAL', `the module refused DNS server ${config.dns}`);
  }

  /** AT+CIPSTAMAC? (AT+CIFSR's STAMAC where a firmware lacks it). */
  async mac(): Promise<string> {
    const { profile } = this.engine.requests;
    const viaCifsr = !hasCommand(profile, 'CIPSTAMAC');
    const reply = await this.engine.command(viaCifsr ? this.engine.requests.addresses() : this.engine.requests.stationMacQuery());
    const mac = reply.result === 'OK' ? (viaCifsr ? cifsrStationMac(profile, reply) : stationMac(profile, reply)) : null;
    if (mac === null) throw osError('EIO', `the module did not report its MAC address (${reply.result})`);
    return mac;
  }

  /** AT+PING: `+PING:<ms>` then OK, or `+PING:TIMEOUT` then ERROR. */
  async ping(ip: string): Promise<number | null> {
    const { profile } = this.engine.requests;
    if (!hasCommand(profile, 'PING')) throw osError('EOPNOTSUPP', `${profile.title} has no AT+PING`);
    const reply = await this.engine.command(this.engine.requests.ping(ip));
    const result = pingResult(profile, reply);
    if (result === undefined) throw osError('EIO', `the module did not report the ping (${reply.result})`);
    return result;
  }

  /** AT+CIPSNTPCFG=1,0[,servers] (2.x): SNTP on, in UTC. */
  async startNtp(servers: readonly string[]): Promise<void> {
    const { profile } = this.engine.requests;
    if (!hasCommand(profile, 'CIPSNTPCFG')) throw osError('EOPNOTSUPP', `${profile.title} has no AT+CIPSNTPCFG`);
    if (servers.length > 3) throw osError('EINVAL', 'the module takes at most three SNTP servers');
    const reply = await this.engine.command(this.engine.requests.sntpConfig(servers));
    if (reply.result !== 'OK') throw osError('EINVAL', `the module refused the SNTP configuration (${reply.result})`);
  }

  /** AT+SYSTIMESTAMP? (2.x): the clock AT+CIPSNTPCFG's SNTP sets. */
  async moduleTime(): Promise<number | null> {
    const { profile } = this.engine.requests;
    if (!hasCommand(profile, 'SYSTIMESTAMP')) throw osError('EOPNOTSUPP', `${profile.title} has no AT+SYSTIMESTAMP`);
    const reply = await this.engine.command(this.engine.requests.timestamp());
    const seconds = reply.result === 'OK' ? timestampOf(profile, reply) : undefined;
    if (seconds === undefined) throw osError('EIO', `the module did not report its time (${reply.result})`);
    return realTime(seconds);
  }

  async hostname(): Promise<string> {
    this.requireHostnameCommand();
    const reply = await this.engine.command(this.engine.requests.hostnameQuery());
    const name = reply.result === 'OK' ? hostnameOf(this.engine.requests.profile, reply) : null;
    // ESP-AT answers ERROR without station mode.
    if (name === null) throw osError('EIO', `the module did not report its host name (AT+CWHOSTNAME? answered ${reply.result})`);
    return name;
  }

  async setHostname(name: string): Promise<void> {
    this.requireHostnameCommand();
    const length = Buffer.byteLength(name);
    if (length === 0 || length > HOSTNAME_MAX_LENGTH) throw osError('EINVAL', `a host name is 1..${HOSTNAME_MAX_LENGTH} bytes`);
    const reply = await this.engine.command(this.engine.requests.hostnameSet(name));
    if (reply.result !== 'OK') throw osError('EIO', `the module refused the host name (AT+CWHOSTNAME answered ${reply.result})`);
  }

  private requireHostnameCommand(): void {
    const { profile } = this.engine.requests;
    if (!hasCommand(profile, 'CWHOSTNAME')) throw osError('EOPNOTSUPP', `${profile.title} has no AT+CWHOSTNAME`);
  }
}

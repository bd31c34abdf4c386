/**
 * The station interface over NINA: SET_NET/SET_PASSPHRASE then GET_CONN_STATUS polling (the
 * firmware joins in the background and prints nothing), SCAN_NETWORKS plus per-index queries,
 * DISCONNECT, GET_IPADDR. With no notifications, `state()` is what the last status query said.
 */
import { realTime } from '../module-time.js';
import { ninaEncryptionToSecurity } from '../../firmware-protocol/nina/security.js';
import { owedClock, systemClock } from '../clock.js';
import type { Clock } from '../clock.js';
import { ConnectionStatus } from '../../firmware-protocol/nina/constants.js';
import { ninaFields as f } from '../../firmware-protocol/nina/index.js';
import type { AccessPoint, IfConfig, WlanBackend, WlanState } from '../backend.js';
import { isOSError, osError } from '../errors.js';
import { NinaErrorReply, type NinaClient } from './nina-client.js';

/** How long a join may take before connect() gives up (WiFiNINA waits up to 50 s, A 10 s). */
export const JOIN_TIMEOUT_MS = 20_000;
const JOIN_POLL_MS = 50;
const DUMMY = [f.u8(0xff)];
/** The TTL WiFiNINA's `WiFi.ping()` sends by default. */
const PING_TTL = 128;

/** nina-fw's `char hostname[255 + 1]`. */
const HOSTNAME_BYTES = 255;


export class NinaWlan implements WlanBackend {
  private current: WlanState = 'idle';
  /** What SET_HOSTNAME last set (nina-fw cannot be asked). */
  private hostnameSet: string | null = null;

  constructor(
    private readonly client: NinaClient,
    /** The join's deadline and poll pause (src/clock.ts). */
    private readonly clock: Clock = owedClock(systemClock),
  ) {}

  /** What a GET_CONN_STATUS answer means for state(). */
  learned(status: number, reason = 0): void {
    if (status === ConnectionStatus.CONNECTED) this.current = 'got-ip';
    else if (status === ConnectionStatus.NO_SSID_AVAIL) this.current = 'connecting';
    else if (status === ConnectionStatus.CONNECT_FAILED) this.current = reason === 202 ? 'wrong-password' : reason === 201 ? 'no-ap' : 'connect-fail';
    else this.current = 'idle';
  }

  async refresh(): Promise<number> {
    const status = f.readU8((await this.client.call('GET_CONN_STATUS'))[0]);
    this.learned(status);
    return status;
  }

  connected(): boolean {
    return this.current === 'got-ip';
  }

  state(): WlanState {
    return this.current;
  }

  /** Scans (nina-fw ends a station association to scan: peers.md §1.7 code reading, docs/spi.md). */
  async scan(): Promise<AccessPoint[]> {
    const names = await this.client.call('SCAN_NETWORKS');
    const found: AccessPoint[] = [];
    for (let i = 0; i < names.length; i++) {
      const index = [f.u8(i)];
      const rssi = f.readI32le((await this.client.call('GET_IDX_RSSI', index))[0]);
      const encryption = f.readU8((await this.client.call('GET_IDX_ENCT', index))[0]);
      const bssid = f.macFromReversed((await this.client.call('GET_IDX_BSSID', index))[0]);
      const channel = f.readU8((await this.client.call('GET_IDX_CHANNEL', index))[0]);
      found.push({ ssid: f.bytesText(names[i]), bssid, channel, rssi, security: ninaEncryptionToSecurity(encryption), hidden: false });
    }
    await this.refresh().catch(() => undefined);
    return found;
  }

  async connect(ssid: string, key: string | undefined): Promise<void> {
    const name = f.textBytes(ssid);
    if (name.length === 0 || name.length > 32) throw osError('EINVAL', 'an SSID is 1..32 bytes');
    this.current = 'connecting';
    if (key) await this.client.call('SET_PASSPHRASE', [name, f.textBytes(key)]);
    else await this.client.call('SET_NET', [name]);
    const deadline = this.clock.now() + JOIN_TIMEOUT_MS;
    for (;;) {
      const status = f.readU8((await this.client.call('GET_CONN_STATUS'))[0]);
      if (status === ConnectionStatus.CONNECTED) {
        this.current = 'got-ip';
        return;
      }
      if (status === ConnectionStatus.CONNECT_FAILED) {
        const reason = f.readU8((await this.client.call('GET_REASON_CODE'))[0]);
        this.learned(status, reason);
        if (reason === 202) throw osError('EACCES', `could not join ${JSON.stringify(ssid)}: wrong password`);
        if (reason === 201) throw osError('ENOENT', `could not join ${JSON.stringify(ssid)}: no access point with that SSID`);
        throw osError('ECONNREFUSED', `could not join ${JSON.stringify(ssid)} (reason ${reason})`);
      }
      // 0/1/2 are "still trying" (as WiFiNINA reads them); so is a passing DISCONNECTED.
      if (this.clock.now() > deadline) {
        this.current = 'connect-fail';
        throw osError('ETIMEDOUT', `could not join ${JSON.stringify(ssid)} within ${JOIN_TIMEOUT_MS / 1000} s`);
      }
      await this.clock.sleep(JOIN_POLL_MS);
    }
  }

  async disconnect(): Promise<void> {
    await this.client.call('DISCONNECT', DUMMY);
    this.current = 'idle';
  }

  async ifconfig(): Promise<IfConfig> {
    const [ip, netmask, gateway] = await this.client.call('GET_IPADDR', DUMMY);
    let dns = '0.0.0.0';
    // GET_DNS_CONFIG exists in nina-fw; a module without it answers the error reply.
    const servers = await this.client.call('GET_DNS_CONFIG', DUMMY).catch((err: unknown) => {
      if (err instanceof NinaErrorReply) return null;
      throw err;
    });
    if (servers?.[0]?.length === 4) dns = f.ipv4Text(servers[0]);
    return { ip: f.ipv4Text(ip), netmask: f.ipv4Text(netmask), gateway: f.ipv4Text(gateway), dns };
  }

  async setIfconfig(config: IfConfig): Promise<void> {
    try {
      // valid = 3: address, gateway and mask all given (WiFiNINA's count). nina-fw always answers 0.
      await this.client.call('SET_IP_CONFIG', [f.u8(3), f.ipv4Bytes(config.ip), f.ipv4Bytes(config.gateway), f.ipv4Bytes(config.netmask)]);
      await this.client.call('SET_DNS_CONFIG', [f.u8(1), f.ipv4Bytes(config.dns), f.ipv4Bytes('0.0.0.0')]);
    } catch (err) {
      if (isOSError(err) && err instanceof NinaErrorReply) throw osError('EOPNOTSUPP', `the module does not take a static address (${err.command})`, err);
      throw err;
    }
  }

  /** GET_MACADDR: six bytes, last byte first. */
  async mac(): Promise<string> {
    return f.macFromReversed((await this.client.call('GET_MACADDR', DUMMY))[0]);
  }

  /** PING (ip, ttl 128): int16 LE round trip, -1 without an echo (nina-fw waits 5 s). */
  async ping(ip: string): Promise<number | null> {
    const [result] = await this.client.call('PING', [f.ipv4Bytes(ip), f.u8(PING_TTL)]);
    const roundTrip = f.readI16le(result);
    return roundTrip < 0 ? null : roundTrip;
  }

  /** nina-fw runs SNTP by itself (pool.ntp.org) once joined: nothing to start; its servers are fixed. */
  async startNtp(servers: readonly string[]): Promise<void> {
    if (servers.length > 0) throw osError('EOPNOTSUPP', 'nina-fw chooses its own SNTP servers');
  }

  /** GET_TIME: uint32 LE seconds, 0 until SNTP set the clock. */
  async moduleTime(): Promise<number | null> {
    return realTime(f.readU32le((await this.client.call('GET_TIME'))[0]));
  }

  /** nina-fw has no command that reads the host name: only one this driver set is known. */
  async hostname(): Promise<string> {
    if (this.hostnameSet === null) throw osError('EOPNOTSUPP', 'a NINA module cannot report its host name (nina-fw has no command for it)');
    return this.hostnameSet;
  }

  /** SET_HOSTNAME (nina-fw's buffer holds 255 bytes). */
  async setHostname(name: string): Promise<void> {
    const bytes = f.textBytes(name);
    if (bytes.length === 0 || bytes.length > HOSTNAME_BYTES) throw osError('EINVAL', `a host name is 1..${HOSTNAME_BYTES} bytes`);
    await this.client.call('SET_HOSTNAME', [bytes]);
    this.hostnameSet = name;
  }
}

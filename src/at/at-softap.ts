/**
 * The access-point interface over ESP-AT: AT+CWMODE (bit 1 is the softAP), AT+CWSAP, AT+CWLIF,
 * AT+CIPAP. Every line is formatted and read with the command's declaration for the module's
 * profile; a firmware whose profile lacks them answers EOPNOTSUPP without asking the module.
 */
import { hasCommand } from '../../firmware-protocol/at/command-table.js';
import type { CommandName } from '../../firmware-protocol/at/commands/index.js';
import { readReply } from '../../firmware-protocol/at/grammar/replies.js';
import { formatRequest } from '../../firmware-protocol/at/host-commands.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { IfConfig, SoftApBackend, SoftApConfig, SoftApStation } from '../backend.js';
import { osError } from '../errors.js';
import type { AtReply, AtRequest } from './at-client.js';
import { TIMEOUTS } from './requests.js';

export interface SoftApEngine {
  command(request: AtRequest): Promise<AtReply>;
  readonly requests: { readonly profile: FirmwareProfile };
}

const SOFTAP_BIT = 2;

export class AtSoftAp implements SoftApBackend {
  constructor(private readonly engine: SoftApEngine) {}

  private get profile(): FirmwareProfile {
    return this.engine.requests.profile;
  }

  private need(command: CommandName): void {
    if (!hasCommand(this.profile, command)) throw osError('EOPNOTSUPP', `${this.profile.title} has no AT+${command}: no access point`);
  }

  private async ask(line: Uint8Array, what: string, errno: 'EIO' | 'EINVAL' = 'EIO'): Promise<AtReply> {
    const reply = await this.engine.command({ line, timeoutMs: TIMEOUTS.basic });
    if (reply.result !== 'OK') throw osError(errno, `${what} answered ${reply.result}`);
    return reply;
  }

  private async mode(): Promise<number> {
    const reply = await this.ask(formatRequest(this.profile, 'CWMODE', 'query', { save: 'ram' }), 'AT+CWMODE?');
    return readReply(this.profile, 'CWMODE', reply).mode?.mode ?? 0;
  }

  async active(): Promise<boolean> {
    this.need('CWSAP');
    return ((await this.mode()) & SOFTAP_BIT) !== 0;
  }

  /** The softAP is bit 1 of the mode: the station keeps its state (mode 1 ↔ 3, 0 ↔ 2). */
  async setActive(on: boolean): Promise<void> {
    this.need('CWSAP');
    const mode = await this.mode();
    const wanted = on ? mode | SOFTAP_BIT : mode & ~SOFTAP_BIT;
    if (wanted === mode) return;
    await this.ask(formatRequest(this.profile, 'CWMODE', 'set', { mode: wanted }, { save: 'ram' }), 'AT+CWMODE');
  }

  async config(): Promise<SoftApConfig> {
    this.need('CWSAP');
    const reply = await this.ask(formatRequest(this.profile, 'CWSAP', 'query', { save: 'ram' }), 'AT+CWSAP? (is the access point active?)');
    const line = readReply(this.profile, 'CWSAP', reply).config;
    if (line === undefined) throw osError('EIO', 'AT+CWSAP? gave no configuration');
    return {
      essid: line.ssid,
      key: line.pwd,
      channel: line.channel,
      security: line.ecn,
      maxClients: line.max_conn,
      hidden: line.ssid_hidden === 1,
    };
  }

  async configure(changes: Partial<SoftApConfig>): Promise<void> {
    const current = await this.config();
    const next = { ...current, ...changes };
    // A key given without a security: "" makes the network open, a key on an open one makes it WPA2-PSK.
    let security = next.security;
    if (changes.security === undefined && changes.key !== undefined) {
      security = changes.key === '' ? 0 : current.security === 0 ? 3 : current.security;
    }
    const params = {
      ssid: next.essid,
      pwd: security === 0 ? '' : next.key,
      channel: next.channel,
      ecn: security,
      max_conn: next.maxClients,
      ssid_hidden: next.hidden ? 1 : 0,
    };
    await this.ask(formatRequest(this.profile, 'CWSAP', 'set', params, { save: 'ram' }), 'AT+CWSAP', 'EINVAL');
  }

  async stations(): Promise<SoftApStation[]> {
    this.need('CWLIF');
    const reply = await this.ask(formatRequest(this.profile, 'CWLIF', 'exec'), 'AT+CWLIF');
    return readReply(this.profile, 'CWLIF', reply).station.map((station) => ({ mac: station.mac.toLowerCase(), ip: station.ip }));
  }

  async ifconfig(): Promise<IfConfig> {
    this.need('CIPAP');
    const reply = await this.ask(formatRequest(this.profile, 'CIPAP', 'query', { save: 'ram' }), 'AT+CIPAP?');
    const address = readReply(this.profile, 'CIPAP', reply).address ?? {};
    const ip = address.ip ?? '0.0.0.0';
    // The softAP's DHCP server offers its own address as DNS server.
    return { ip, netmask: address.netmask ?? '0.0.0.0', gateway: address.gateway ?? ip, dns: ip };
  }

  async setIfconfig(config: IfConfig): Promise<void> {
    this.need('CIPAP');
    const params = { ip: config.ip, gateway: config.gateway, netmask: config.netmask };
    await this.ask(formatRequest(this.profile, 'CIPAP', 'set', params, { save: 'ram' }), `AT+CIPAP (${config.ip})`, 'EINVAL');
  }
}

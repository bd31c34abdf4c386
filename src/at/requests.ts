/**
 * Every AT command the driver sends, formatted by the codec's formatRequest() with named
 * parameters for the module's firmware profile (which names a setting that is not saved: NonOS's
 * `_CUR`), each with its time budget (peers.md E15: joins and connects take long; a short budget
 * turns a slow success into a desync).
 */
import { hasCommand } from '../../firmware-protocol/at/command-table.js';
import { formatRequest } from '../../firmware-protocol/at/host-commands.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { AtRequest } from './at-client.js';

/** Milliseconds each kind of command may take before the engine gives up on it. */
export const TIMEOUTS = {
  basic: 5_000,
  /** CWJAP: the firmware's own join timeout is 15 s. */
  join: 25_000,
  /** CWLAP: a scan takes 2-5 s on hardware. */
  scan: 15_000,
  /** CIPSTART: DNS + TCP connect (lwIP gives up after ~18 s). */
  connect: 30_000,
  /** CIPSTART "SSL": TCP connect plus a handshake the module computes itself (seconds on an ESP8266). */
  tlsConnect: 45_000,
  /** CIPDOMAIN: the module's resolver retries several servers. */
  resolve: 20_000,
  /** CIPSEND: prompt, payload at line rate, then SEND OK. */
  send: 20_000,
  /** PING: the firmware resolves a name first, then waits for the echo. */
  ping: 25_000,
} as const;

export class AtRequests {
  constructor(readonly profile: FirmwareProfile) {}

  private request(line: Uint8Array, timeoutMs: number = TIMEOUTS.basic): AtRequest {
    return { line, timeoutMs };
  }

  at(): AtRequest {
    return this.request(formatRequest(this.profile, 'AT', 'exec'), 1_000);
  }
  echoOff(): AtRequest {
    return this.request(formatRequest(this.profile, 'ATE0', 'exec'));
  }
  version(): AtRequest {
    return this.request(formatRequest(this.profile, 'GMR', 'exec'));
  }
  wifiModeQuery(): AtRequest {
    return this.request(formatRequest(this.profile, 'CWMODE', 'query', { save: 'ram' }));
  }
  wifiMode(mode: number): AtRequest {
    return this.request(formatRequest(this.profile, 'CWMODE', 'set', { mode }, { save: 'ram' }));
  }
  muxQuery(): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPMUX', 'query'));
  }
  mux(on: boolean): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPMUX', 'set', { mode: on ? 1 : 0 }));
  }
  passiveReceive(on: boolean): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPRECVMODE', 'set', { mode: on ? 1 : 0 }));
  }
  remoteInfo(on: boolean): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPDINFO', 'set', { mode: on ? 1 : 0 }));
  }
  addresses(): AtRequest {
    return this.request(formatRequest(this.profile, 'CIFSR', 'exec'));
  }
  startTcp(link: number, ip: string, port: number, keepAliveSec?: number): AtRequest {
    const params = { link_id: link, type: 'TCP', remote_host: ip, remote_port: port, keep_alive: keepAliveSec || undefined } as const;
    return this.request(formatRequest(this.profile, 'CIPSTART', 'set', params), TIMEOUTS.connect);
  }
  startSsl(link: number, ip: string, port: number, keepAliveSec?: number): AtRequest {
    const params = { link_id: link, type: 'SSL', remote_host: ip, remote_port: port, keep_alive: keepAliveSec || undefined } as const;
    return this.request(formatRequest(this.profile, 'CIPSTART', 'set', params), TIMEOUTS.tlsConnect);
  }
  /** 2.x: `AT+CIPSSLCCONF=<id>,<auth_mode>,<pki_number>,<ca_number>`. */
  sslAuth(link: number, authMode: number, pki: number, ca: number): AtRequest {
    const params = { link_id: link, auth_mode: authMode, pki_number: pki, ca_number: ca };
    return this.request(formatRequest(this.profile, 'CIPSSLCCONF', 'set', params));
  }
  /** The bit-mask form (NonOS 1.7): `AT+CIPSSLCCONF=<bits>` (bit 0 client certificate 0, bit 1 CA 0). */
  sslAuthBits(bits: number): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSSLCCONF', 'set', { mode: bits }));
  }
  /** `""` clears it. */
  sslCommonName(link: number, name: string): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSSLCCN', 'set', { link_id: link, common_name: name }));
  }
  /** `""` clears it. */
  sslSni(link: number, name: string): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSSLCSNI', 'set', { link_id: link, sni: name }));
  }
  /** No protocols clears it. */
  sslAlpn(link: number, protocols: readonly string[]): AtRequest {
    const [alpn1, alpn2, alpn3, alpn4, alpn5] = protocols;
    const params = { link_id: link, counts: protocols.length, alpn1, alpn2, alpn3, alpn4, alpn5 };
    return this.request(formatRequest(this.profile, 'CIPSSLCALPN', 'set', params));
  }
  /** NonOS 1.7 only, before the SSL link exists. */
  sslBufferSize(bytes: number): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSSLSIZE', 'set', { size: bytes }));
  }
  /** UDP mode 2: the peer follows every sender, and any sender is heard. */
  startUdp(link: number, ip: string, port: number, localPort: number): AtRequest {
    const params = { link_id: link, type: 'UDP', remote_host: ip, remote_port: port, local_port: localPort, mode: 2 } as const;
    return this.request(formatRequest(this.profile, 'CIPSTART', 'set', params), TIMEOUTS.connect);
  }
  /** CIPMUX=0 form, for transparent mode: `AT+CIPSTART="TCP"|"SSL",<ip>,<port>[,<keep_alive>]`. */
  startSingle(type: 'TCP' | 'SSL', ip: string, port: number, keepAliveSec?: number): AtRequest {
    const params = { type, remote_host: ip, remote_port: port, keep_alive: keepAliveSec || undefined };
    return this.request(formatRequest(this.profile, 'CIPSTART', 'set', params), type === 'SSL' ? TIMEOUTS.tlsConnect : TIMEOUTS.connect);
  }
  /** AT+CIPMODE: 1 = transparent transmission (CIPMUX=0 only), 0 = normal. */
  transferMode(transparent: boolean): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPMODE', 'set', { mode: transparent ? 1 : 0 }));
  }
  /** `AT+CIPSEND` alone with CIPMODE=1: `>`, then every byte is data until `+++`. */
  enterPassthrough(): AtRequest {
    return { ...this.request(formatRequest(this.profile, 'CIPSEND', 'exec')), entersRaw: true };
  }
  send(link: number, payload: Uint8Array, to?: { ip: string; port: number }): AtRequest {
    const params = { link_id: link, length: payload.length, remote_host: to?.ip, remote_port: to?.port };
    return { ...this.request(formatRequest(this.profile, 'CIPSEND', 'set', params), TIMEOUTS.send), payload };
  }
  /** AT+CIPSENDL: the module hands the payload on while the UART still brings it (`+CIPSENDL:` reports, then SEND OK). */
  sendLong(link: number, payload: Uint8Array): AtRequest {
    // Long enough for the payload at 9600 baud, the slowest line the driver meets.
    const timeoutMs = TIMEOUTS.send + Math.ceil((payload.length * 10 * 1000) / 9600);
    return { ...this.request(formatRequest(this.profile, 'CIPSENDL', 'set', { link_id: link, length: payload.length }), timeoutMs), payload };
  }
  /** AT+CIPSENDLCFG=<report size>,<transmit size>: how often a long send reports, and its block size. */
  sendLongConfig(reportSize: number, transmitSize: number): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSENDLCFG', 'set', { report_size: reportSize, transmit_size: transmitSize }));
  }
  recvData(link: number, length: number): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPRECVDATA', 'set', { link_id: link, len: length }));
  }
  recvLengths(): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPRECVLEN', 'query'));
  }
  close(link: number): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPCLOSE', 'set', { link_id: link }));
  }
  /** CIPMUX=0 form: close the single link. */
  closeSingle(): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPCLOSE', 'exec'));
  }
  closeAll(): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPCLOSE', 'set', { link_id: 5 }));
  }
  /** AT+CIPSTATE? where the firmware has it, else the older AT+CIPSTATUS (same link lines). */
  linkStates(): AtRequest {
    const line = hasCommand(this.profile, 'CIPSTATE')
      ? formatRequest(this.profile, 'CIPSTATE', 'query')
      : formatRequest(this.profile, 'CIPSTATUS', 'exec');
    return this.request(line);
  }
  serverMaxConn(n: number): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSERVERMAXCONN', 'set', { num: n }));
  }
  serverStart(port: number): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSERVER', 'set', { mode: 1, port }));
  }
  serverStop(): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSERVER', 'set', { mode: 0 }));
  }
  sntpConfig(servers: readonly string[]): AtRequest {
    const [server1, server2, server3] = servers;
    return this.request(formatRequest(this.profile, 'CIPSNTPCFG', 'set', { enable: 1, timezone: 0, server1, server2, server3 }));
  }
  timestamp(): AtRequest {
    return this.request(formatRequest(this.profile, 'SYSTIMESTAMP', 'query'));
  }
  ping(host: string): AtRequest {
    return this.request(formatRequest(this.profile, 'PING', 'set', { host }), TIMEOUTS.ping);
  }
  resolve(host: string): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPDOMAIN', 'set', { domain: host }), TIMEOUTS.resolve);
  }
  scan(): AtRequest {
    return this.request(formatRequest(this.profile, 'CWLAP', 'exec'), TIMEOUTS.scan);
  }
  join(ssid: string, key: string): AtRequest {
    return this.request(formatRequest(this.profile, 'CWJAP', 'set', { ssid, pwd: key }, { save: 'ram' }), TIMEOUTS.join);
  }
  /** AT+CIPSTAMAC? (1.7: `_CUR`). */
  stationMacQuery(): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSTAMAC', 'query', { save: 'ram' }));
  }
  hostnameQuery(): AtRequest {
    return this.request(formatRequest(this.profile, 'CWHOSTNAME', 'query'));
  }
  hostnameSet(hostname: string): AtRequest {
    return this.request(formatRequest(this.profile, 'CWHOSTNAME', 'set', { hostname }));
  }
  leave(): AtRequest {
    return this.request(formatRequest(this.profile, 'CWQAP', 'exec'));
  }
  stationQuery(): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSTA', 'query', { save: 'ram' }));
  }
  stationSet(ip: string, gateway: string, netmask: string): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPSTA', 'set', { ip, gateway, netmask }, { save: 'ram' }));
  }
  dnsQuery(): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPDNS', 'query', { save: 'ram' }));
  }
  dnsSet(dns: string): AtRequest {
    return this.request(formatRequest(this.profile, 'CIPDNS', 'set', { enable: 1, dns1: dns }, { save: 'ram' }));
  }
}

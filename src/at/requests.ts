/**
 * Every AT command the driver sends, formatted by the codec's formatCommand() for the module's
 * firmware profile (NonOS 1.7 uses the `_CUR` variants), each with its time budget (peers.md
 * E15: joins and connects take long; a short budget turns a slow success into a desync).
 */
import { formatCommand } from '../../firmware-protocol/at/host-commands.js';
import type { ParamValue } from '../../firmware-protocol/at/command-spec.js';
import type { CommandForm } from '../../firmware-protocol/at/types.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
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
} as const;

export class AtRequests {
  constructor(readonly profileId: ProfileId) {}

  private get v17(): boolean {
    return this.profileId === 'esp8266-at-1.7';
  }

  private make(name: string, form: CommandForm, values: ParamValue[] = [], timeoutMs: number = TIMEOUTS.basic): AtRequest {
    return { line: formatCommand(name, form, values, this.profileId), timeoutMs };
  }

  /** 1.7 keeps settings in `_CUR` (RAM) variants; 2.x has one name. */
  private cur(name: string): string {
    return this.v17 ? `${name}_CUR` : name;
  }

  at(): AtRequest {
    return this.make('AT', 'exec', [], 1_000);
  }
  echoOff(): AtRequest {
    return this.make('ATE0', 'exec');
  }
  version(): AtRequest {
    return this.make('GMR', 'exec');
  }
  wifiModeQuery(): AtRequest {
    return this.make(this.cur('CWMODE'), 'query');
  }
  wifiMode(mode: number): AtRequest {
    return this.make(this.cur('CWMODE'), 'set', [mode]);
  }
  muxQuery(): AtRequest {
    return this.make('CIPMUX', 'query');
  }
  mux(on: boolean): AtRequest {
    return this.make('CIPMUX', 'set', [on ? 1 : 0]);
  }
  passiveReceive(on: boolean): AtRequest {
    return this.make('CIPRECVMODE', 'set', [on ? 1 : 0]);
  }
  remoteInfo(on: boolean): AtRequest {
    return this.make('CIPDINFO', 'set', [on ? 1 : 0]);
  }
  addresses(): AtRequest {
    return this.make('CIFSR', 'exec');
  }
  startTcp(link: number, ip: string, port: number, keepAliveSec?: number): AtRequest {
    return this.make('CIPSTART', 'set', [link, 'TCP', ip, port, keepAliveSec || undefined], TIMEOUTS.connect);
  }
  startSsl(link: number, ip: string, port: number, keepAliveSec?: number): AtRequest {
    return this.make('CIPSTART', 'set', [link, 'SSL', ip, port, keepAliveSec || undefined], TIMEOUTS.tlsConnect);
  }
  /** 2.x: `AT+CIPSSLCCONF=<id>,<auth_mode>,<pki_number>,<ca_number>`. */
  sslAuth(link: number, authMode: number, pki: number, ca: number): AtRequest {
    return this.make('CIPSSLCCONF', 'set', [link, authMode, pki, ca]);
  }
  /** NonOS 1.7: `AT+CIPSSLCCONF=<bits>` (bit 0 client certificate 0, bit 1 CA 0). */
  sslAuthBits(bits: number): AtRequest {
    return this.make('CIPSSLCCONF', 'set', [bits]);
  }
  /** `""` clears it. */
  sslCommonName(link: number, name: string): AtRequest {
    return this.make('CIPSSLCCN', 'set', [link, name]);
  }
  /** `""` clears it. */
  sslSni(link: number, name: string): AtRequest {
    return this.make('CIPSSLCSNI', 'set', [link, name]);
  }
  /** No protocols clears it. */
  sslAlpn(link: number, protocols: readonly string[]): AtRequest {
    return this.make('CIPSSLCALPN', 'set', [link, protocols.length, ...protocols]);
  }
  /** NonOS 1.7 only, before the SSL link exists. */
  sslBufferSize(bytes: number): AtRequest {
    return this.make('CIPSSLSIZE', 'set', [bytes]);
  }
  /** UDP mode 2: the peer follows every sender, and any sender is heard. */
  startUdp(link: number, ip: string, port: number, localPort: number): AtRequest {
    return this.make('CIPSTART', 'set', [link, 'UDP', ip, port, localPort, 2], TIMEOUTS.connect);
  }
  /** CIPMUX=0 form, for transparent mode: `AT+CIPSTART="TCP"|"SSL",<ip>,<port>[,<keep_alive>]`. */
  startSingle(type: 'TCP' | 'SSL', ip: string, port: number, keepAliveSec?: number): AtRequest {
    return this.make('CIPSTART', 'set', [type, ip, port, keepAliveSec || undefined], type === 'SSL' ? TIMEOUTS.tlsConnect : TIMEOUTS.connect);
  }
  /** AT+CIPMODE: 1 = transparent transmission (CIPMUX=0 only), 0 = normal. */
  transferMode(transparent: boolean): AtRequest {
    return this.make('CIPMODE', 'set', [transparent ? 1 : 0]);
  }
  /** `AT+CIPSEND` alone with CIPMODE=1: `>`, then every byte is data until `+++`. */
  enterPassthrough(): AtRequest {
    return { ...this.make('CIPSEND', 'exec'), entersRaw: true };
  }
  send(link: number, payload: Uint8Array, to?: { ip: string; port: number }): AtRequest {
    const values: ParamValue[] = to ? [link, payload.length, to.ip, to.port] : [link, payload.length];
    return { ...this.make('CIPSEND', 'set', values, TIMEOUTS.send), payload };
  }
  recvData(link: number, length: number): AtRequest {
    return this.make('CIPRECVDATA', 'set', [link, length]);
  }
  recvLengths(): AtRequest {
    return this.make('CIPRECVLEN', 'query');
  }
  close(link: number): AtRequest {
    return this.make('CIPCLOSE', 'set', [link]);
  }
  /** CIPMUX=0 form: close the single link. */
  closeSingle(): AtRequest {
    return this.make('CIPCLOSE', 'exec');
  }
  closeAll(): AtRequest {
    return this.make('CIPCLOSE', 'set', [5]);
  }
  linkStates(): AtRequest {
    return this.v17 ? this.make('CIPSTATUS', 'exec') : this.make('CIPSTATE', 'query');
  }
  serverMaxConn(n: number): AtRequest {
    return this.make('CIPSERVERMAXCONN', 'set', [n]);
  }
  serverStart(port: number): AtRequest {
    return this.make('CIPSERVER', 'set', [1, port]);
  }
  serverStop(): AtRequest {
    return this.make('CIPSERVER', 'set', [0]);
  }
  resolve(host: string): AtRequest {
    return this.make('CIPDOMAIN', 'set', [host], TIMEOUTS.resolve);
  }
  scan(): AtRequest {
    return this.make('CWLAP', 'exec', [], TIMEOUTS.scan);
  }
  join(ssid: string, key: string): AtRequest {
    return this.make(this.cur('CWJAP'), 'set', [ssid, key], TIMEOUTS.join);
  }
  leave(): AtRequest {
    return this.make('CWQAP', 'exec');
  }
  stationQuery(): AtRequest {
    return this.make(this.cur('CIPSTA'), 'query');
  }
  stationSet(ip: string, gateway: string, netmask: string): AtRequest {
    return this.make(this.cur('CIPSTA'), 'set', [ip, gateway, netmask]);
  }
  dnsQuery(): AtRequest {
    return this.make(this.v17 ? 'CIPDNS_CUR' : 'CIPDNS', 'query');
  }
  dnsSet(dns: string): AtRequest {
    return this.make(this.v17 ? 'CIPDNS_CUR' : 'CIPDNS', 'set', [1, dns]);
  }
}

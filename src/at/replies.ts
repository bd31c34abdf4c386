/**
 * What the driver makes of the replies it asks for: each read with the command's reply
 * declaration (firmware-protocol/at, `readReply`) for the module's profile, then turned into the
 * back end's vocabulary. No pattern matching here: the declarations know every firmware's lines.
 */
import { readReply, type ReplyText } from '../../firmware-protocol/at/grammar/replies.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import { ecnToSecurity } from '../../firmware-protocol/at/security.js';
import type { AccessPoint } from '../backend.js';

/** CIPSTART's `ALREADY CONNECTED` (the id was in use: a server client took it first). */
export function alreadyConnected(profile: FirmwareProfile, reply: ReplyText): boolean {
  return readReply(profile, 'CIPSTART', reply).already !== undefined;
}

/** AT+SYSTIMESTAMP?'s seconds, or undefined. */
export function timestampOf(profile: FirmwareProfile, reply: ReplyText): number | undefined {
  return readReply(profile, 'SYSTIMESTAMP', reply).time?.timestamp;
}

/** AT+PING's `+PING:<ms>` (a number) or `+PING:TIMEOUT` (null); undefined when the reply has neither. */
export function pingResult(profile: FirmwareProfile, reply: ReplyText): number | null | undefined {
  const value = readReply(profile, 'PING', reply).result?.result;
  if (value === undefined) return undefined;
  // 2.x `+PING:TIMEOUT`, NonOS 1.7 `+timeout`.
  return value === 'TIMEOUT' || value === 'timeout' ? null : Number(value);
}

/** The word the firmware prints before ERROR when the station has no IP (NonOS `no ip`); never on 2.x. */
export function saysNoIp(profile: FirmwareProfile, reply: ReplyText): boolean {
  const word = profile.errorWords.noIp;
  return word !== null && reply.lines.includes(word);
}

/** AT+GMR's plain lines (`AT version:2.4.0.0(...)`, `SDK version:...`), for detectProfile. */
export function versionLines(profile: FirmwareProfile, reply: ReplyText): string[] {
  return readReply(profile, 'GMR', reply).version;
}

/** `+CIPDOMAIN:"1.2.3.4"` (2.x) or `+CIPDOMAIN:1.2.3.4` (1.7). */
export function domainAddress(profile: FirmwareProfile, reply: ReplyText): string | null {
  return readReply(profile, 'CIPDOMAIN', reply).address?.ip ?? null;
}

/** `+CIPRECVLEN:100,,0,-1,` → bytes buffered per link id (empty and -1 read as 0). */
export function recvLengths(profile: FirmwareProfile, reply: ReplyText): number[] {
  const lengths = readReply(profile, 'CIPRECVLEN', reply).lengths?.lengths ?? [];
  return lengths.map((length) => (length !== undefined && length > 0 ? length : 0));
}

export interface LinkStateLine {
  readonly link: number;
  readonly type: string;
  readonly ip: string;
  readonly remotePort: number;
  readonly localPort: number;
  readonly server: boolean;
}

/** `+CIPSTATE:<id>,"TCP","<ip>",<rport>,<lport>,<tetype>` (2.x) / `+CIPSTATUS:...` (both). */
export function linkStates(profile: FirmwareProfile, reply: ReplyText): LinkStateLine[] {
  const lines = [...readReply(profile, 'CIPSTATE', reply).link, ...readReply(profile, 'CIPSTATUS', reply).link];
  return lines.map((line) => ({
    link: line.link_id,
    type: line.type,
    ip: line.remote_ip,
    remotePort: line.remote_port,
    localPort: line.local_port,
    server: line.tetype === 1,
  }));
}

/** `+CWLAP:(3,"ssid",-45,"aa:bb:cc:dd:ee:ff",6,...)`: the SSID may hold commas and quotes (read around it). */
export function accessPoints(profile: FirmwareProfile, reply: ReplyText): AccessPoint[] {
  return readReply(profile, 'CWLAP', reply).ap.map((ap) => ({
    security: ecnToSecurity(ap.ecn),
    ssid: ap.ssid,
    rssi: ap.rssi,
    bssid: ap.mac.toLowerCase(),
    channel: ap.channel,
    hidden: ap.ssid === '',
  }));
}

/** `+CIPSTA:ip:"192.168.4.2"` lines (1.7: `+CIPSTA_CUR:ip:...`) → { ip, gateway, netmask }. */
export function stationAddresses(profile: FirmwareProfile, reply: ReplyText): { ip?: string; gateway?: string; netmask?: string } {
  return readReply(profile, 'CIPSTA', reply).address ?? {};
}

/** `+CIFSR:STAIP,"192.168.4.2"` → the station IP ("0.0.0.0" when none). */
export function cifsrStationIp(profile: FirmwareProfile, reply: ReplyText): string | null {
  return readReply(profile, 'CIFSR', reply).addresses?.STAIP ?? null;
}

/** The first DNS server of an AT+CIPDNS? reply (2.x one line with all, NonOS a line each). */
export function firstDnsServer(profile: FirmwareProfile, reply: ReplyText): string | null {
  const reading = readReply(profile, 'CIPDNS', reply);
  return reading.dns?.servers[0] ?? reading.server[0]?.server ?? null;
}

/** `+CWJAP:<code>` of a failed join: 1 timeout, 2 wrong password, 3 no AP, 4 failed. */
export function joinFailureCode(profile: FirmwareProfile, reply: ReplyText): number | null {
  return readReply(profile, 'CWJAP', reply).failure?.code ?? null;
}

/** `+CWMODE:1` (1.7: `+CWMODE_CUR:1`). */
export function wifiMode(profile: FirmwareProfile, reply: ReplyText): number | null {
  return readReply(profile, 'CWMODE', reply).mode?.mode ?? null;
}

/** `+CIPMUX:1`. */
export function multiLink(profile: FirmwareProfile, reply: ReplyText): boolean {
  return readReply(profile, 'CIPMUX', reply).mode?.mode === 1;
}

/** `NO CA FOUND`, `NO CERT FOUND`, `NO PRVT_KEY FOUND` before a refused AT+CIPSSLCCONF. */
export function missingCertificate(profile: FirmwareProfile, reply: ReplyText): string | null {
  return readReply(profile, 'CIPSSLCCONF', reply).missing ?? null;
}

/** `+CIPSTAMAC:"24:0a:c4:c0:90:01"` (1.7: `+CIPSTAMAC_CUR:`), lower case. */
export function stationMac(profile: FirmwareProfile, reply: ReplyText): string | null {
  return readReply(profile, 'CIPSTAMAC', reply).mac?.mac.toLowerCase() ?? null;
}

/** `+CIPSTAMAC:...`'s fallback on a firmware without it: `+CIFSR:STAMAC,"..."`. */
export function cifsrStationMac(profile: FirmwareProfile, reply: ReplyText): string | null {
  return readReply(profile, 'CIFSR', reply).addresses?.STAMAC?.toLowerCase() ?? null;
}

/** `+CWHOSTNAME:<name>` (unquoted). */
export function hostnameOf(profile: FirmwareProfile, reply: ReplyText): string | null {
  return readReply(profile, 'CWHOSTNAME', reply).hostname?.hostname ?? null;
}

/**
 * Meaning of the information lines the driver asks for. The codec splits the wire into events;
 * these small pure functions read the text of `+NAME:<text>` lines, accepting both ESP-AT 2.x
 * and NonOS 1.7 shapes.
 */
import type { AccessPoint } from '../backend.js';
import type { AtReply } from './at-client.js';

/** The texts of every `+name:` line of a reply. */
export function infoTexts(reply: AtReply, name: string): string[] {
  return reply.infos.filter((i) => i.name === name).map((i) => i.text);
}

export function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** `+CIPDOMAIN:"1.2.3.4"` (2.x) or `+CIPDOMAIN:1.2.3.4` (1.7). */
export function domainAddress(reply: AtReply): string | null {
  const text = infoTexts(reply, 'CIPDOMAIN')[0];
  return text === undefined ? null : unquote(text);
}

/** `+CIPRECVLEN:100,,0,-1,` → bytes buffered per link id (empty and -1 read as 0). */
export function recvLengths(reply: AtReply): number[] {
  const text = infoTexts(reply, 'CIPRECVLEN')[0];
  if (text === undefined) return [];
  return text.split(',').map((field) => {
    const n = Number.parseInt(field, 10);
    return Number.isFinite(n) && n > 0 ? n : 0;
  });
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
export function linkStates(reply: AtReply): LinkStateLine[] {
  const out: LinkStateLine[] = [];
  for (const text of [...infoTexts(reply, 'CIPSTATE'), ...infoTexts(reply, 'CIPSTATUS')]) {
    const m = /^(\d+),"([^"]*)","([^"]*)",(\d+),(\d+),(\d+)/.exec(text);
    if (m) {
      out.push({ link: Number(m[1]), type: m[2], ip: m[3], remotePort: Number(m[4]), localPort: Number(m[5]), server: m[6] === '1' });
    }
  }
  return out;
}

/** `+CWLAP:(3,"ssid",-45,"aa:bb:cc:dd:ee:ff",6,...)`: the SSID may hold commas and quotes, so match around it. */
export function accessPoints(reply: AtReply): AccessPoint[] {
  const out: AccessPoint[] = [];
  for (const text of infoTexts(reply, 'CWLAP')) {
    const m = /^\((\d+),"(.*)",(-?\d+),"([0-9A-Fa-f:]{17})",(\d+)/.exec(text);
    if (m) {
      out.push({ security: Number(m[1]), ssid: m[2], rssi: Number(m[3]), bssid: m[4].toLowerCase(), channel: Number(m[5]), hidden: m[2] === '' });
    }
  }
  return out;
}

/** `+CIPSTA:ip:"192.168.4.2"` lines (1.7: `+CIPSTA_CUR:ip:...`) → { ip, gateway, netmask }. */
export function stationAddresses(reply: AtReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const info of reply.infos) {
    if (!info.name.startsWith('CIPSTA')) continue;
    const m = /^([a-z0-9]+):(.*)$/.exec(info.text);
    if (m) out[m[1]] = unquote(m[2]);
  }
  return out;
}

/** `+CIFSR:STAIP,"192.168.4.2"` → the station IP ("0.0.0.0" when none). */
export function cifsrStationIp(reply: AtReply): string | null {
  for (const text of infoTexts(reply, 'CIFSR')) {
    const m = /^STAIP,(.*)$/.exec(text);
    if (m) return unquote(m[1]);
  }
  return null;
}

/** The first dotted IPv4 in any info line of the reply (CIPDNS answers differ by version). */
export function firstIPv4(reply: AtReply): string | null {
  for (const info of reply.infos) {
    const m = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})/.exec(info.text);
    if (m) return m[1];
  }
  return null;
}

/** `+CWJAP:<code>` of a failed join: 1 timeout, 2 wrong password, 3 no AP, 4 failed. */
export function joinFailureCode(reply: AtReply): number | null {
  for (const text of infoTexts(reply, 'CWJAP')) {
    if (/^\d+$/.test(text.trim())) return Number(text.trim());
  }
  return null;
}

/** `+CWMODE:1` (1.7: `+CWMODE_CUR:1`). */
export function wifiMode(reply: AtReply): number | null {
  const info = reply.infos.find((i) => i.name.startsWith('CWMODE'));
  return info && /^\d+/.test(info.text) ? Number.parseInt(info.text, 10) : null;
}

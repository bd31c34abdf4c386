/**
 * The world a transcript shows, read from its exchanges: the access points it saw and joined
 * (with the address the module got), the station MAC, the names it resolved, and each
 * connection it made with what the far end received and sent, in order. `copro verify` builds
 * a radio world and local peers from this, so the emulator meets the world the real module met.
 * Pure.
 */
import type { AtParam, HostEvent } from '../../firmware-protocol/at/types.js';
import type { Exchange } from './exchanges.js';

export interface PlannedAccessPoint {
  ssid: string;
  password: string;
  ecn: number | null;
  rssi: number | null;
  bssid: string | null;
  channel: number | null;
  ip: string | null;
  gateway: string | null;
  netmask: string | null;
  /** The join was refused for the password given: the AP exists, that password is not its own. */
  wrongPassword: boolean;
}

/** What the far end of one connection did, in the order the transcript shows. */
export type PeerStep =
  /** It received this many bytes (or, for UDP, one datagram of this size) from the module. */
  | { readonly kind: 'receive'; readonly length: number }
  | { readonly kind: 'send'; bytes: Uint8Array }
  /** It closed the connection (the module reported CLOSED without being asked). */
  | { readonly kind: 'close' };

export interface PlannedConnection {
  readonly type: 'TCP' | 'UDP' | 'SSL';
  /** The address the module used (a resolved name's recorded answer, or as given). */
  readonly ip: string;
  readonly port: number;
  readonly steps: PeerStep[];
}

export interface WorldPlan {
  readonly accessPoints: PlannedAccessPoint[];
  stationMac: string | null;
  /** Lower-case name → address, from AT+CIPDOMAIN answers. */
  readonly hosts: Record<string, string>;
  readonly connections: PlannedConnection[];
  /** Radio durations (ms) measured in the transcript, when its clock is real (the world's timing fields). */
  readonly timing: Partial<Record<'associateMs' | 'dhcpMs' | 'wrongPasswordMs' | 'noApMs' | 'scanMs', number>>;
}

const unquote = (text: string): string => text.replace(/^"|"$/g, '');
const stringParam = (p: AtParam | undefined): string | null => (p?.kind === 'string' ? p.value : null);
const intParam = (p: AtParam | undefined): number | null => (p?.kind === 'int' ? p.value : null);

/** Splits `a,"b,c",3` at commas outside quotes. */
export function splitFields(text: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}

function isIpv4(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text);
}

export function planWorld(exchanges: readonly Exchange[], measured: boolean): WorldPlan {
  const plan: WorldPlan = { accessPoints: [], stationMac: null, hosts: {}, connections: [], timing: {} };
  const apFor = (ssid: string): PlannedAccessPoint => {
    let ap = plan.accessPoints.find((a) => a.ssid === ssid);
    if (!ap) {
      ap = { ssid, password: '', ecn: null, rssi: null, bssid: null, channel: null, ip: null, gateway: null, netmask: null, wrongPassword: false };
      plan.accessPoints.push(ap);
    }
    return ap;
  };
  let joined: PlannedAccessPoint | null = null;
  let multiLink = false;
  const links = new Map<number, PlannedConnection>();
  const linkOf = (event: { link: number | null }): PlannedConnection | undefined => links.get(event.link ?? 0);
  const closedByHost = new Set<number>();
  // Passive receive: notices say when and how much arrived; CIPRECVDATA later shows what it was.
  const passive = new Map<PlannedConnection, PassiveState>();
  // The connection a link id last had, still known after CLOSED (its data may be read after).
  const lastOnLink = new Map<number, PlannedConnection>();

  const onInfo = (name: string, text: string, exchange: Exchange): void => {
    if (name === 'CWLAP') {
      const f = splitFields(text.replace(/^\(|\)$/g, ''));
      const ap = apFor(unquote(f[1] ?? ''));
      ap.ecn = Number(f[0]);
      ap.rssi = Number(f[2]);
      ap.bssid = unquote(f[3] ?? '') || null;
      ap.channel = Number(f[4]) || null;
    } else if ((name === 'CWJAP' || name === 'CWJAP_CUR') && exchange.command?.form === 'query') {
      const f = splitFields(text);
      const ap = apFor(unquote(f[0]));
      ap.bssid = unquote(f[1] ?? '') || ap.bssid;
      ap.channel = Number(f[2]) || ap.channel;
      ap.rssi = f[3] !== undefined ? Number(f[3]) : ap.rssi;
    } else if (name === 'CIFSR') {
      const [kind, value] = splitFields(text);
      if (kind === 'STAIP' && joined) joined.ip = unquote(value);
      if (kind === 'STAMAC') plan.stationMac = unquote(value);
    } else if ((name === 'CIPSTA' || name === 'CIPSTA_CUR') && joined) {
      const m = /^(ip|gateway|netmask):"?([^"]*)"?$/.exec(text);
      if (m) joined[m[1] as 'ip' | 'gateway' | 'netmask'] = m[2];
    } else if (name === 'CIPSTAMAC' || name === 'CIPSTAMAC_CUR') {
      plan.stationMac = unquote(text);
    } else if (name === 'CIPDOMAIN' && exchange.command) {
      const asked = stringParam(exchange.command.params[0]);
      if (asked) plan.hosts[asked.toLowerCase()] = unquote(text);
    }
  };

  for (const exchange of exchanges) {
    const command = exchange.command;
    const final = exchange.answers.find((a) => a.event.type === 'final')?.event;
    const ok = final?.type === 'final' && final.result === 'OK';
    if (measured && command?.name === 'CWLAP' && exchange.endT !== null) plan.timing.scanMs = exchange.endT - exchange.startT;
    if (command && command.form === 'set') {
      const p = command.params;
      if (command.name === 'CIPMUX') multiLink = intParam(p[0]) === 1;
      if (command.name.startsWith('CWJAP')) {
        const ap = apFor(stringParam(p[0]) ?? '');
        const code = exchange.answers.find((a) => a.event.type === 'info' && a.event.name.startsWith('CWJAP'))?.event;
        if (ok) {
          ap.password = stringParam(p[1]) ?? '';
          joined = ap;
          const connected = exchange.answers.find((a) => a.event.type === 'urc' && a.event.urc.kind === 'wifi-connected');
          const gotIp = exchange.answers.find((a) => a.event.type === 'urc' && a.event.urc.kind === 'wifi-got-ip');
          if (measured && connected) plan.timing.associateMs = connected.t - exchange.startT;
          if (measured && connected && gotIp) plan.timing.dhcpMs = gotIp.t - connected.t;
        } else if (code?.type === 'info' && code.text.trim() === '2') {
          ap.wrongPassword = true;
          if (measured && exchange.endT !== null) plan.timing.wrongPasswordMs = exchange.endT - exchange.startT;
        } else if (code?.type === 'info' && code.text.trim() === '3') {
          plan.accessPoints.splice(plan.accessPoints.indexOf(ap), 1);
          if (measured && exchange.endT !== null) plan.timing.noApMs = exchange.endT - exchange.startT;
        }
      }
      if (command.name === 'CIPSTART' && ok) {
        const offset = multiLink ? 1 : 0;
        const id = multiLink ? (intParam(p[0]) ?? 0) : 0;
        const type = (stringParam(p[offset]) ?? 'TCP').toUpperCase();
        const host = stringParam(p[offset + 1]) ?? '';
        const port = intParam(p[offset + 2]) ?? 0;
        const ip = isIpv4(host) ? host : (plan.hosts[host.toLowerCase()] ?? host);
        if (type === 'TCP' || type === 'UDP' || type === 'SSL') {
          const connection: PlannedConnection = { type, ip, port, steps: [] };
          plan.connections.push(connection);
          links.set(id, connection);
          lastOnLink.set(id, connection);
          closedByHost.delete(id);
        }
      }
      if (command.name === 'CIPSEND' || command.name === 'CIPSENDEX') {
        const id = multiLink ? (intParam(p[0]) ?? 0) : 0;
        const connection = links.get(id);
        for (const payload of exchange.payloads) connection?.steps.push({ kind: 'receive', length: payload.bytes.length });
      }
      if (command.name === 'CIPCLOSE') closedByHost.add(multiLink ? (intParam(p[0]) ?? 0) : 0);
    }
    if (command?.name === 'CIPCLOSE' && command.form === 'exec') closedByHost.add(0);
    for (const { event } of [...exchange.answers, ...exchange.later]) {
      if (event.type === 'info') onInfo(event.name, event.text, exchange);
      recordReceived(event, exchange, { linkOf, passive, links, lastOnLink, closedByHost });
    }
  }
  for (const [connection, state] of passive) {
    let offset = 0;
    for (const { step, length } of state.notices) {
      step.bytes = state.data.subarray(offset, offset + length);
      offset += length;
    }
    // Read but never announced (the notice came after the recording ended): sent last.
    if (offset < state.data.length) connection.steps.push({ kind: 'send', bytes: state.data.subarray(offset) });
  }
  return plan;
}

interface PassiveState {
  readonly notices: Array<{ readonly step: { kind: 'send'; bytes: Uint8Array }; readonly length: number }>;
  data: Buffer;
}

interface LinkState {
  readonly linkOf: (e: { link: number | null }) => PlannedConnection | undefined;
  readonly passive: Map<PlannedConnection, PassiveState>;
  readonly links: Map<number, PlannedConnection>;
  readonly lastOnLink: Map<number, PlannedConnection>;
  readonly closedByHost: Set<number>;
}

function recordReceived(event: HostEvent, exchange: Exchange, state: LinkState): void {
  if (event.type === 'ipd') {
    state.linkOf(event)?.steps.push({ kind: 'send', bytes: event.data });
  } else if (event.type === 'urc' && event.urc.kind === 'ipd-notice') {
    const connection = state.linkOf(event.urc);
    if (!connection) return;
    const passive = state.passive.get(connection) ?? { notices: [], data: Buffer.alloc(0) };
    state.passive.set(connection, passive);
    // The send goes where the notice was; its bytes are filled in from CIPRECVDATA at the end.
    const step: { kind: 'send'; bytes: Uint8Array } = { kind: 'send', bytes: new Uint8Array(0) };
    connection.steps.push(step);
    passive.notices.push({ step, length: event.urc.length });
  } else if (event.type === 'recv-data' && exchange.command) {
    const params = exchange.command.params;
    const connection = state.lastOnLink.get(params.length > 1 ? (intParam(params[0]) ?? 0) : 0);
    const passive = connection ? state.passive.get(connection) : undefined;
    if (passive) passive.data = Buffer.concat([passive.data, event.data]);
  } else if (event.type === 'urc' && event.urc.kind === 'closed') {
    const id = event.urc.link ?? 0;
    const connection = state.links.get(id);
    if (connection && !state.closedByHost.has(id)) connection.steps.push({ kind: 'close' });
    state.links.delete(id);
  }
}

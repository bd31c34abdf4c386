/**
 * `copro verify`: the host side of a transcript played against a fresh in-process emulator in a
 * world built from the transcript (world-plan.ts: its access points, addresses, names and the
 * far ends of its connections, stood up on loopback), then every exchange compared
 * (compare.ts). Each host chunk goes out once the emulator has given as many final results and
 * prompts as the module had by then (bounded wait), and, for a measured transcript, no sooner
 * after the previous host chunk than recorded, so timing-sensitive input (`+++`) keeps its gaps.
 */
import { ecnToSecurity } from '../../firmware-protocol/at/security.js';
import { startEmulator } from '../../emulator/emulator.js';
import { DEFAULT_WORLD } from '../../emulator/world-config.js';
import type { AccessPoint, WorldConfig } from '../../emulator/world-config.js';
import { StackError } from '../../emulator/network/types.js';
import { DEFAULT_PROFILE, PROFILES, isProfileId } from '../../firmware-protocol/at/profiles/index.js';
import type { FirmwareProfile, ProfileId } from '../../firmware-protocol/at/profile.js';
import { AtDialogueDecoder } from '../transcript/at-dialogue.js';
import type { DialogueEvent } from '../transcript/dialogue.js';
import { compareExchanges } from '../transcript/compare.js';
import type { Difference } from '../transcript/compare.js';
import { splitExchanges } from '../transcript/exchanges.js';
import type { TimedBytes } from '../transcript/exchanges.js';
import { firmwareOf } from '../transcript/reader.js';
import type { Transcript } from '../transcript/reader.js';
import { planWorld } from '../transcript/world-plan.js';
import type { PlannedAccessPoint, PlannedConnection, WorldPlan } from '../transcript/world-plan.js';
import { RedirectingStack, Routes } from './redirect-stack.js';
import type { RouteKind } from './redirect-stack.js';
import { standUpTcp, standUpUdp } from './peers.js';
import type { StandIn } from './peers.js';

export interface VerifyOptions {
  /** The profile to emulate; default the one the transcript's firmware looks like, else ESP-AT 2.x. */
  readonly profile?: ProfileId;
  /** Longest wait for the emulator to catch up before the next host chunk (ms). Default 10 s. */
  readonly catchUpMs?: number;
}

export interface VerifyResult {
  readonly profile: FirmwareProfile;
  readonly differences: readonly Difference[];
  /** What verify could not rebuild of the world (the differences it causes are expected). */
  readonly notes: readonly string[];
  readonly exchanges: number;
}

/** Where names the transcript never resolved are placed (TEST-NET-3, RFC 5737: never routed). */
const STAND_IN_NET = '203.0.113.';
/** Unsaid passwords of APs that refused the one tried. */
const UNKNOWN_KEY = 'verify-unknown-key';
/** After the last host chunk, how long late events (URCs, data) are awaited at most (ms). */
const SETTLE_MS = 300;

function pickProfile(transcript: Transcript, wanted: ProfileId | undefined): ProfileId {
  if (wanted) return wanted;
  const seen = firmwareOf(transcript)?.profile;
  return seen && isProfileId(seen) ? seen : DEFAULT_PROFILE.id;
}

function accessPoint(ap: PlannedAccessPoint, index: number): AccessPoint {
  const base = DEFAULT_WORLD.accessPoints[0];
  const password = ap.password !== '' ? ap.password : ap.wrongPassword ? UNKNOWN_KEY : '';
  return {
    ssid: ap.ssid,
    password,
    // The transcript shows ESP-AT's <ecn>; the world speaks the neutral kind.
    security: (ap.ecn === null ? null : ecnToSecurity(ap.ecn)) ?? (password === '' ? 'open' : 'wpa2-psk'),
    rssi: ap.rssi ?? base.rssi,
    channel: ap.channel ?? base.channel,
    bssid: ap.bssid ?? `ca:d7:19:d8:a6:${(0x44 + index).toString(16).padStart(2, '0')}`,
    ip: ap.ip ?? base.ip,
    gateway: ap.gateway ?? base.gateway,
    netmask: ap.netmask ?? base.netmask,
  };
}

export function worldFor(plan: WorldPlan, measured: boolean): WorldConfig {
  const timing = measured
    ? { ...DEFAULT_WORLD.timing, ...plan.timing, scale: 1 }
    : { ...DEFAULT_WORLD.timing, scale: 0.01 };
  return {
    ...DEFAULT_WORLD,
    accessPoints: plan.accessPoints.map(accessPoint),
    hosts: { ...plan.hosts },
    station: { mac: plan.stationMac ?? DEFAULT_WORLD.station.mac },
    timing,
  };
}

/** Gives names the transcript never resolved an address of their own, so their links can be routed. */
function placeNames(plan: WorldPlan): void {
  let next = 1;
  for (const connection of plan.connections) {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(connection.ip)) continue;
    const name = connection.ip.toLowerCase();
    plan.hosts[name] ??= `${STAND_IN_NET}${next++}`;
    (connection as { ip: string }).ip = plan.hosts[name];
  }
}

async function standUp(plan: WorldPlan, routes: Routes, notes: string[]): Promise<StandIn[]> {
  const byDestination = new Map<string, PlannedConnection[]>();
  for (const connection of plan.connections) {
    const key = `${connection.type} ${connection.ip}:${connection.port}`;
    byDestination.set(key, [...(byDestination.get(key) ?? []), connection]);
  }
  const standIns: StandIn[] = [];
  for (const connections of byDestination.values()) {
    const { type, ip, port } = connections[0];
    if (type === 'SSL') {
      notes.push(`SSL ${ip}:${port}: TLS peers are not rebuilt (their certificates are not in the transcript); copro's connect fails there`);
      continue;
    }
    const standIn = type === 'TCP' ? await standUpTcp(connections) : await standUpUdp(connections);
    routes.add(type as RouteKind, { ip, port }, standIn.local);
    standIns.push(standIn);
  }
  return standIns;
}

/** Final results and prompts the module had sent before each host chunk of the recording, and in all. */
function answersBefore(items: readonly TimedBytes[], profile: FirmwareProfile): { before: number[]; total: number } {
  const decoder = new AtDialogueDecoder(profile);
  let count = 0;
  const before: number[] = [];
  for (const item of items) {
    if (item.side === 'host') {
      before.push(count);
      decoder.host(item.bytes);
      continue;
    }
    count += decoder.module(item.bytes).filter(isAnswerEnd).length;
  }
  return { before, total: count };
}

function isAnswerEnd(event: DialogueEvent): boolean {
  return event.kind === 'reply' && !event.echo && (event.event.type === 'final' || event.event.type === 'prompt');
}

export async function verifyTranscript(transcript: Transcript, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (transcript.header.protocol !== 'at') throw new Error('copro verify compares ESP-AT dialogues; this transcript is NINA');
  const profileId = pickProfile(transcript, options.profile);
  const profile = PROFILES[profileId];
  const measured = transcript.header.clock === 'measured';
  const recordedItems: TimedBytes[] = transcript.records.flatMap((r) => (r.kind === 'data' ? [{ side: r.from, bytes: r.bytes, t: r.t }] : []));
  const recorded = splitExchanges(recordedItems, profile);
  const plan = planWorld(recorded, measured);
  placeNames(plan);
  const notes: string[] = [];
  const routes = new Routes();
  const standIns = await standUp(plan, routes, notes);
  const world = worldFor(plan, measured);
  const emulator = await startEmulator({
    world,
    profile: profileId,
    network: { lookup: async (name) => Promise.reject(new StackError('dns', `verify: ${name} is not resolved in the transcript`)) },
    stackDecorator: (stack) => new RedirectingStack(stack, routes),
  });
  try {
    const host = emulator.host!;
    const live: TimedBytes[] = [];
    const start = performance.now();
    const now = (): number => performance.now() - start;
    const liveDecoder = new AtDialogueDecoder(profile);
    let liveAnswers = 0;
    let booted = false;
    let wake: (() => void) | null = null;
    host.onData((bytes) => {
      live.push({ side: 'module', bytes, t: now() });
      const events = liveDecoder.module(bytes);
      liveAnswers += events.filter(isAnswerEnd).length;
      booted ||= events.some((e) => e.kind === 'reply' && e.event.type === 'urc' && e.event.urc.kind === 'ready');
      wake?.();
    });
    await emulator.ready;
    const bootDeadline = now() + 2000;
    while (!booted && now() < bootDeadline) await new Promise((resolve) => setTimeout(resolve, 5));
    live.length = 0; // the emulator's own boot is not the recording's
    const catchUp = async (count: number, limitMs: number): Promise<void> => {
      const deadline = now() + limitMs;
      while (liveAnswers < count && now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.max(1, deadline - now()));
        });
        wake = null;
      }
    };
    const hostItems = recordedItems.filter((i) => i.side === 'host');
    const needed = answersBefore(recordedItems, profile);
    let previous: { sentAt: number; t: number } | null = null;
    for (let k = 0; k < hostItems.length; k++) {
      await catchUp(needed.before[k], options.catchUpMs ?? 10_000);
      if (measured && previous) {
        const gap = previous.sentAt + (hostItems[k].t - previous.t) - now();
        if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
      }
      liveDecoder.host(hostItems[k].bytes);
      live.push({ side: 'host', bytes: hostItems[k].bytes, t: now() });
      host.write(hostItems[k].bytes);
      previous = { sentAt: now(), t: hostItems[k].t };
    }
    await catchUp(needed.total, options.catchUpMs ?? 10_000);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const actual = splitExchanges(live, profile);
    const differences = compareExchanges(recorded, actual, { profile, measured });
    return { profile, differences, notes, exchanges: recorded.length - 1 };
  } finally {
    await emulator.close();
    for (const standIn of standIns) await standIn.close();
  }
}

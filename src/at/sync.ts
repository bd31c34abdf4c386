/**
 * Bringing a module into the state the driver relies on, at open and after every reset
 * (peers.md E9, E11): AT until it answers, echo off, firmware version, station mode, multiple
 * links, passive receive, remote info on received data, long sends that report once. Leftovers of an earlier session (links,
 * a server) are closed: a new session owns nothing.
 */
import type { FirmwareProfile, ProfileId } from '../../firmware-protocol/at/profile.js';
import { DEFAULT_PROFILE, detectProfile } from '../../firmware-protocol/at/profiles.js';
import { systemClock } from '../clock.js';
import type { Clock } from '../clock.js';
import { OSError, osError } from '../errors.js';
import type { AtClient, AtReply, AtRequest } from './at-client.js';
import { AtRequests } from './requests.js';
import { hasCommand } from '../../firmware-protocol/at/command-table.js';
import { SENDL_LIMITS } from '../../firmware-protocol/at/commands/tcpip-sendl.js';
import { cifsrStationIp, multiLink, versionLines, wifiMode } from './replies.js';
import type { TraceSink } from './trace.js';
import type { HostPort } from '../host-port/types.js';
import { TRANSPARENT_TIMING, escapeTransparent } from './transparent.js';
import type { TransparentTiming } from './transparent.js';

export interface SessionFacts {
  /** What the module's AT+GMR said it is (detectProfile): its limits are the ones below. */
  readonly profile: FirmwareProfile;
  readonly profileId: ProfileId;
  /** `2.4.0.0(...)` as AT+GMR printed it. */
  readonly version: string;
  /** AT+CIPRECVMODE=1 worked. */
  readonly passive: boolean;
  /** AT+CIPDINFO=1 worked (2.x then adds the sender to +CIPRECVDATA). */
  readonly remoteInfo: boolean;
  /** Largest CIPSEND payload. */
  readonly maxSend: number;
  /** Largest CIPRECVDATA request. */
  readonly maxRecv: number;
  readonly stationIp: string | null;
}

/** Tries before declaring the module mute. */
const ATTENTION_TRIES = 5;
/** After this many unanswered probes, try `+++`: a session may have ended in transparent mode. */
const ESCAPE_AFTER = 2;

export interface SyncOptions {
  readonly trace?: TraceSink;
  /** How long each `AT` probe waits (default PROBE_TIMEOUT_MS). */
  readonly probeMs?: number;
  /** The `+++` timing, for a module left in transparent mode (default TRANSPARENT_TIMING). */
  readonly transparent?: TransparentTiming;
  /** The time base of the `+++` guard and settle time (default systemClock). */
  readonly clock?: Clock;
}

async function attention(client: AtClient, requests: AtRequests, port: HostPort, probeMs: number, options: SyncOptions): Promise<void> {
  for (let i = 0; i < ATTENTION_TRIES; i++) {
    if (i === ESCAPE_AFTER) {
      // A module in transparent mode takes our `AT` for data and never answers (an earlier session
      // with an SO_PASSTHROUGH socket that did not close it): leave that mode, then ask again.
      options.trace?.('! no answer to AT: trying +++ in case the module was left in transparent mode');
      const timing = options.transparent ?? TRANSPARENT_TIMING;
      const clock = options.clock ?? systemClock;
      await escapeTransparent(port, (bytes) => port.write(bytes), timing, clock);
      await clock.sleep(timing.settleMs);
    }
    try {
      const reply = await client.run({ ...requests.at(), timeoutMs: probeMs });
      if (reply.result === 'OK') return;
    } catch (err) {
      if (!(err instanceof OSError) || err.errno !== osError('ETIMEDOUT').errno) throw err;
    }
  }
  throw osError('ETIMEDOUT', `no answer to AT on ${port.path}: is an ESP-AT module there, at this baud rate?`);
}

/** How long each `AT` probe waits by default. */
export const PROBE_TIMEOUT_MS = 1000;

export async function synchronise(client: AtClient, port: HostPort, options: SyncOptions = {}): Promise<SessionFacts> {
  const { trace } = options;
  let requests = new AtRequests(DEFAULT_PROFILE);
  const run = (request: AtRequest): Promise<AtReply> => client.run(request);
  await attention(client, requests, port, options.probeMs ?? PROBE_TIMEOUT_MS, options);
  await run(requests.echoOff());

  const { profile, versionText } = detectProfile(versionLines(requests.profile, await run(requests.version())));
  requests = new AtRequests(profile);
  trace?.(`! firmware ${versionText ?? 'unknown'} → ${profile.id}`);

  // Station mode on, without switching off a softAP somebody configured.
  const mode = wifiMode(profile, await run(requests.wifiModeQuery()));
  if (mode === 0) await run(requests.wifiMode(1));
  else if (mode === 2) await run(requests.wifiMode(3));

  await run(requests.serverStop());
  await run(requests.closeAll());
  const mux = await run(requests.muxQuery());
  if (!multiLink(profile, mux)) {
    let set = await run(requests.mux(true));
    if (set.result !== 'OK') {
      // A single-mode link from an earlier session blocks the switch, and so does CIPMODE=1.
      await run(requests.closeSingle());
      await run(requests.transferMode(false));
      set = await run(requests.mux(true));
    }
    if (set.result !== 'OK') throw osError('EIO', 'the module refused AT+CIPMUX=1');
  }

  const passive = (await run(requests.passiveReceive(true))).result === 'OK';
  if (!passive) trace?.('! no passive receive mode: using active +IPD with bounded buffering');
  const remoteInfo = (await run(requests.remoteInfo(true))).result === 'OK';
  // Long sends (AT+CIPSENDL) report progress every 1024 bytes by default: the driver waits for SEND
  // OK only, so one report per send at most (the largest interval), full-size blocks to the stack.
  if (hasCommand(profile, 'CIPSENDLCFG')) {
    await run(requests.sendLongConfig(SENDL_LIMITS.reportSize.max, SENDL_LIMITS.transmitSize.max));
  }
  const stationIp = cifsrStationIp(profile, await run(requests.addresses()));

  return {
    profile,
    profileId: profile.id as ProfileId,
    version: versionText ?? 'unknown',
    passive,
    remoteInfo,
    maxSend: profile.limits.maxSendLength,
    maxRecv: profile.limits.maxRecvDataLength,
    stationIp,
  };
}

/** Synchronisation attempts when the module keeps resetting meanwhile. */
const SYNC_ATTEMPTS = 3;

/**
 * synchronise(), started over when the module resets in the middle of it (its commands then
 * fail with ECONNABORTED, or `resetSince()` says a `ready` came between two of them).
 */
export async function synchroniseAfterResets(
  client: AtClient,
  port: HostPort,
  resetSince: () => boolean,
  options: SyncOptions = {},
): Promise<SessionFacts> {
  for (let attempt = 1; ; attempt++) {
    resetSince();
    try {
      const facts = await synchronise(client, port, options);
      if (!resetSince()) return facts;
    } catch (err) {
      if (attempt >= SYNC_ATTEMPTS || !(err instanceof OSError) || err.errno !== osError('ECONNABORTED').errno) throw err;
    }
  }
}

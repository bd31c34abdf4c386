/**
 * The fault side of `copro emulate`: `--fault`, `--seed`, `--name`, `--control`. The daemon always
 * has a fault injector (an empty plan costs nothing) so `copro fault` can arm faults later, and
 * opens its control channel unless `--control none`.
 */
import { unlink } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { isAlive } from '../../emulator/control/control-client.js';
import { describeEndpoint, parseControlListen } from '../../emulator/control/control-endpoint.js';
import { faultControlHandler } from '../../emulator/control/control-handler.js';
import { startControlServer, type ControlServer } from '../../emulator/control/control-server.js';
import { controlSocketPath, ensureStateDir, isDaemonName, listControlSockets } from '../../emulator/control/state-dir.js';
import { FaultInjector } from '../../emulator/faults/injector.js';
import { parseFaultSpec } from '../../emulator/faults/fault-spec.js';
import type { FaultSpec } from '../../emulator/faults/fault-spec.js';
import type { WorldConfig } from '../../emulator/world-config.js';

export interface FaultCliOptions {
  fault?: FaultSpec[];
  seed?: number;
  name?: string;
  /** Absent = the default unix socket, and a failure to open it is only a warning. */
  control?: string;
}

export const FAULT_OPTION_HELP = {
  fault: 'inject a fault, KIND[@TRIGGER][:PARAMS], e.g. reset@0.01, corrupt@1/5000:dir=out, split@0.5 (repeatable; docs/reliability.md)',
  seed: 'seed of the fault plan: the same seed gives the same faults (default: random, shown in --trace)',
  name: 'name of this daemon for `copro fault --target` (default emu-<pid>); a named daemon keeps its AT+FS files in <state dir>/fat/<name>',
  control: 'control channel: unix (default, a socket in the state directory), a socket path, [HOST:]PORT (TCP, 127.0.0.1 unless a host is given) or none',
} as const;

/** Commander collector for the repeatable --fault: parsed at once so a typo fails before anything starts. */
export function collectFault(value: string, previous: FaultSpec[] | undefined): FaultSpec[] {
  try {
    return [...(previous ?? []), parseFaultSpec(value)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 0xffffffff) throw new InvalidArgumentError('expected an integer 0..4294967295');
  return n;
}

export function parseDaemonName(value: string): string {
  if (!isDaemonName(value)) throw new InvalidArgumentError('letters, digits, _ . - (at most 64)');
  return value;
}

/** The world's plan, then the command line's (a --fault replaces the world's fault of the same kind). */
export function faultInjectorFor(opts: FaultCliOptions, world: WorldConfig): FaultInjector {
  return new FaultInjector({
    seed: opts.seed ?? world.faults?.seed,
    faults: [...(world.faults?.plan ?? []), ...(opts.fault ?? [])],
  });
}

export function daemonName(opts: FaultCliOptions): string {
  return opts.name ?? `emu-${process.pid}`;
}

/**
 * Opens the control channel; null with `--control none`. The default one (a unix socket in the
 * state directory) is a convenience: if it cannot be opened the daemon runs on and says why.
 */
export async function openFaultControl(
  opts: FaultCliOptions,
  faults: FaultInjector,
  module: { address: string; profile: string },
): Promise<ControlServer | null> {
  const name = daemonName(opts);
  const where = opts.control ?? 'unix';
  try {
    const stateDir = where === 'unix' ? await ensureStateDir() : '';
    if (where === 'unix') await removeStaleSockets(stateDir);
    const endpoint = parseControlListen(where, stateDir, name);
    if (endpoint === null) return null;
    return await startControlServer({
      endpoint,
      handler: faultControlHandler(faults, { name, address: module.address, profile: module.profile, pid: process.pid }),
    });
  } catch (error) {
    if (opts.control !== undefined) throw error;
    process.stderr.write(`copro: no control channel (${(error as Error).message}); copro fault cannot reach this daemon\n`);
    return null;
  }
}

/** Sockets of daemons that were killed (nobody answers) are removed, so the directory does not fill up. */
async function removeStaleSockets(stateDir: string): Promise<void> {
  const names = await listControlSockets(stateDir);
  await Promise.all(
    names.map(async (name) => {
      const path = controlSocketPath(stateDir, name);
      if (!(await isAlive({ kind: 'unix', path }, 500))) await unlink(path).catch(() => undefined);
    }),
  );
}

/** What the banner says about reaching the control channel. */
export function describeControl(server: ControlServer | null, opts: FaultCliOptions): string {
  if (server === null) return '';
  const endpoint = server.endpoint;
  const target = endpoint.kind === 'unix' && (opts.control ?? 'unix') === 'unix' ? daemonName(opts) : describeEndpoint(endpoint);
  return ` · faults: copro fault --target ${target} …`;
}

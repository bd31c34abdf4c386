/**
 * One emulated module on the in-process pair with a seeded fault injector, and the host driver
 * opened on it: what a soak module and the resilience tests are made of. The world is the
 * fuzzer's confined one (loopback only, names from the hosts table, no real DNS).
 */
import { FaultInjector } from '../emulator/faults/injector.js';
import type { Clock } from '../runtime/clock.js';
import type { Tracer } from '../emulator/trace.js';
import type { ProfileId } from '../firmware-protocol/at/profile.js';
import { FUZZ_WORLD } from '../fuzz/targets/emulator-bench.js';
import { AtBackend } from '../src/at/at-backend.js';
import type { TraceSink } from '../src/at/trace.js';
import { openEmulatorHostPort } from '../src/host-port/emu-port.js';
import type { EmulatorHostPort } from '../src/host-port/emu-port.js';
import type { HostPort } from '../src/host-port/types.js';
import { coprocessorOf } from '../src/open.js';
import type { Coprocessor } from '../src/open.js';

export const LAB_AP = { ssid: 'copro-lab', key: 'labpass123' } as const;

/**
 * An emulated module (faults disarmed until the caller applies them) on the in-process pair.
 * `clock`: the module's and its faults' timers (default real time; its boot is awaited here).
 */
export async function startFaultyModule(seed: number, profile?: ProfileId, trace?: Tracer, clock?: Clock): Promise<{ port: EmulatorHostPort; faults: FaultInjector }> {
  const faults = new FaultInjector({ seed });
  const port = await openEmulatorHostPort(profile ? `emu:${profile}` : 'emu:', {
    world: FUZZ_WORLD,
    faults,
    ...(trace ? { trace } : {}),
    ...(clock ? { clock } : {}),
    network: { lookup: async (name) => Promise.reject(new Error(`no real DNS here (${name})`)) },
  });
  return { port, faults };
}

export interface DriverOptions {
  readonly trace?: TraceSink;
  /**
   * Upper bound of the driver's per-command deadlines (AtBackendOptions.maxCommandMs): the module
   * is in this process and answers in milliseconds, so a CIPSEND whose payload lost a byte on the
   * line costs this instead of 20 s. Default 8 s.
   */
  readonly maxCommandMs?: number;
  /** The driver's timers (default real time). */
  readonly clock?: Clock;
}

/** The driver on `port`, as open() assembles it, with the engine options the soak needs. */
export async function openDriver(port: HostPort, options: DriverOptions = {}): Promise<Coprocessor> {
  // AtBackend.open closes the port itself when the module cannot be synchronised.
  const backend = await AtBackend.open(port, {
    trace: options.trace,
    maxCommandMs: options.maxCommandMs ?? 8000,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return coprocessorOf(port.path, backend);
}

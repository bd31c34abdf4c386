import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import { FaultInjector, type FaultInjectorOptions } from '../../emulator/faults/injector.js';
import type { Tracer } from '../../emulator/trace.js';
import type { WorldConfig } from '../../emulator/world-config.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { Cleanup, FAST_WORLD, TestHost } from '../emulator/harness.js';
import type { ManualClock } from '../helpers/manual-clock.js';

/** A tracer that keeps its lines (FAULT notes are what the tests look for). */
export class RecordingTracer implements Tracer {
  readonly notes: string[] = [];
  fromHost(): void {}
  toHost(): void {}
  note(text: string): void {
    this.notes.push(text);
  }
  faults(): string[] {
    return this.notes.filter((note) => note.startsWith('FAULT ') && !note.startsWith('FAULT plan') && !note.startsWith('FAULT armed'));
  }
}

export interface FaultBench {
  readonly emu: RunningEmulator;
  readonly host: TestHost;
  readonly faults: FaultInjector;
  readonly tracer: RecordingTracer;
}

/** A booted module with a fault injector (its `ready` consumed), on the in-process pair; on fake time given a clock. */
export async function startFaultBench(
  cleanup: Cleanup,
  options: FaultInjectorOptions & { profile?: ProfileId; world?: WorldConfig; clock?: ManualClock } = {},
): Promise<FaultBench> {
  const faults = new FaultInjector({ seed: options.seed ?? 1, faults: options.faults });
  const tracer = new RecordingTracer();
  const emu = await startEmulator({
    world: options.world ?? FAST_WORLD,
    profile: options.profile,
    trace: tracer,
    faults,
    ...(options.clock ? { clock: options.clock } : {}),
    network: { lookup: async (name) => Promise.reject(new Error(`no real DNS in tests (${name})`)) },
  });
  cleanup.add(() => emu.close());
  const host = new TestHost(emu.host!, options.clock);
  await host.expect('\r\nready\r\n');
  return { emu, host, faults, tracer };
}

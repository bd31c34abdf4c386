import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { FaultInjector } from '../../emulator/faults/injector.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { Cleanup } from '../emulator/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('faults asked of a NINA module are refused, never silently ignored', () => {
  it("refuses a world's faults section and an injector, and starts the same world without them", async () => {
    const withFaults = parseWorldConfig({ timing: { scale: 0.01 }, faults: { seed: 3, plan: ['reset@#5'] } });
    await expect(startEmulator({ protocol: 'nina', world: withFaults })).rejects.toThrow(
      'world config: faults: NINA has no fault layers yet',
    );
    const plain = parseWorldConfig({ timing: { scale: 0.01 } });
    await expect(startEmulator({ protocol: 'nina', world: plain, faults: new FaultInjector({ seed: 1 }) })).rejects.toThrow(
      'fault injection drives ESP-AT modules only: NINA has no fault layers yet',
    );
    const emu = await startEmulator({ protocol: 'nina', world: plain });
    cleanup.add(() => emu.close());
    expect(emu.faults).toBeNull();
    // The same world with faults runs an ESP-AT module with its plan armed.
    const at = await startEmulator({ world: withFaults });
    cleanup.add(() => at.close());
    expect(at.faults?.status().armed.map((fault) => fault.spec)).toEqual(['reset@#5']);
  });
});

import { MdnsRegistry } from './network/mdns-registry.js';
import { RadioAir } from './network/radio-air.js';
import type { WorldConfig } from './world-config.js';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from './emulator.js';
import type { ModuleTransport } from './transport/types.js';
import { createTracer, isTracer } from './trace.js';

/**
 * Several virtual modules in one process (`copro emulate --modules N`, a world file's `modules`):
 * one world, one radio air, so each module's softAP is seen and joined by the others and traffic on
 * a softAP's network goes from module to module (network/radio-air.ts). Each module has its own
 * MACs, UART, settings and network stack; the host reaches every module's servers as it reaches one's.
 */

/** MACs an ESP32 takes from its base MAC (station, softAP, Bluetooth, Ethernet): the next module's start after them. */
export const MACS_PER_MODULE = 4;

function macPlus(mac: string, offset: number): string {
  const value = mac.split(':').reduce((sum, part) => sum * 256 + parseInt(part, 16), 0) + offset;
  return Array.from({ length: 6 }, (_, index) => Math.floor(value / 256 ** (5 - index)) % 256)
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join(':');
}

/** Module `index`'s world (0-based): the world's station MAC for the first, MACS_PER_MODULE further on per module, or the one the world file gives it. */
export function moduleWorld(world: WorldConfig, index: number): WorldConfig {
  const given = world.modules?.[index]?.mac;
  const mac = given ?? macPlus(world.station.mac, index * MACS_PER_MODULE);
  return index === 0 && given === undefined ? world : Object.freeze({ ...world, station: Object.freeze({ mac }) });
}

/** How many modules the world asks for (1 without a `modules` section). */
export function moduleCount(world: WorldConfig): number {
  return world.modules?.length ?? 1;
}

export interface StartModulesOptions extends Omit<StartEmulatorOptions, 'transport' | 'world' | 'faults'> {
  readonly world: WorldConfig;
  /** One UART per module, in module order; absent: an in-process pair each. */
  readonly transports?: readonly ModuleTransport[];
  readonly count: number;
}

/** Starts `count` ESP-AT modules sharing one air. Closing is each module's `close()`. */
export async function startModules(options: StartModulesOptions): Promise<RunningEmulator[]> {
  const { transports, count, world, trace, ...rest } = options;
  if (!Number.isInteger(count) || count < 1) throw new Error(`module count must be a positive integer (got ${count})`);
  if (transports !== undefined && transports.length !== count) throw new Error(`${count} modules need ${count} transports`);
  const air = new RadioAir();
  // One world: each module resolves the others' AT+MDNS names.
  const mdns = rest.network?.mdns ?? new MdnsRegistry();
  const modules: RunningEmulator[] = [];
  try {
    for (let index = 0; index < count; index++) {
      modules.push(
        await startEmulator({
          ...rest,
          // One trace stream for all: each module's lines say which module (`module 2`).
          ...(trace === undefined ? {} : { trace: isTracer(trace) ? trace : createTracer(trace, { label: `module ${index + 1}` }) }),
          protocol: 'at',
          world: moduleWorld(world, index),
          ...(transports ? { transport: transports[index] } : {}),
          network: { ...rest.network, air, mdns },
        }),
      );
    }
  } catch (error) {
    await Promise.all(modules.map((module) => module.close()));
    throw error;
  }
  return modules;
}

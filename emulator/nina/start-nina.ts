import type { Clock } from '../../runtime/clock.js';
import type { VirtualNetworkStack } from '../network/network-stack.js';
import type { NetworkStack } from '../network/types.js';
import type { WorldConfig } from '../world-config.js';
import type { HostLink, TransportPair } from '../transport/pair-transport.js';
import type { ModuleTransport } from '../transport/types.js';
import type { Tracer } from '../trace.js';
import { NinaModule } from './nina-module.js';

export interface RunningNinaEmulator {
  readonly protocol: 'nina';
  readonly module: NinaModule;
  readonly transport: ModuleTransport;
  /** The host end when startEmulator created the in-process pair; null with a caller's transport. */
  readonly host: HostLink | null;
  readonly stack: VirtualNetworkStack;
  readonly world: WorldConfig;
  /** Fault injection drives AT modules only so far: always null here. */
  readonly faults: null;
  /** Resolves at once: a NINA module has no boot banner. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface NinaEmulatorParts {
  readonly transport: ModuleTransport;
  readonly pair: TransportPair | null;
  readonly tracer: Tracer;
  readonly world: WorldConfig;
  /** The stack itself (disposed on close). */
  readonly stack: VirtualNetworkStack;
  /** What the module talks to: the stack, possibly behind the world's outbound guard. */
  readonly moduleStack: NetworkStack;
  /** The chip's clock (SNTP's timers). */
  readonly clock: Clock;
}

/**
 * Fault injection has layers for ESP-AT modules only. A plan asked of a NINA module (a world file's
 * `faults` section, an injector) would silently do nothing, so it is refused until NINA has layers.
 * `source` names where the world came from (the file), for the message.
 */
export function refuseNinaFaults(world: WorldConfig, hasInjector: boolean, source = 'world config'): void {
  if (hasInjector) throw new Error('fault injection drives ESP-AT modules only: NINA has no fault layers yet');
  if (world.faults) {
    throw new Error(`${source}: faults: NINA has no fault layers yet, so this plan cannot apply (remove the section, or emulate ESP-AT)`);
  }
}

/** startEmulator({ protocol: 'nina' }): the NINA front end on the same stack, transport and trace. */
export function startNinaEmulator(parts: NinaEmulatorParts): RunningNinaEmulator {
  const { transport, pair, tracer, world, stack } = parts;
  const module = new NinaModule({ transport, stack: parts.moduleStack, world, tracer, clock: parts.clock });
  tracer.note(`NINA (nina-fw ${module.core.firmwareVersion}, ESP32) on ${transport.address}`);
  const ready = module.start();
  let closing: Promise<void> | null = null;
  return {
    protocol: 'nina',
    module,
    transport,
    host: pair?.host ?? null,
    stack,
    world,
    faults: null,
    ready,
    close() {
      closing ??= (async () => {
        await module.close();
        await stack.dispose();
        if (pair) await pair.module.close();
        tracer.note('emulator closed');
      })();
      return closing;
    },
  };
}

import type { Clock } from '../../runtime/clock.js';
import { closeOnce } from '../close-once.js';
import type { FaultInjector } from '../faults/injector.js';
import { NinaModuleFaults } from '../faults/nina-module-faults.js';
import type { VirtualNetworkStack } from '../network/network-stack.js';
import type { NetworkStack } from '../network/types.js';
import type { WorldConfig } from '../world-config.js';
import type { HostLink, TransportPair } from '../transport/pair-transport.js';
import type { ModuleTransport } from '../transport/types.js';
import type { Tracer } from '../trace.js';
import { NINA_HANDLERS } from './handler-registry.js';
import { NinaModule } from './nina-module.js';

export interface RunningNinaEmulator {
  readonly protocol: 'nina';
  readonly module: NinaModule;
  readonly transport: ModuleTransport;
  /** The host end when startEmulator created the in-process pair; null with a caller's transport. */
  readonly host: HostLink | null;
  readonly stack: VirtualNetworkStack;
  readonly world: WorldConfig;
  /** The module's fault injector (what `copro fault` talks to), or null when it runs without. */
  readonly faults: FaultInjector | null;
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
  /** The chip's clock (SNTP's timers, the reboot after an injected reset). */
  readonly clock: Clock;
  /** Fault layers around the module (docs/reliability.md, NINA), or null. */
  readonly faults: FaultInjector | null;
  /** The clock of the fault plan's triggers, delays and stalls (startEmulator's `clock`, else real time that keeps no process alive). */
  readonly faultClock: Clock;
}

/** startEmulator({ protocol: 'nina' }): the NINA front end on the same stack, transport and trace. */
export function startNinaEmulator(parts: NinaEmulatorParts): RunningNinaEmulator {
  const { pair, tracer, world, stack, faults } = parts;
  // The NINA module layer is this front end's (nina-module-faults.ts); serial and network layers are everyone's.
  const wrapped = faults
    ? faults.wrapModule({ transport: parts.transport, stack: parts.moduleStack, handlers: NINA_HANDLERS }, parts.faultClock, NinaModuleFaults.layer)
    : null;
  const transport = parts.transport;
  const module = new NinaModule({
    transport: wrapped?.transport ?? transport,
    stack: wrapped?.stack ?? parts.moduleStack,
    handlers: wrapped?.handlers ?? NINA_HANDLERS,
    world,
    tracer,
    clock: parts.clock,
  });
  wrapped?.attach(module);
  tracer.note(`NINA (nina-fw ${module.core.firmwareVersion}, ESP32) on ${transport.address}`);
  const ready = module.start();
  return {
    protocol: 'nina',
    module,
    transport,
    host: pair?.host ?? null,
    stack,
    world,
    faults,
    ready,
    close: closeOnce({ faults, module, stack, pair, tracer }),
  };
}

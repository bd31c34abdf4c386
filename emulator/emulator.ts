import type { Writable } from 'node:stream';
import { closeOnce } from './close-once.js';
import { keepAliveClock, systemClock, type Clock } from '../runtime/clock.js';
import type { FirmwareProfile, ProfileId } from '../firmware-protocol/at/profile.js';
import { DEFAULT_PROFILE, PROFILES } from '../firmware-protocol/at/profiles.js';
import { AtModule } from './at/at-module.js';
import { DirectoryFat, MemoryFat, type ModuleFat } from './storage/module-fat.js';
import { AT_HANDLERS } from './at/handler-registry.js';
import { FaultInjector } from './faults/injector.js';
import type { NetworkStack } from './network/types.js';
import { DnsGuardedStack, OutboundGuard } from './security/outbound-policy.js';
import { createNetworkStack, type NetworkStackOptions, type VirtualNetworkStack } from './network/network-stack.js';
import { DEFAULT_WORLD, type WorldConfig } from './world-config.js';
import { createTransportPair, type HostLink } from './transport/pair-transport.js';
import type { ModuleTransport } from './transport/types.js';
import { NULL_TRACER, createTracer, isTracer, type Tracer } from './trace.js';
import type { FlashStore } from './at/flash-store.js';
import { startNinaEmulator, type RunningNinaEmulator } from './nina/start-nina.js';

export interface StartEmulatorOptions {
  /** The module's UART. Absent: an in-process pair is created and its host side exposed as `host`. */
  readonly transport?: ModuleTransport;
  /** The radio world (access points, hosts, timing). Default DEFAULT_WORLD. */
  readonly world?: WorldConfig;
  /** Firmware to emulate. Default ESP-AT 2.x on ESP32. */
  readonly profile?: ProfileId;
  /** Dialogue log: a stream (lines are written to it) or a ready-made Tracer. */
  readonly trace?: Writable | Tracer;
  /** Network stack options (a fake resolver, an outbound policy). */
  readonly network?: NetworkStackOptions;
  /**
   * Fault injection (docs/reliability.md). Absent: one is made from the world's `faults` section
   * when it has one, else the module runs without fault layers. Each front end supplies its module
   * layer (ESP-AT: faults/module-faults.ts; NINA: faults/nina-module-faults.ts); a kind the front end
   * cannot apply (busy-p/busy-s on NINA) makes startEmulator throw a FaultSpecError.
   */
  readonly faults?: FaultInjector;
  /**
   * Wraps the module's network stack (ESP-AT only): `copro verify` routes the destinations a
   * transcript shows to local stand-ins with it. Applied under the fault layers.
   */
  readonly stackDecorator?: (stack: NetworkStack) => NetworkStack;
  /**
   * The time of every protocol timer: boot, join and scan durations, the `+++` guard and the
   * passthrough packing time, AT+CIPSTO, fault triggers, delays and stalls, trace timestamps.
   * Default real time; tests of logic pass a manual clock and run on fake time. On real time the
   * module's own timers keep the process alive (`keepAliveClock`: a script awaiting `ready` or a join
   * must not exit first) and the fault plan's do not (`systemClock`: an armed `reset@10s*` recurs for
   * ever and must not hold a finished script open). Line pacing and socket deadlines stay on real
   * time: they are about the wire and the kernel.
   */
  readonly clock?: Clock;
  /**
   * Where the module's user partitions (AT+SYSFLASH) are kept: `copro emulate` passes a store in
   * its state directory (emulator/storage/flash-files.ts). Default: in memory, for the process.
   */
  readonly flash?: FlashStore;
  /**
   * Where AT+FS keeps the module's files: a folder of its own (created 0700; `copro emulate` uses
   * one under its state directory). Absent: in memory for the emulator's life.
   */
  readonly fileSystemDir?: string;
}

/**
 * The coprocessor protocol, given as `startEmulator({ ...options, protocol })`: 'at' (default) emulates
 * ESP-AT per `profile`; 'nina' emulates nina-fw's SPI command set framed on the byte stream
 * (docs/spi.md), on the same network stack, world and trace.
 */
export type EmulatorProtocol = 'at' | 'nina';

/** The FAT partition of a module whose firmware has one: in `dir`, else in memory. */
function moduleFat(profile: FirmwareProfile, dir: string | undefined): ModuleFat | null {
  const model = profile.fileSystem;
  if (model === undefined) return null;
  return dir === undefined ? new MemoryFat(model.partitionBytes) : new DirectoryFat(dir, model.partitionBytes);
}

export interface RunningEmulator {
  readonly module: AtModule;
  readonly transport: ModuleTransport;
  /** The host end when startEmulator created the in-process pair; null with a caller's transport. */
  readonly host: HostLink | null;
  readonly stack: VirtualNetworkStack;
  readonly world: WorldConfig;
  readonly profile: FirmwareProfile;
  /** The module's fault injector (what `copro fault` talks to), or null when it runs without. */
  readonly faults: FaultInjector | null;
  /** Resolves once the first `\r\nready\r\n` has been sent. */
  readonly ready: Promise<void>;
  /**
   * Stops the module: every link, server and timer. A transport the emulator created (the pair)
   * is closed too; a caller's transport stays the caller's to close.
   */
  close(): Promise<void>;
}

function tracerOf(trace: StartEmulatorOptions['trace'], clock: Clock): Tracer {
  if (trace === undefined) return NULL_TRACER;
  return isTracer(trace) ? trace : createTracer(trace, { now: () => clock.now() });
}

/**
 * Starts one emulated module in this process. It boots at once: `\r\nready\r\n` follows after
 * the boot time (scaled by the world's timing), so a host attached right after this resolves
 * sees it.
 */
export async function startEmulator(options: StartEmulatorOptions & { readonly protocol: 'nina' }): Promise<RunningNinaEmulator>;
export async function startEmulator(options?: StartEmulatorOptions & { readonly protocol?: 'at' }): Promise<RunningEmulator>;
export async function startEmulator(
  options: StartEmulatorOptions & { readonly protocol?: EmulatorProtocol },
): Promise<RunningEmulator | RunningNinaEmulator>;
export async function startEmulator(
  options: StartEmulatorOptions & { readonly protocol?: EmulatorProtocol } = {},
): Promise<RunningEmulator | RunningNinaEmulator> {
  const profile = PROFILES[options.profile ?? DEFAULT_PROFILE.id];
  if (!profile) throw new Error(`unknown firmware profile ${String(options.profile)}`);
  const world = options.world ?? DEFAULT_WORLD;
  const pair = options.transport ? null : createTransportPair();
  const transport = options.transport ?? pair!.module;
  const clock = options.clock ?? keepAliveClock;
  const tracer = tracerOf(options.trace, clock);
  // The world's `outbound` rules: destinations through the stack's policy seam, DNS answers around it.
  const guard = world.outbound ? new OutboundGuard(world.outbound, (text) => tracer.note(text)) : null;
  const stack = createNetworkStack(world, { clock, ...(guard ? { policy: guard.policy } : {}), ...options.network });
  const faults = options.faults ?? (world.faults ? new FaultInjector({ seed: world.faults.seed, faults: world.faults.plan }) : null);
  if (options.protocol === 'nina') {
    const moduleStack = (guard ? new DnsGuardedStack(stack, guard) : stack) as NetworkStack;
    try {
      return startNinaEmulator({ transport, pair, tracer, world, stack, moduleStack, clock, faults, faultClock: options.clock ?? systemClock });
    } catch (error) {
      // A fault NINA cannot apply (FaultSpecError): nothing started is left behind.
      await stack.dispose();
      if (pair) await pair.module.close();
      throw error;
    }
  }
  const guarded = (guard ? new DnsGuardedStack(stack, guard) : stack) as NetworkStack;
  const base = { transport, stack: options.stackDecorator ? options.stackDecorator(guarded) : guarded, handlers: AT_HANDLERS };
  const parts = faults ? faults.wrap(base, options.clock ?? systemClock) : base;
  const fat = moduleFat(profile, options.fileSystemDir);
  const module = new AtModule({
    ...parts,
    world,
    profile,
    tracer,
    clock,
    ...(options.flash ? { flash: options.flash } : {}),
    ...(fat ? { fat } : {}),
  });
  faults?.attach(module);
  tracer.note(`${profile.title} on ${transport.address}`);
  const ready = module.start();
  return {
    module,
    transport,
    host: pair?.host ?? null,
    stack,
    world,
    profile,
    faults,
    ready,
    close: closeOnce({ faults, module, stack, pair, tracer }),
  };
}

import type { Writable } from 'node:stream';
import type { FirmwareProfile, ProfileId } from '../firmware-protocol/at/profile.js';
import { DEFAULT_PROFILE, PROFILES } from '../firmware-protocol/at/profiles.js';
import { AtModule } from './at/at-module.js';
import { createNetworkStack, type NetworkStackOptions, type VirtualNetworkStack } from './network/network-stack.js';
import { DEFAULT_WORLD, type WorldConfig } from './network/world-config.js';
import { createTransportPair, type HostLink } from './transport/pair-transport.js';
import type { ModuleTransport } from './transport/types.js';
import { NULL_TRACER, createTracer, isTracer, type Tracer } from './trace.js';

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
}

export interface RunningEmulator {
  readonly module: AtModule;
  readonly transport: ModuleTransport;
  /** The host end when startEmulator created the in-process pair; null with a caller's transport. */
  readonly host: HostLink | null;
  readonly stack: VirtualNetworkStack;
  readonly world: WorldConfig;
  readonly profile: FirmwareProfile;
  /** Resolves once the first `\r\nready\r\n` has been sent. */
  readonly ready: Promise<void>;
  /**
   * Stops the module: every link, server and timer. A transport the emulator created (the pair)
   * is closed too; a caller's transport stays the caller's to close.
   */
  close(): Promise<void>;
}

function tracerOf(trace: StartEmulatorOptions['trace']): Tracer {
  if (trace === undefined) return NULL_TRACER;
  return isTracer(trace) ? trace : createTracer(trace);
}

/**
 * Starts one emulated module in this process. It boots at once: `\r\nready\r\n` follows after
 * the boot time (scaled by the world's timing), so a host attached right after this resolves
 * sees it.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const profile = PROFILES[options.profile ?? DEFAULT_PROFILE.id];
  if (!profile) throw new Error(`unknown firmware profile ${String(options.profile)}`);
  const world = options.world ?? DEFAULT_WORLD;
  const pair = options.transport ? null : createTransportPair();
  const transport = options.transport ?? pair!.module;
  const tracer = tracerOf(options.trace);
  const stack = createNetworkStack(world, options.network);
  const module = new AtModule({ transport, stack, world, profile, tracer });
  tracer.note(`${profile.title} on ${transport.address}`);
  const ready = module.start();
  let closing: Promise<void> | null = null;
  return {
    module,
    transport,
    host: pair?.host ?? null,
    stack,
    world,
    profile,
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

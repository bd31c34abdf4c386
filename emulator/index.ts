/** The in-process emulator: one virtual ESP-AT module on a transport, networking for real. */
export { startEmulator } from './emulator.js';
export type { RunningEmulator, StartEmulatorOptions } from './emulator.js';
export { AtModule } from './at/at-module.js';
export type { AtModuleOptions } from './at/at-module.js';
export { NULL_TRACER, createTracer, escapeBytes, isTracer } from './trace.js';
export type { Tracer, TracerOptions } from './trace.js';
export { DEFAULT_WORLD, loadWorldConfig, parseWorldConfig } from './world-config.js';
export type { WorldConfig, WorldTiming, AccessPoint } from './world-config.js';
export { createTransportPair } from './transport/pair-transport.js';
export type { HostLink, TransportPair } from './transport/pair-transport.js';
export type { ModuleTransport, LineControlEvent } from './transport/types.js';
export { openUartLine } from './transport/uart-line-transport.js';
export type { UartLineOptions, UartLineState, UartLineTransport } from './transport/uart-line-transport.js';
export { NinaModule, startNinaEmulator } from './nina/index.js';
export type { RunningNinaEmulator } from './nina/index.js';
export type { EmulatorProtocol } from './emulator.js';

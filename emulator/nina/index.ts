/** The NINA front end: nina-fw 2.0.0's SPI command set over a byte stream, on the virtual network stack. */
export { NinaModule, MAX_PENDING_INPUT } from './nina-module.js';
export type { NinaModuleOptions } from './nina-module.js';
export { NinaCore, NINA_FIRMWARE_VERSION, NO_ADDRESS } from './nina-core.js';
export { NINA_HANDLERS } from './handler-registry.js';
export type { NinaHandlerTable } from './handler-registry.js';
export type { NinaAnswer, NinaCall, NinaHandler, NinaHandlerEntry, NinaSupport } from './handler-types.js';
export { startNinaEmulator } from './start-nina.js';
export type { RunningNinaEmulator } from './start-nina.js';
export { ninaCommandsMarkdown } from './command-docs.js';

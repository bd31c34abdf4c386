/** The NINA back end: usocket and WLAN over nina-fw's command frames on a serial link (docs/spi.md). */
export { NinaBackend } from './nina-backend.js';
export type { NinaBackendOptions } from './nina-backend.js';
export { NinaClient, NinaErrorReply, DEFAULT_REPLY_MS } from './nina-client.js';
export { NinaLink, MAX_READ, MAX_SEND } from './nina-link.js';
export { NinaServer } from './nina-server.js';
export { NinaWlan, JOIN_TIMEOUT_MS } from './nina-wlan.js';
export { openNinaEmulatorHostPort } from './nina-emu-port.js';
export type { NinaEmulatorHostPort } from './nina-emu-port.js';

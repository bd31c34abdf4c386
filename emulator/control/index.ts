/** The control channel of a running `copro emulate`: `copro fault` talks to it. */
export { startControlServer } from './control-server.js';
export type { ControlHandler, ControlServer, ControlServerOptions } from './control-server.js';
export { isAlive, liveDaemons, resolveControlTarget, sendControlRequest } from './control-client.js';
export { describeEndpoint, parseControlListen, parseControlTarget } from './control-endpoint.js';
export type { ControlEndpoint } from './control-endpoint.js';
export { faultControlHandler } from './control-handler.js';
export { MAX_REQUEST_BYTES, parseControlRequest } from './control-protocol.js';
export type { ControlRequest, ControlResponse, ModuleInfo, StatusView } from './control-protocol.js';
export { checkStateDir, controlSocketPath, ensureStateDir, isDaemonName, listControlSockets, stateDirPath } from './state-dir.js';

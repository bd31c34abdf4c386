/** copro's host driver: MicroPython's usocket over an ESP-AT coprocessor, and Node's net/tls/dgram/http over it. */
export { open, openHostPort } from './open.js';
export type { Coprocessor, OpenOptions } from './open.js';
export { OSError, errno, errnoName, gaiErrno, isOSError } from './errors.js';
export type { ErrnoName, GaiErrnoName } from './errors.js';
export { createUsocket } from './usocket/module.js';
export type { AddrInfo, Usocket } from './usocket/module.js';
export { Socket } from './usocket/socket.js';
export { poll, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from './usocket/poll.js';
export type { PollEntry } from './usocket/poll.js';
export { CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, ssl, wrapSocket } from './usocket/ssl.js';
export type { Ssl, WrapSocketOptions } from './usocket/ssl.js';
export type { BytesLike } from './usocket/socket.js';
export type { Sockaddr, Sockaddr4, Sockaddr6 } from './usocket/inet.js';
export type { Timeout } from './usocket/timeout.js';
export { HTTP_CONTENT_TYPES } from './http.js';
export type { HttpAnswer, HttpContentType, HttpMethod, HttpRequestOptions, ModuleHttp } from './http.js';
export { createWlan, STAT } from './wlan.js';
export type { Mqtt, MqttConnectOptions, MqttMessage, MqttQos, MqttStatus, MqttWill } from './mqtt.js';
export type { IfconfigTuple, ScanResult, Wlan } from './wlan.js';
export { AUTH, createApWlan } from './wlan-ap.js';
export type { ApConfigName, ApConfigOptions, ApStation, ApWlan } from './wlan-ap.js';
export { AtBackend } from './at/at-backend.js';
export type { AtBackendOptions } from './at/at-backend.js';
export type * from './backend.js';
export { HttpAgent, HttpsAgent, ModuleDgramSocket, ModuleServer, ModuleSocket, ModuleTlsSocket, NodeNetError, nodeNet } from './node-net/index.js';
export type {
  CreateConnection,
  CreateServer,
  ModuleConnectOptions,
  ModuleConnector,
  ModuleListenOptions,
  ModuleServerOptions,
  ModuleTlsConnectOptions,
  NodeNet,
  NodeNetOptions,
  RemoteInfo,
  TlsConnect,
} from './node-net/index.js';
export type { HostPort } from './host-port/types.js';

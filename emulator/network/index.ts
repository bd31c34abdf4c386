/** The virtual network stack and radio world of an emulated module (knows nothing of AT). */
export * from './types.js';
export {
  DEFAULT_RADIO_WORLD,
  RADIO_WORLD_KEYS,
  hostPortFor,
  readRadioWorld,
  scaledMs,
  type AccessPoint,
  type RadioWorld,
  type RadioWorldReadOptions,
  type SecurityAlias,
  type WorldTiming,
} from './radio-world.js';
export { FieldReader, WorldConfigError } from './config-fields.js';
export { SimulatedStation } from './station.js';
export { DEFAULT_DNS_TIMEOUT_MS, Resolver, systemLookup, type AddressChoice, type HostLookup } from './resolver.js';
export { TcpLink, connectTcpLink, type TcpLinkInit } from './tcp-link.js';
export { TlsLink, connectTlsLink } from './tls-link.js';
export { describeHandshakeFailure } from './tls-errors.js';
export { UDP_PAUSE_BUFFER_BYTES, UdpLink, openUdpLink, type DestinationCheck, type UdpOpenRequest } from './udp-link.js';
export { TcpServer, type TcpServerOptions } from './server.js';
export type { CloseReason } from './link-base.js';
export {
  ALLOW_ALL,
  VirtualNetworkStack,
  createNetworkStack,
  type NetworkStackOptions,
  type OutboundPolicy,
} from './network-stack.js';
export { EMPTY_CERT_STORE, type CaEntry, type CertificateStore, type ClientCertEntry } from './cert-store.js';

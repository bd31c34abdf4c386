/** The module's UART carriers. Front ends only see ModuleTransport (./types.ts). */
export type {
  InputFlow,
  LineBackpressure,
  LineControlEvent,
  ModuleRateControl,
  ModuleTransport,
  OutputFlow,
  TransportSink,
} from './types.js';
export { DEFAULT_MAX_QUEUED_BYTES, OutputQueue } from './output-queue.js';
export { QueuedTransport } from './queued-transport.js';
export { openPtyTransport } from './pty-transport.js';
export type { PtyTransport, PtyTransportOptions } from './pty-transport.js';
export { openSerialDeviceTransport } from './serial-device-transport.js';
export type { SerialDeviceTransport, SerialDeviceTransportOptions } from './serial-device-transport.js';
export { HOST_ALREADY_ATTACHED_LINE, openTcpTransport } from './tcp-transport.js';
export type { TcpProtocol, TcpTransport, TcpTransportOptions } from './tcp-transport.js';
export { createTransportPair } from './pair-transport.js';
export type { HostLink, TransportPair, TransportPairOptions } from './pair-transport.js';
export { parseListenSpec } from './listen-spec.js';
export type { ListenSpec } from './listen-spec.js';
export { openUartLine } from './uart-line-transport.js';
export type { UartLineOptions, UartLineState, UartLineTransport } from './uart-line-transport.js';
export { LinePacer, frameMs } from './line-pacer.js';
export { garbleUartBytes, ratesInterwork, receiveByte } from './uart-garble.js';

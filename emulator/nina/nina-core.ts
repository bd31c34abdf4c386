import type { AccessPointInfo, NetworkStack } from '../network/types.js';
import type { WorldConfig } from '../world-config.js';
import type { ModuleTransport } from '../transport/types.js';
import type { Tracer } from '../trace.js';
import { keepAliveClock, type Clock } from '../../runtime/clock.js';
import { NinaSntp } from './nina-sntp.js';
import { NinaWifi } from './nina-wifi.js';
import { SocketTable } from './socket-table.js';

/** What GET_HOST_BY_NAME answers before any lookup and after a failed one. */
export const NO_ADDRESS = '255.255.255.255';

/** The version string nina-fw 2.0.0 reports (6 bytes with its NUL). */
export const NINA_FIRMWARE_VERSION = '2.0.0';

export interface NinaCoreInit {
  readonly transport: ModuleTransport;
  readonly stack: NetworkStack;
  readonly world: WorldConfig;
  readonly tracer: Tracer;
  /** GET_FW_VERSION's answer; default NINA_FIRMWARE_VERSION. */
  readonly firmwareVersion?: string;
  /** The chip's clock (SNTP's timers, the reboot after an injected reset); default real time. */
  readonly clock?: Clock;
}

/**
 * Everything one emulated NINA module is: its socket numbers, WiFi status, last DNS answer and scan
 * results, over the shared virtual network stack. The input loop (NinaModule) and the handlers
 * share it; nothing here parses or formats frames (the codec does).
 */
export class NinaCore {
  readonly transport: ModuleTransport;
  readonly stack: NetworkStack;
  readonly world: WorldConfig;
  readonly tracer: Tracer;
  readonly firmwareVersion: string;
  readonly clock: Clock;
  readonly sockets = new SocketTable();
  readonly wifi: NinaWifi;
  /** nina-fw's SNTP client and the time GET_TIME reports. */
  readonly sntp: NinaSntp;
  /** nina-fw's `resolvedHostname`. */
  resolvedHost = NO_ADDRESS;
  /** The last SCAN_NETWORKS' networks (GET_IDX_* read them). */
  scanResults: readonly AccessPointInfo[] = [];
  /** Bumped by every reset, so work started before it cannot answer after it. */
  epoch = 0;
  closed = false;

  constructor(init: NinaCoreInit) {
    this.transport = init.transport;
    this.stack = init.stack;
    this.world = init.world;
    this.tracer = init.tracer;
    this.firmwareVersion = init.firmwareVersion ?? NINA_FIRMWARE_VERSION;
    this.clock = init.clock ?? keepAliveClock;
    this.sntp = new NinaSntp(init.stack, init.world, this.clock, init.tracer);
    this.wifi = new NinaWifi(init.stack.station, init.tracer, () => this.sntp.addressUp());
  }

  isCurrent(epoch: number): boolean {
    return epoch === this.epoch && !this.closed;
  }

  /** Bytes to the host, traced with the socket numbers they concern. */
  write(bytes: Uint8Array, sockets?: readonly number[]): void {
    if (bytes.length === 0 || this.closed) return;
    this.tracer.toHost(bytes, sockets);
    this.transport.write(bytes);
  }

  /** Stops everything the module runs (reset or shutdown); the station forgets its AP. */
  async halt(): Promise<void> {
    this.epoch++;
    this.resolvedHost = NO_ADDRESS;
    this.scanResults = [];
    this.wifi.reset();
    this.sntp.reset();
    this.stack.softAp.stop();
    await this.sockets.closeAll();
    await this.stack.closeAll().catch((error: Error) => this.tracer.note(`closing sockets: ${error.message}`));
  }
}

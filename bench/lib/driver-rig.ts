/**
 * The driver benchmarks' set-up, as in real use: the emulator in its own process on a PTY
 * (bench/peer/module-peer.ts, optionally paced like `copro emulate --pace`), the driver in this
 * process opening that PTY with serialport (`open(path)`), and the far end of every connection in
 * a third process (bench/peer/net-peer.ts).
 */
import { open, type Coprocessor, type OpenOptions } from '../../src/open.js';
import { startJsonPeer, startPeer, type JsonPeer, type ModulePeer } from './peer.js';

export interface NetPorts {
  readonly sink: number;
  readonly source: number;
  readonly echo: number;
  readonly accept: number;
  readonly udpSink: number;
  readonly udpEcho: number;
  readonly http: number;
}

export interface NetPeer extends JsonPeer {
  readonly ports: NetPorts;
}

export async function startNetPeer(): Promise<NetPeer> {
  const peer = await startJsonPeer('net-peer', [], 'net peer');
  return { ...peer, ports: peer.ready.ports as NetPorts };
}

export interface DriverRig {
  readonly module: ModulePeer;
  readonly copro: Coprocessor;
  close(): Promise<void>;
}

/** The emulator on a PTY (paced at `baudRate` when `paced`), the driver on it, joined to the lab AP. */
export async function startDriverRig(options: { paced?: boolean; baudRate?: number; driver?: OpenOptions } = {}): Promise<DriverRig> {
  const module = await startPeer(options.paced ? 'at-paced' : 'at');
  let copro: Coprocessor;
  try {
    copro = await open(module.path, { baudRate: options.baudRate ?? 115200, ...options.driver });
    await copro.wlan.connect('copro-lab', 'labpass123');
  } catch (error) {
    await module.close();
    throw error;
  }
  return {
    module,
    copro,
    async close() {
      await copro.close().catch(() => undefined);
      await module.close();
    },
  };
}

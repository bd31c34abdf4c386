/**
 * `open(device)`: one coprocessor, ready to use — the usocket module bound to it, its station
 * interface, and close(). The device is a serial path (USB-serial ESP module, the emulator's
 * PTY), `tcp://host:port` (serial over TCP, raw), or `emu:` (an emulator in this process); the
 * module speaks ESP-AT, or with `protocol: 'nina'` nina-fw's command frames (docs/spi.md).
 */
import { AtBackend } from './at/at-backend.js';
import type { TraceSink } from './at/trace.js';
import type { Backend } from './backend.js';
import type { Clock } from './clock.js';
import { isEmuDevice, openEmulatorHostPort } from './host-port/emu-port.js';
import type { EmulatorOptions } from './host-port/emu-port.js';
import { recordHostPort } from './host-port/recording-port.js';
import type { RecordTarget } from './host-port/recording-port.js';
import { openSerialHostPort } from './host-port/serial-port.js';
import { openTcpHostPort, parseTcpDevice } from './host-port/tcp-port.js';
import type { HostPort } from './host-port/types.js';
import { createUsocket } from './usocket/module.js';
import type { Usocket } from './usocket/module.js';
import { ssl } from './usocket/ssl.js';
import type { Ssl } from './usocket/ssl.js';
import { createWlan } from './wlan.js';
import { createApWlan, type ApWlan } from './wlan-ap.js';
import { NinaBackend } from './nina/nina-backend.js';
import { nodeNet } from './node-net/index.js';
import type { NodeNet } from './node-net/index.js';
import { openNinaEmulatorHostPort } from './nina/nina-emu-port.js';
import type { Wlan } from './wlan.js';
import { unsupportedMqtt, type Mqtt } from './mqtt.js';
import { osError } from './errors.js';
import type { ModuleHttp } from './http.js';

export interface OpenOptions {
  /** Serial devices: the line rate (default 115200). */
  readonly baudRate?: number;
  /** Log the dialogue with the module: true = to stderr (`[at] …` / `[nina] …`), or a function receiving each line. */
  readonly trace?: boolean | TraceSink;
  /** `emu:` only: the emulated module's world, profile, trace. */
  readonly emulator?: EmulatorOptions;
  /** How often the module is polled while a reader waits (AT: CIPRECVLEN, default 500 ms; NINA: AVAIL_DATA_TCP, default 20 ms). */
  readonly pollIntervalMs?: number;
  /** The module's protocol: 'at' (default, ESP-AT) or 'nina' (nina-fw command frames on the link, docs/spi.md). */
  readonly protocol?: 'at' | 'nina';
  /**
   * Record the dialogue as a transcript (docs/transcripts.md): a file to create, or a
   * TranscriptRecorder the caller owns. Every byte both ways, as it crossed.
   */
  readonly record?: RecordTarget;
  /**
   * The time base of every protocol timer of the driver (command deadlines, the busy probe, the
   * drain, the `+++` guard, polls, socket and Node-stream timeouts): default real time
   * (runtime/clock.ts `systemClock`); tests of logic pass a ManualClock. An `emu:` module's own
   * timers take `emulator.clock`.
   */
  readonly clock?: Clock;
}

/**
 * Also Node's networking over the module (NodeNet, docs/driver.md "Node streams"):
 * `createConnection()`/`connect()`, `tlsConnect()`, `createServer()`, `createSocket()`.
 */
export interface Coprocessor extends NodeNet {
  /** The device path as opened. */
  readonly device: string;
  /** MicroPython's usocket, bound to this module. */
  readonly usocket: Usocket;
  /** MicroPython's network.WLAN(STA_IF), bound to this module. */
  readonly wlan: Wlan;
  /** MicroPython's network.WLAN(AP_IF): the module's access point (EOPNOTSUPP where the back end has none). */
  readonly ap: ApWlan;
  /** The module's own MQTT client (ESP-AT's AT+MQTT*; EOPNOTSUPP where the firmware has none). */
  readonly mqtt: Mqtt;
  /** MicroPython's `ssl` (WiPy style): `ssl.wrap_socket(sock, {...})` before connect(); see docs/tls.md. */
  readonly ssl: Ssl;
  /** The module's clock in Unix seconds (SNTP-set: AT+CIPSNTPCFG, nina-fw after a join), null before it has real time. */
  time(): Promise<number | null>;
  /** Starts the module's SNTP client (ESP-AT: AT+CIPSNTPCFG in UTC; nina-fw runs its own after a join). */
  startNtp(servers?: readonly string[]): Promise<void>;
  /** The module's own HTTP client (ESP-AT's AT+HTTPCLIENT family); EOPNOTSUPP where the module has none. */
  readonly http: ModuleHttp;
  /** The protocol back end (for tools and tests: info, firmware facts). */
  readonly backend: Backend;
  /** Fails every socket (EBADF) and releases the port. */
  close(): Promise<void>;
}

/** `trace: true` writes to stderr, each line labelled with the protocol: `[at]` or `[nina]`. */
function traceSink(trace: OpenOptions['trace'], protocol: OpenOptions['protocol']): TraceSink | undefined {
  const label = protocol === 'nina' ? 'nina' : 'at';
  if (trace === true) return (line) => process.stderr.write(`[${label}] ${line}\n`);
  return typeof trace === 'function' ? trace : undefined;
}

export async function openHostPort(device: string, options: OpenOptions = {}): Promise<HostPort> {
  const port = isEmuDevice(device)
    ? await openEmulatorHostPort(device, options.emulator)
    : parseTcpDevice(device)
      ? await openTcpHostPort(device)
      : await openSerialHostPort(device, options.baudRate);
  return withRecording(port, options);
}

function withRecording(port: HostPort, options: OpenOptions): Promise<HostPort> | HostPort {
  return options.record === undefined ? port : recordHostPort(port, options.record, options.protocol);
}

/** Opens `device`, or takes an already open HostPort (a custom transport). */
export async function open(device: string | HostPort, options: OpenOptions = {}): Promise<Coprocessor> {
  const nina = options.protocol === 'nina';
  const emuNina = nina && typeof device === 'string' && isEmuDevice(device);
  const port =
    typeof device !== 'string' || emuNina
      ? await withRecording(typeof device === 'string' ? await openNinaEmulatorHostPort(device, options.emulator) : device, options)
      : await openHostPort(device, options);
  const settings = { trace: traceSink(options.trace, options.protocol), pollIntervalMs: options.pollIntervalMs, clock: options.clock };
  const backend = nina ? await NinaBackend.open(port, settings) : await AtBackend.open(port, settings);
  return coprocessorOf(port.path, backend);
}

/** A module without an HTTP client of its own (nina-fw). */
const NO_HTTP: ModuleHttp = {
  request: () => Promise.reject(osError('EOPNOTSUPP', 'this module has no HTTP client of its own')),
  size: () => Promise.reject(osError('EOPNOTSUPP', 'this module has no HTTP client of its own')),
};

/** Everything a Coprocessor offers, bound to an opened back end. */
export function coprocessorOf(device: string, backend: Backend): Coprocessor {
  return {
    device,
    usocket: createUsocket(backend),
    wlan: createWlan(backend.wlan, (host) => backend.resolve(host)),
    ap: createApWlan(backend.softAp),
    mqtt: backend.mqtt ?? unsupportedMqtt(`${backend.info.name} has no MQTT client`),
    ssl,
    backend,
    http: backend.http ?? NO_HTTP,
    time: () => backend.wlan.moduleTime(),
    startNtp: (servers = []) => backend.wlan.startNtp(servers),
    ...nodeNet(backend),
    close: () => backend.close(),
  };
}

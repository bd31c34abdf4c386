/**
 * `open(device)`: one coprocessor, ready to use — the usocket module bound to it, its station
 * interface, and close(). The device is a serial path (USB-serial ESP module, the emulator's
 * PTY), `tcp://host:port` (serial over TCP, raw), or `emu:` (an emulator in this process).
 */
import { AtBackend } from './at/at-backend.js';
import type { TraceSink } from './at/trace.js';
import type { Backend } from './backend.js';
import { isEmuDevice, openEmulatorHostPort } from './host-port/emu-port.js';
import type { EmulatorOptions } from './host-port/emu-port.js';
import { openSerialHostPort } from './host-port/serial-port.js';
import { openTcpHostPort, parseTcpDevice } from './host-port/tcp-port.js';
import type { HostPort } from './host-port/types.js';
import { createUsocket } from './usocket/module.js';
import type { Usocket } from './usocket/module.js';
import { createWlan } from './wlan.js';
import type { Wlan } from './wlan.js';

export interface OpenOptions {
  /** Serial devices: the line rate (default 115200). */
  readonly baudRate?: number;
  /** Log the AT dialogue: true = to stderr, or a function receiving each line. */
  readonly trace?: boolean | TraceSink;
  /** `emu:` only: the emulated module's world, profile, trace. */
  readonly emulator?: EmulatorOptions;
  /** How often CIPRECVLEN is polled while a reader waits (default 500 ms). */
  readonly pollIntervalMs?: number;
}

export interface Coprocessor {
  /** The device path as opened. */
  readonly device: string;
  /** MicroPython's usocket, bound to this module. */
  readonly usocket: Usocket;
  /** MicroPython's network.WLAN(STA_IF), bound to this module. */
  readonly wlan: Wlan;
  /** The protocol back end (for tools and tests: info, firmware facts). */
  readonly backend: Backend;
  /** Fails every socket (EBADF) and releases the port. */
  close(): Promise<void>;
}

function traceSink(trace: OpenOptions['trace']): TraceSink | undefined {
  if (trace === true) return (line) => process.stderr.write(`[at] ${line}\n`);
  return typeof trace === 'function' ? trace : undefined;
}

export async function openHostPort(device: string, options: OpenOptions = {}): Promise<HostPort> {
  if (isEmuDevice(device)) return openEmulatorHostPort(device, options.emulator);
  if (parseTcpDevice(device)) return openTcpHostPort(device);
  return openSerialHostPort(device, options.baudRate);
}

/** Opens `device`, or takes an already open HostPort (a custom transport). */
export async function open(device: string | HostPort, options: OpenOptions = {}): Promise<Coprocessor> {
  const port = typeof device === 'string' ? await openHostPort(device, options) : device;
  const backend = await AtBackend.open(port, { trace: traceSink(options.trace), pollIntervalMs: options.pollIntervalMs });
  return {
    device: port.path,
    usocket: createUsocket(backend),
    wlan: createWlan(backend.wlan),
    backend,
    close: () => backend.close(),
  };
}

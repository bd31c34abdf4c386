/**
 * What every driver subcommand of the CLI shares: the `-d DEVICE` / `--baud` / `--protocol` /
 * `--trace` options and opening the module. An in-process emulator (`emu:`) starts unjoined in a world
 * whose access point is known, so the tools join it first: otherwise nothing could connect.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { DEFAULT_WORLD, loadWorldConfig } from '../../emulator/world-config.js';
import { isEmuDevice } from '../host-port/emu-port.js';
import type { EmulatorOptions } from '../host-port/emu-port.js';
import { open } from '../open.js';
import type { Coprocessor, OpenOptions } from '../open.js';

export type DeviceProtocol = NonNullable<OpenOptions['protocol']>;

export interface DeviceOptions {
  readonly device: string;
  readonly baud: number;
  readonly trace?: boolean;
  /** What the module speaks: ESP-AT (default) or nina-fw's frames (docs/spi.md). */
  readonly protocol?: DeviceProtocol;
  /** Record the dialogue to this transcript file (docs/transcripts.md). */
  readonly record?: string;
  /** `emu:` only (`--config FILE`): the in-process emulator's radio world file. */
  readonly config?: string;
  /** `emu:` only, for callers in code (tests, embedders), never a flag: the emulated module's world and clock. */
  readonly emulator?: EmulatorOptions;
}

export const DEFAULT_DEVICE = 'emu:';

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number 1..65535');
  return n;
}

function parseBaud(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Adds -d/--device, -b/--baud, --protocol, --trace, --record and --config. */
export function withDeviceOptions(command: Command): Command {
  return command
    .option('-d, --device <device>', 'the module: a serial path (/dev/ttyUSB0, a PTY), tcp://host:port, or emu:[profile]', process.env.COPRO_DEVICE ?? DEFAULT_DEVICE)
    .option('-b, --baud <rate>', 'serial line rate', parseBaud, 115200)
    .addOption(
      new Option('--protocol <name>', 'what the module speaks: at (ESP-AT) or nina (nina-fw frames); with emu:, the emulated kind')
        .choices(['at', 'nina'])
        .default(process.env.COPRO_PROTOCOL === 'nina' ? 'nina' : 'at'),
    )
    .option('--trace', 'log the dialogue with the module on stderr ([at] lines, or [nina] frames)')
    .option('--record <file>', 'record every byte both ways as a transcript (docs/transcripts.md), for copro replay and copro verify')
    .option('--config <file>', 'emu: the radio world JSON (access points, hosts, timing, TLS store), as copro emulate takes');
}

/** `options` with `--config FILE` read into `emulator.world`; refused for a device that is not `emu:`. */
export async function withConfigLoaded<T extends DeviceOptions>(options: T): Promise<T> {
  if (options.config === undefined) return options;
  if (!isEmuDevice(options.device)) throw new Error('--config describes an emulated module: use it with -d emu:');
  const world = await loadWorldConfig(options.config);
  return { ...options, config: undefined, emulator: { ...options.emulator, world } };
}

/** `extra.emulator`: an `emu:` device's world (e.g. a certificate store provisioned by `nc --ca FILE`), over `options.emulator`. */
export async function openDevice(given: DeviceOptions, join = true, extra: Pick<OpenOptions, 'emulator'> = {}): Promise<Coprocessor> {
  const options = await withConfigLoaded(given);
  const emulator = options.emulator || extra.emulator ? { ...options.emulator, ...extra.emulator } : undefined;
  const copro = await open(options.device, {
    baudRate: options.baud,
    trace: options.trace,
    protocol: options.protocol,
    ...(options.record !== undefined ? { record: options.record } : {}),
    ...(emulator ? { emulator } : {}),
  });
  if (join && isEmuDevice(options.device) && !copro.wlan.isconnected()) {
    const ap = (emulator?.world ?? DEFAULT_WORLD).accessPoints.at(0);
    try {
      if (ap) await copro.wlan.connect(ap.ssid, ap.password);
    } catch (err) {
      await copro.close();
      throw err;
    }
  }
  return copro;
}

/** Runs `onSignal` on SIGINT/SIGTERM; returns the function that stops listening. */
export function onSignals(onSignal: () => void): () => void {
  const handler = (): void => onSignal();
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

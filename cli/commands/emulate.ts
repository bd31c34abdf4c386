/**
 * `copro emulate`: run one virtual ESP-AT module on a PTY (default), a real serial device,
 * or serial-over-TCP, until SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import { ensureStateDir } from '../../emulator/control/state-dir.js';
import { startEmulator } from '../../emulator/emulator.js';
import { FileFlashStore } from '../../emulator/storage/flash-files.js';
import { loadWorldConfig, DEFAULT_WORLD } from '../../emulator/world-config.js';
import type { WorldConfig } from '../../emulator/world-config.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openSerialDeviceTransport } from '../../emulator/transport/serial-device-transport.js';
import { openTcpTransport, parseListenSpec } from '../../emulator/transport/index.js';
import type { ModuleTransport } from '../../emulator/transport/types.js';
import { openUartLine } from '../../emulator/transport/uart-line-transport.js';
import { recordTransport } from '../../emulator/transport/recording-transport.js';
import { TranscriptRecorder } from '../../src/transcript/recorder.js';
import { createTracer, NULL_TRACER } from '../../emulator/trace.js';
import { DEFAULT_PROFILE, PROFILES, PROFILE_IDS, PROFILE_LIST } from '../../firmware-protocol/at/profiles.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { describeServing } from './emulate-banner.js';
import { describeNinaServing } from './emulate-nina-banner.js';
import { NinaModuleFaults } from '../../emulator/faults/nina-module-faults.js';
import { moduleCountOf, runModules } from './emulate-modules.js';
import {
  FAULT_OPTION_HELP,
  collectFault,
  describeControl,
  faultInjectorFor,
  openFaultControl,
  parseDaemonName,
  parseSeed,
  type FaultCliOptions,
} from './emulate-faults.js';

interface EmulateOptions extends FaultCliOptions {
  pty?: boolean;
  link?: string;
  device?: string;
  baud: number;
  listen?: string;
  tcp: 'raw' | 'rfc2217';
  config?: string;
  profile: ProfileId | 'help';
  trace?: boolean;
  pace?: boolean;
  lenientBaud?: boolean;
  protocol: 'at' | 'nina';
  record?: string;
  modules?: number;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

async function openTransport(opts: EmulateOptions): Promise<ModuleTransport> {
  const chosen = [opts.device ? 1 : 0, opts.listen ? 1 : 0, opts.pty ? 1 : 0].reduce((a, b) => a + b, 0);
  if (chosen > 1) throw new Error('choose one of --pty, --device and --listen');
  if (opts.device) return openSerialDeviceTransport({ path: opts.device, baudRate: opts.baud });
  if (opts.listen) {
    const { host, port } = parseListenSpec(opts.listen);
    return openTcpTransport({ host, port, protocol: opts.tcp });
  }
  return openPtyTransport({ link: opts.link, baudRate: opts.baud });
}

/**
 * A module with a `--name` keeps its AT+SYSFLASH partitions in the state directory across runs;
 * an unnamed one (`emu-<pid>`, a new identity every run) keeps them in memory.
 */
async function flashStoreFor(opts: EmulateOptions): Promise<FileFlashStore | null> {
  if (opts.name === undefined) return null;
  try {
    return FileFlashStore.forDaemon(await ensureStateDir(), opts.name);
  } catch (error) {
    process.stderr.write(`copro: flash kept in memory (${(error as Error).message})\n`);
    return null;
  }
}

/** `copro emulate --profile help`: one line per firmware profile, the default first. */
export function profileHelp(): string {
  const width = Math.max(...PROFILE_LIST.map((profile) => profile.id.length));
  const lines = PROFILE_LIST.map((profile) => {
    const version = profile.gmrLines.find((line) => line.startsWith('AT version:')) ?? '';
    const mark = profile.id === DEFAULT_PROFILE.id ? ' (default)' : '';
    return `${profile.id.padEnd(width)}  ${profile.title}${mark}  ${version}`;
  });
  return `${lines.join('\n')}\n`;
}

async function runEmulate(options: EmulateOptions): Promise<void> {
  if (options.profile === 'help') {
    process.stdout.write(profileHelp());
    return;
  }
  const opts = { ...options, profile: options.profile };
  if (opts.link && (opts.device || opts.listen)) throw new Error('--link only applies to --pty');
  if (opts.pace && opts.device) throw new Error('--pace does not apply to --device: a real UART already runs at its line rate');
  const world: WorldConfig = opts.config ? await loadWorldConfig(opts.config) : DEFAULT_WORLD;
  const count = moduleCountOf(opts.modules, world);
  if (count > 1) {
    const alone = [opts.device && '--device', opts.listen && '--listen', opts.record && '--record', opts.fault?.length && '--fault', opts.control && '--control', opts.protocol === 'nina' && '--protocol nina'].filter(Boolean);
    if (alone.length > 0) throw new Error(`${alone.join(', ')}: one module only (several modules run on PTYs, ESP-AT)`);
    return runModules(opts, world, count);
  }
  const nina = opts.protocol === 'nina';
  const faults = faultInjectorFor(opts, world);
  // Refused before anything is opened: a kind NINA cannot apply (busy-p/busy-s) is never ignored.
  if (nina) faults.checkFor(NinaModuleFaults.layer);
  const tracer = opts.trace ? createTracer(process.stderr) : NULL_TRACER;
  const wire = await openTransport(opts);
  const recorder = opts.record
    ? await TranscriptRecorder.open(opts.record, {
        recorder: 'emulator',
        protocol: opts.protocol,
        baud: opts.baud,
        device: wire.address,
        ...(opts.protocol === 'at' ? { banner: PROFILES[opts.profile].gmrLines, profile: opts.profile } : {}),
      }).catch(async (error: unknown) => {
        await wire.close();
        throw error;
      })
    : null;
  const carrier = recorder ? recordTransport(wire, recorder) : wire;
  // A real device has a UART of its own; emulated carriers get the line model (rates, mismatch, pacing).
  const transport = opts.device
    ? carrier
    : await openUartLine(carrier, {
        pace: opts.pace,
        defaultBaudRate: opts.baud,
        lenientBaud: opts.lenientBaud === true,
        note: (text) => tracer.note(text),
      });
  const flash = nina ? null : await flashStoreFor(opts);
  // A named daemon keeps its module's AT+FS files in a folder of its own under the state directory.
  const fileSystemDir = !nina && opts.name !== undefined ? join(await ensureStateDir(), 'fat', opts.name) : undefined;
  const emulator = await startEmulator({
    ...(flash ? { flash } : {}),
    transport,
    world,
    profile: opts.profile,
    trace: tracer,
    faults,
    ...(fileSystemDir !== undefined ? { fileSystemDir } : {}),
    protocol: opts.protocol,
  });
  const control = await openFaultControl(opts, faults, { address: transport.address, profile: nina ? 'nina' : opts.profile }).catch(async (error: unknown) => {
    await emulator.close();
    await transport.close();
    throw error;
  });
  await emulator.ready; // the banner means "open it now": the module has booted
  const banner = nina
    ? describeNinaServing(transport.address, world)
    : describeServing(transport.address, PROFILES[opts.profile], world, Boolean(opts.listen));
  process.stdout.write(`${banner}${describeControl(control, opts)}\n`);

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void (async () => {
        await control?.close();
        await emulator.close();
        await transport.close();
        await recorder?.close();
        resolve();
      })();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerEmulate(program: Command): void {
  program
    .command('emulate')
    .description('run a virtual ESP-AT module (default: on a new PTY with the built-in radio world)')
    .option('--pty', 'serve on a new pseudo-terminal (the default)')
    .option('--link <path>', 'also publish the PTY under this path (a symlink to /dev/pts/N)')
    .option('--device <path>', 'serve on a real serial device (e.g. /dev/ttyUSB0) so a real MCU can use the module')
    .option('--baud <rate>', 'line rate for --device (and the initial PTY setting)', parsePositiveInt, 115200)
    .option('--listen <[host:]port>', 'serve serial-over-TCP (127.0.0.1 unless a host is given)')
    .addOption(new Option('--tcp <protocol>', 'serial-over-TCP flavour for --listen').choices(['raw', 'rfc2217']).default('raw'))
    .option('--config <file>', 'radio world JSON (access points, hosts table, timing, TLS certificates)')
    .addOption(
      new Option('--profile <id>', 'firmware to emulate (`--profile help` lists them)')
        .choices([...PROFILE_IDS, 'help'])
        .default(DEFAULT_PROFILE.id),
    )
    .option('--trace', 'log the dialogue on stderr (timestamped, escaped, with link ids)')
    .option('--record <file>', 'record every byte both ways on the line as a transcript (docs/transcripts.md)')
    .addOption(
      new Option('--protocol <name>', 'coprocessor protocol: ESP-AT text, or NINA (nina-fw SPI frames on the byte stream)')
        .choices(['at', 'nina'])
        .default('at'),
    )
    .option('--modules <n>', 'run n modules in this daemon, each on its own PTY, sharing the air (softAPs); --link <path> publishes <path>, <path>2, ...', parsePositiveInt)
    .option('--pace', 'deliver bytes at the line rate both ways (baud/10 bytes/s, 8N1), as a real UART does; not with --device')
    .option('--lenient-baud', 'the module follows the rate the host opened the line at until AT+UART_CUR/_DEF sets one (a real module starts at 115200); not with --device')
    .option('--fault <spec>', FAULT_OPTION_HELP.fault, collectFault)
    .option('--seed <n>', FAULT_OPTION_HELP.seed, parseSeed)
    .option('--name <name>', FAULT_OPTION_HELP.name, parseDaemonName)
    .option('--control <where>', FAULT_OPTION_HELP.control)
    .action(async (opts: EmulateOptions) => runEmulate(opts));
}

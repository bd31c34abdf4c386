/**
 * `copro mpy [options] [script.py] [args…]`: a MicroPython program, unmodified, with socket, ssl,
 * network, select and time backed by the module (src/mpy, docs/micropython.md). No script: the
 * MicroPython REPL. Everything after the script name belongs to the script (sys.argv).
 */
import { accessSync, constants as fsConstants } from 'node:fs';
import { Option } from 'commander';
import type { Command } from 'commander';
import { DEFAULT_WORLD, loadWorldConfig } from '../../emulator/world-config.js';
import { PROFILE_IDS } from '../../firmware-protocol/at/profiles.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { isEmuDevice } from '../../src/host-port/emu-port.js';
import { FLASH_STORE, provisionedWorld } from '../../src/mpy/cert-provisioning.js';
import type { StoreProvisioning } from '../../src/mpy/cert-provisioning.js';
import { runMpy } from '../../src/mpy/host.js';
import { open } from '../../src/open.js';
import type { Coprocessor } from '../../src/open.js';
import { withDeviceOptions } from '../../src/tools/cli-device.js';
import type { DeviceOptions } from '../../src/tools/cli-device.js';
import { reportAndExit } from '../fail.js';

/** `config` (--config, from withDeviceOptions) is read here: its world is provisioned for the script. */
interface MpyOptions extends DeviceOptions {
  readonly include: string[];
  readonly profile?: ProfileId;
}

interface OpenedModule {
  readonly copro: Coprocessor;
  readonly certificates: StoreProvisioning;
  /** The network joined for the script (emu:), so config('essid') can say it. */
  readonly joined: string | null;
}

/**
 * An `emu:` module lives only as long as the command, so it joins its world's first access point
 * first, as a board that stored its network would be on it; its certificate store takes what the
 * script gives ssl. A real module is used as it is.
 */
async function openModule(opts: MpyOptions): Promise<OpenedModule> {
  const settings = {
    baudRate: opts.baud,
    trace: opts.trace,
    protocol: opts.protocol,
    ...(opts.record !== undefined ? { record: opts.record } : {}),
  };
  if (!isEmuDevice(opts.device)) {
    if (opts.profile || opts.config) throw new Error('--profile and --config describe an emulated module: use them with -d emu:');
    return { copro: await open(opts.device, settings), certificates: FLASH_STORE, joined: null };
  }
  const { world, provisioning } = provisionedWorld(opts.config ? await loadWorldConfig(opts.config) : DEFAULT_WORLD);
  const copro = await open(opts.device, { ...settings, emulator: { world, profile: opts.profile } });
  const ap = world.accessPoints[0];
  if (!ap) return { copro, certificates: provisioning, joined: null };
  try {
    await copro.wlan.connect(ap.ssid, ap.password);
  } catch (err) {
    await copro.close();
    throw err;
  }
  return { copro, certificates: provisioning, joined: ap.ssid };
}

export async function runMpyCommand(script: string | undefined, args: readonly string[], opts: MpyOptions): Promise<number> {
  if (script !== undefined) {
    try {
      accessSync(script, fsConstants.R_OK);
    } catch (err) {
      // As MicroPython's Unix port says it, before any module is opened.
      throw new Error(`can't open file '${script}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  const { copro, certificates, joined } = await openModule(opts);
  try {
    return await runMpy({
      copro,
      script: script === undefined ? null : { path: script, args },
      includeDirs: opts.include,
      certificates,
      joined,
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  } finally {
    await copro.close();
  }
}

export function registerMpy(program: Command): void {
  withDeviceOptions(
    program
      .command('mpy')
      .description('run a MicroPython program (or the REPL) with socket, ssl and network on the module')
      .argument('[script]', 'the program (.py); none: the MicroPython REPL')
      .argument('[args...]', "the script's sys.argv[1:] (options included)")
      .option('-I, --include <dir>', "also import modules from DIR, like a board's /lib (repeatable)", (dir: string, dirs: string[]) => [...dirs, dir], [])
      .addOption(new Option('--profile <id>', 'emu: the firmware to emulate').choices(PROFILE_IDS))
      .passThroughOptions(),
  ).action(async (script: string | undefined, args: string[], opts: MpyOptions) => {
    try {
      const code = await runMpyCommand(script, args, opts);
      // Everything the script printed reaches the pipe before the exit status does.
      await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      process.exit(code);
    } catch (err) {
      reportAndExit(err);
    }
  });
}

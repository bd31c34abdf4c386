/**
 * `emu:` with `protocol: 'nina'`: a NINA module emulated in this process, on the emulator's
 * in-process pair. Loaded only when asked for, like the ESP-AT `emu:` port.
 */
import type { RunningNinaEmulator } from '../../emulator/nina/start-nina.js';
import { hostPortOnPair, type EmulatorOptions } from '../host-port/emu-port.js';
import type { HostPort } from '../host-port/types.js';
import { osError } from '../errors.js';

/** The host port of an in-process NINA emulator, with the emulator itself (tests reset it, read its world). */
export interface NinaEmulatorHostPort extends HostPort {
  readonly emulator: RunningNinaEmulator;
}

export async function openNinaEmulatorHostPort(device: string, options: EmulatorOptions = {}): Promise<NinaEmulatorHostPort> {
  if (device !== 'emu:' && device !== 'emu:nina') {
    throw osError('ENODEV', `${device} is not an emulated NINA module: with protocol nina, use emu: (or emu:nina)`);
  }
  const { startEmulator } = await import('../../emulator/emulator.js');
  const emulator = await startEmulator({ ...options, protocol: 'nina' });
  const host = emulator.host;
  if (!host) throw new Error('the emulator did not create its in-process pair');
  return { ...hostPortOnPair(device, host, () => emulator.close()), emulator };
}

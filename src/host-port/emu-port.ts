/**
 * `emu:` — an emulated module in this process, on the emulator's in-process pair (no kernel in
 * between). `emu:esp8266-at-1.7` picks the firmware profile. The emulator is loaded only when
 * asked for, so using the driver on hardware never loads it.
 */
import type { RunningEmulator, StartEmulatorOptions } from '../../emulator/emulator.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { PROFILE_IDS } from '../../firmware-protocol/at/profiles.js';
import { osError } from '../errors.js';
import type { HostLink } from '../../emulator/transport/pair-transport.js';
import type { HostPort } from './types.js';

export type EmulatorOptions = Omit<StartEmulatorOptions, 'transport'>;

/** The host port of an in-process emulator, with the emulator itself (tests reset it, read its world). */
export interface EmulatorHostPort extends HostPort {
  readonly emulator: RunningEmulator;
}

export function isEmuDevice(device: string): boolean {
  return device === 'emu:' || device.startsWith('emu:');
}

export async function openEmulatorHostPort(device: string, options: EmulatorOptions = {}): Promise<EmulatorHostPort> {
  const name = device.slice('emu:'.length);
  if (name !== '' && !PROFILE_IDS.includes(name as ProfileId)) {
    throw osError('ENODEV', `unknown emulated firmware ${JSON.stringify(name)} (try ${PROFILE_IDS.map((p) => `emu:${p}`).join(', ')})`);
  }
  const { startEmulator } = await import('../../emulator/emulator.js');
  const emulator = await startEmulator({ ...options, profile: (name || options.profile) as ProfileId | undefined });
  const host = emulator.host;
  if (!host) throw new Error('the emulator did not create its in-process pair');
  // The module boots first. Like serialport's open (which flushes the line), the host starts
  // after the boot banner: what the module printed before is discarded.
  host.onData(() => undefined);
  await emulator.ready;
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { ...hostPortOnPair(device, host, () => emulator.close()), emulator };
}

/**
 * A HostPort on the host end of an emulator's in-process pair (AT or NINA): bytes pass as they
 * are; the module closing on its own is reported as "the emulator stopped".
 */
export function hostPortOnPair(device: string, host: HostLink, stopEmulator: () => Promise<void>): HostPort {
  let closing = false;
  let closeListener: ((err: Error | null) => void) | null = null;
  host.onClose(() => {
    if (!closing) closeListener?.(new Error('the emulator stopped'));
  });
  return {
    path: device,
    async write(bytes) {
      host.write(bytes);
    },
    onData(listener) {
      host.onData(listener);
    },
    onClose(listener) {
      closeListener = listener;
    },
    async close() {
      closing = true;
      host.close();
      await stopEmulator();
    },
  };
}

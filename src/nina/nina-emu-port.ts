/**
 * `emu:` with `protocol: 'nina'`: a NINA module emulated in this process, on the emulator's
 * in-process pair. Loaded only when asked for, like the ESP-AT `emu:` port.
 */
import type { RunningNinaEmulator } from '../../emulator/nina/start-nina.js';
import type { EmulatorOptions } from '../host-port/emu-port.js';
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
  let closing = false;
  let closeListener: ((err: Error | null) => void) | null = null;
  host.onClose(() => {
    if (!closing) closeListener?.(new Error('the emulator stopped'));
  });
  return {
    path: device,
    emulator,
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
      await emulator.close();
    },
  };
}

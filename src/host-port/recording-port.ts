/**
 * The driver's recording hook: a HostPort that writes every byte both ways to a transcript
 * (docs/transcripts.md) on its way through, unchanged. `open(device, { record })` and the CLI's
 * `--record FILE` put it around whatever port the device opened.
 */
import { TranscriptRecorder } from '../transcript/recorder.js';
import type { HostPort } from './types.js';

/** A transcript file to create, or a recorder the caller owns (and closes). */
export type RecordTarget = string | TranscriptRecorder;

export async function recordHostPort(port: HostPort, target: RecordTarget, protocol: 'at' | 'nina' = 'at'): Promise<HostPort> {
  const owned = typeof target === 'string';
  const recorder = owned
    ? await TranscriptRecorder.open(target, { recorder: 'driver', protocol, baud: port.baudRate ?? null, device: port.path }).catch(async (err: unknown) => {
        await port.close();
        throw err;
      })
    : target;
  const recording: HostPort = {
    path: port.path,
    ...(port.baudRate !== undefined ? { baudRate: port.baudRate } : {}),
    write(bytes) {
      recorder.data('host', bytes);
      return port.write(bytes);
    },
    onData(listener) {
      port.onData((bytes) => {
        recorder.data('module', bytes);
        listener(bytes);
      });
    },
    onClose(listener) {
      port.onClose((err) => {
        recorder.lineEvent('device-detached');
        listener(err);
      });
    },
    async close() {
      await port.close();
      if (owned) await recorder.close();
    },
  };
  if (port.drained) recording.drained = () => port.drained!();
  return recording;
}

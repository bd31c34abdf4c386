import type { LineControlEvent, ModuleTransport, TransportSink } from './types.js';

/** Where a recording transport puts what crosses it (src/transcript/recorder.ts implements it). */
export interface LineRecorder {
  data(from: 'host' | 'module', bytes: Uint8Array): void;
  lineEvent(event: 'baud' | 'reset' | 'host-attached' | 'host-detached', rate?: number): void;
}

/**
 * `copro emulate --record`: a carrier that hands every byte both ways, and the host's line
 * events, to a recorder on their way through, unchanged. It wraps the carrier itself (under the
 * UART line model), so the transcript holds what was on the wire, as a tap in front would see it.
 * Every capability of the carrier (pause, pending bytes, the module's rate…) is passed on unchanged.
 */
export function recordTransport(inner: ModuleTransport, recorder: LineRecorder): ModuleTransport {
  const outer: ModuleTransport = {
    get address() {
      return inner.address;
    },
    setSink(sink: TransportSink) {
      inner.setSink({
        onData(bytes) {
          recorder.data('host', bytes);
          sink.onData(bytes);
        },
        onControl(event: LineControlEvent) {
          if (event.type === 'baud') recorder.lineEvent('baud', event.rate);
          else recorder.lineEvent(event.type);
          sink.onControl?.(event);
        },
      });
    },
    write(bytes) {
      recorder.data('module', bytes);
      inner.write(bytes);
    },
    hostBaudRate: () => inner.hostBaudRate(),
    close: () => inner.close(),
    pendingBytes: () => inner.pendingBytes(),
    droppedBytes: () => inner.droppedBytes(),
    drained: () => inner.drained(),
    lineQueuedBytes: () => inner.lineQueuedBytes(),
    lineDrained: () => inner.lineDrained(),
    pauseInput: () => inner.pauseInput(),
    resumeInput: () => inner.resumeInput(),
    setModuleBaudRate: (rate) => inner.setModuleBaudRate(rate),
  };
  return outer;
}

import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { FaultInjector } from '../../emulator/faults/injector.js';
import { createTransportPair } from '../../emulator/transport/pair-transport.js';
import type { ModuleTransport, TransportSink } from '../../emulator/transport/types.js';
import { Cleanup, FAST_WORLD, TestHost } from '../emulator/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A carrier standing for the line model: records the rates and holds it is asked for, 100 bytes always on the wire. */
class LineLikeTransport implements ModuleTransport {
  readonly rates: number[] = [];
  paused = 0;
  constructor(private readonly inner: ModuleTransport) {}
  get address(): string {
    return this.inner.address;
  }
  setSink(sink: TransportSink): void {
    this.inner.setSink(sink);
  }
  write(bytes: Uint8Array): void {
    this.inner.write(bytes);
  }
  hostBaudRate(): Promise<number | null> {
    return this.inner.hostBaudRate();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  pendingBytes(): number {
    return this.inner.pendingBytes();
  }
  droppedBytes(): number {
    return this.inner.droppedBytes();
  }
  drained(): Promise<void> {
    return this.inner.drained();
  }
  setModuleBaudRate(rate: number): void {
    this.rates.push(rate);
  }
  pauseInput(): void {
    this.paused++;
  }
  resumeInput(): void {}
  lineQueuedBytes(): number {
    return 100;
  }
  lineDrained(): Promise<void> {
    return Promise.resolve();
  }
}

describe('the serial fault layer passes its transport\'s capabilities on', () => {
  it('AT+UART_CUR still reaches the line model through the fault layer', async () => {
    const pair = createTransportPair();
    const line = new LineLikeTransport(pair.module);
    const faults = new FaultInjector({ seed: 1 });
    const emu = await startEmulator({ transport: line, world: FAST_WORLD, faults });
    cleanup.add(async () => {
      await emu.close();
      await pair.module.close();
    });
    const host = new TestHost(pair.host);
    await host.expect('\r\nready\r\n');
    await host.exchange('AT+UART_CUR=921600,8,1,0,0\r\n', 'AT+UART_CUR=921600,8,1,0,0\r\r\n\r\nOK\r\n');
    expect(line.rates).toContain(921600);
  });

  it('forwards every capability, counting held output as pending and as waiting for the wire', async () => {
    const faults = new FaultInjector({ seed: 1, faults: ['delay:by=200ms'] });
    const pair = createTransportPair();
    const line = new LineLikeTransport(pair.module);
    const wrapped = faults.wrap({ transport: line, stack: {} as never, handlers: {} }).transport;
    wrapped.pauseInput();
    expect(line.paused).toBe(1);
    wrapped.setModuleBaudRate(230400);
    expect(line.rates).toEqual([230400]);
    wrapped.write(Buffer.from('hello'));
    expect(wrapped.lineQueuedBytes()).toBe(105);
    expect(wrapped.pendingBytes()).toBe(line.pendingBytes() + 5);

    // A bare carrier: no line model, so a module rate changes nothing and no byte waits for the wire.
    const bare = createTransportPair().module;
    const plain = new FaultInjector({ seed: 1 }).wrap({ transport: bare, stack: {} as never, handlers: {} }).transport;
    plain.setModuleBaudRate(921600);
    expect(await bare.hostBaudRate()).toBeNull();
    expect(plain.lineQueuedBytes()).toBe(0);
    await expect(plain.lineDrained()).resolves.toBeUndefined();
    faults.detach();
    await pair.module.close();
    await bare.close();
  });
});

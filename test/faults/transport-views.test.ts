import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { FaultInjector } from '../../emulator/faults/injector.js';
import { createTransportPair } from '../../emulator/transport/pair-transport.js';
import { hasInputFlow, hasLineBackpressure, hasModuleRateControl } from '../../emulator/transport/line-control.js';
import type { ModuleTransport, TransportSink } from '../../emulator/transport/types.js';
import { Cleanup, FAST_WORLD, TestHost } from '../emulator/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A carrier with the line model's optional views, recording what reaches them. */
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

describe('the serial fault layer keeps its transport\'s optional views', () => {
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

  it('offers exactly the views the inner transport has, counting held output as pending', async () => {
    const faults = new FaultInjector({ seed: 1, faults: ['delay:by=200ms'] });
    const pair = createTransportPair();
    const line = new LineLikeTransport(pair.module);
    const wrapped = faults.wrap({ transport: line, stack: {} as never, handlers: {} }).transport;
    expect(hasModuleRateControl(wrapped) && hasInputFlow(wrapped) && hasLineBackpressure(wrapped)).toBe(true);
    (wrapped as unknown as LineLikeTransport).pauseInput();
    expect(line.paused).toBe(1);
    wrapped.write(Buffer.from('hello'));
    expect((wrapped as unknown as LineLikeTransport).lineQueuedBytes()).toBe(105);

    const plain = new FaultInjector({ seed: 1 }).wrap({ transport: createTransportPair().module, stack: {} as never, handlers: {} }).transport;
    expect(hasModuleRateControl(plain) || hasLineBackpressure(plain)).toBe(false);
    expect(typeof (plain as unknown as { drained?: unknown }).drained).toBe('function');
    faults.detach();
    await pair.module.close();
  });
});

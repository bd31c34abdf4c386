/**
 * `copro replay`: plays a transcript's module side to whatever host opens the transport, on
 * time (`exact`: the recorded gaps after the host's bytes and between the module's chunks) or
 * as soon as allowed (`asap`), checking the host against the transcript (replay-script.ts).
 * Opens no network socket: the world the transcript shows is only played back.
 */
import type { ModuleTransport } from '../../emulator/transport/types.js';
import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import type { Deviation, DueChunk, ReplayScript } from '../transcript/replay-script.js';

export type ReplayTiming = 'exact' | 'asap';

export type ReplayOutcome =
  | { readonly kind: 'complete'; readonly hostBytes: number; readonly moduleBytes: number }
  | { readonly kind: 'deviation'; readonly deviation: Deviation };

export interface ReplayOptions {
  /** What the host opens (a PTY or TCP transport); the replayer does not close it. */
  readonly transport: ModuleTransport;
  readonly script: ReplayScript;
  readonly timing?: ReplayTiming;
  readonly clock?: Clock;
  /** Host bytes as they arrive and module chunks as they leave, for a trace. */
  readonly onBytes?: (side: 'host' | 'module', bytes: Uint8Array) => void;
}

interface Scheduled extends DueChunk {
  /** When its host bytes had all arrived (clock ms). */
  readonly dueAt: number;
}

export class Replayer {
  readonly outcome: Promise<ReplayOutcome>;
  private settle!: (outcome: ReplayOutcome) => void;
  private readonly clock: Clock;
  private readonly queue: Scheduled[] = [];
  private pumping = false;
  private stopped = false;
  private lastSent: { at: number; t: number } | null = null;
  private moduleBytes = 0;

  constructor(private readonly options: ReplayOptions) {
    this.clock = options.clock ?? systemClock;
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    options.transport.setSink({ onData: (bytes) => this.fromHost(bytes) });
    this.release();
  }

  /** Stops playing (the outcome stays pending if it had not settled). */
  stop(): void {
    this.stopped = true;
  }

  private fromHost(bytes: Uint8Array): void {
    if (this.stopped) return;
    this.options.onBytes?.('host', bytes);
    const deviation = this.options.script.hostBytes(bytes);
    if (deviation) {
      this.stopped = true;
      this.settle({ kind: 'deviation', deviation });
      return;
    }
    this.release();
  }

  private release(): void {
    const now = this.clock.now();
    for (const chunk of this.options.script.takeDue()) {
      this.queue.push({ ...chunk, dueAt: now });
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    while (!this.stopped && this.queue.length > 0) {
      const chunk = this.queue.shift()!;
      const wait = this.sendAt(chunk) - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      if (this.stopped) break;
      this.options.transport.write(chunk.bytes);
      this.options.onBytes?.('module', chunk.bytes);
      this.moduleBytes += chunk.bytes.length;
      this.lastSent = { at: this.clock.now(), t: chunk.t };
    }
    this.pumping = false;
    if (!this.stopped && this.options.script.finished && this.queue.length === 0) {
      this.stopped = true;
      await this.options.transport.drained();
      this.settle({ kind: 'complete', hostBytes: this.options.script.receivedLength, moduleBytes: this.moduleBytes });
    }
  }

  /** Exact timing keeps the recorded gap after the host's bytes and after the previous chunk, whichever is later. */
  private sendAt(chunk: Scheduled): number {
    if (this.options.timing !== 'exact') return chunk.dueAt;
    const afterHost = chunk.dueAt + (chunk.t - chunk.afterHostT);
    const afterPrevious = this.lastSent ? this.lastSent.at + (chunk.t - this.lastSent.t) : afterHost;
    return Math.max(afterHost, afterPrevious);
  }
}

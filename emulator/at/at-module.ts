import { busy, errCode, type ErrorSubcategory } from '../../firmware-protocol/at/module-output.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { Clock } from '../../runtime/clock.js';
import type { LineRejection, ModuleInputEvent } from '../../firmware-protocol/at/types.js';
import type { NetworkStack } from '../network/types.js';
import type { WorldConfig } from '../world-config.js';
import type { LineControlEvent, ModuleTransport } from '../transport/types.js';
import type { ModuleFat } from '../storage/module-fat.js';
import type { Tracer } from '../trace.js';
import { dispatch } from './dispatch.js';
import type { FlashStore } from './flash-store.js';
import { AT_HANDLERS } from './handler-registry.js';
import type { HandlerTable } from './handler-types.js';
import { boot, halt, reboot } from './lifecycle.js';
import { ModuleCore } from './module-core.js';
import { watchStation } from './station-events.js';
import { watchSoftAp } from './soft-ap-state.js';

export interface AtModuleOptions {
  readonly transport: ModuleTransport;
  readonly stack: NetworkStack;
  readonly world: WorldConfig;
  readonly profile: FirmwareProfile;
  readonly tracer: Tracer;
  /** The FAT partition AT+FS uses; absent: none. */
  readonly fat?: ModuleFat;
  /** Replaces the command handlers (tests, extensions); the default emulates ESP-AT. */
  readonly handlers?: HandlerTable;
  /** The time of every module timer; default real time (runtime/clock.ts). */
  readonly clock?: Clock;
  /** Where AT+SYSFLASH's partitions are kept (the daemon's state directory); default: in memory. */
  readonly flash?: FlashStore;
}

const REJECTION_CODES: Readonly<Record<LineRejection, ErrorSubcategory | 'too-long'>> = {
  'no-at': 'no-at',
  'too-long': 'too-long',
  'param-parse': 'param-parse',
};

function endsLine(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[bytes.length - 2] === 0x0d && bytes[bytes.length - 1] === 0x0a;
}

/**
 * One emulated ESP-AT module on a transport: host bytes go through the codec's parser, each
 * event is answered at once. Commands are never queued: while one still runs, every newly
 * completed line gets `busy p...` and is dropped, as the 2.x firmware does. Nothing thrown by a
 * handler escapes the loop; it becomes ERROR.
 */
export class AtModule {
  readonly core: ModuleCore;
  private readonly handlers: HandlerTable;
  /**
   * A line was executed from the current input chunk. The firmware reads the UART in chunks and
   * runs a command as soon as its line is complete; bytes that came with it are looked at while
   * it runs, so a second line in the same chunk (`AT\r\nAT\r\n`, even `AT\r\n\r\n`) gets
   * `busy p...` (esp-at.md §1.1, issue #105; peers.md E6).
   */
  private lineRanThisChunk = false;

  constructor(options: AtModuleOptions) {
    this.core = new ModuleCore(options);
    this.handlers = options.handlers ?? AT_HANDLERS;
    watchStation(this.core);
    watchSoftAp(this.core);
    options.transport.setSink({
      onData: (bytes) => this.input(bytes),
      onControl: (event) => this.control(event),
    });
  }

  /** Powers the module on; resolves once `\r\nready\r\n` has been sent. */
  start(): Promise<void> {
    return boot(this.core);
  }

  /** Pulls the plug: every socket, server and timer of this module stops. The transport is the caller's. */
  async close(): Promise<void> {
    if (this.core.closed) return;
    halt(this.core);
    this.core.closed = true;
    await this.core.stack.closeAll().catch(() => undefined);
  }

  private input(bytes: Buffer): void {
    const core = this.core;
    if (core.closed) return;
    core.tracer.fromHost(bytes);
    // Booting or asleep: the firmware's UART driver is not running yet, so the bytes are lost
    // (no echo, no `busy p...`).
    if (core.booting) {
      core.tracer.note(`${bytes.length} bytes lost: the module is not running`);
      return;
    }
    core.parser.push(bytes);
    this.lineRanThisChunk = false;
    for (let event = core.parser.next(); event !== undefined; event = core.parser.next()) {
      try {
        this.handle(event);
      } catch (error) {
        this.failed(error);
      }
      if (core.closed) return;
    }
  }

  private control(event: LineControlEvent): void {
    this.core.tracer.note(`line control: ${event.type}${event.type === 'baud' ? ` ${event.rate}` : ''}`);
    if (event.type === 'reset' && !this.core.closed) void reboot(this.core, { why: 'reset line' });
  }

  private handle(event: ModuleInputEvent): void {
    const core = this.core;
    const occupied = core.busy || core.booting || this.lineRanThisChunk;
    switch (event.type) {
      case 'echo':
        if (core.settings.volatile.echo) core.write(event.bytes);
        // A line completed while the previous command still runs: refused, not queued.
        if (occupied && endsLine(event.bytes)) this.answerBusy();
        return;
      case 'command':
        if (occupied) return;
        this.lineRanThisChunk = true;
        this.run(() => dispatch(core, this.handlers, event.command));
        return;
      case 'rejected':
        if (occupied) return;
        this.lineRanThisChunk = true;
        core.error(REJECTION_CODES[event.reason]);
        return;
      case 'data': {
        const handler = core.takeDataHandler();
        if (handler) this.run(() => handler(event.bytes));
        return;
      }
      case 'passthrough':
        core.passthrough?.input(event.bytes);
        return;
      case 'data-part':
        core.dataPartHandler?.(event.bytes);
        return;
    }
  }

  private answerBusy(): void {
    const core = this.core;
    if (core.settings.volatile.sysLog) core.write(errCode('busy'));
    core.write(busy('p'));
  }

  /** Runs a handler; a promise keeps the module busy until it settles. */
  private run(work: () => void | Promise<void>): void {
    const core = this.core;
    const result = work();
    if (!(result instanceof Promise)) return;
    const epoch = core.epoch;
    core.busy = true;
    result
      .catch((error: unknown) => {
        if (core.isCurrent(epoch)) this.failed(error);
      })
      .finally(() => {
        if (core.isCurrent(epoch)) core.busy = false;
      });
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.core.tracer.note(`internal error, answered ERROR: ${message}`);
    this.core.error('exec-failed');
  }
}

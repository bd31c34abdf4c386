import { findNinaCommand } from '../../firmware-protocol/nina/command-table.js';
import { REPLY_FLAG } from '../../firmware-protocol/nina/constants.js';
import { formatErrorReply, formatReply } from '../../firmware-protocol/nina/formatters.js';
import { NinaRequestParser } from '../../firmware-protocol/nina/request-parser.js';
import type { NinaRequestEvent } from '../../firmware-protocol/nina/types.js';
import type { ClockTimer } from '../../runtime/clock.js';
import type { LineControlEvent } from '../transport/types.js';
import { BadRequest, type NinaAnswer, type NinaCall } from './handler-types.js';
import { NINA_HANDLERS, type NinaHandlerTable } from './handler-registry.js';
import { NinaCore, type NinaCoreInit } from './nina-core.js';

export interface NinaModuleOptions extends NinaCoreInit {
  /** Replaces the command handlers (tests, extensions); the default emulates nina-fw 2.0.0. */
  readonly handlers?: NinaHandlerTable;
}

/**
 * Host bytes a busy module keeps for later (what a UART driver's receive buffer holds); beyond it the
 * input is dropped, as an overrun UART drops it.
 */
export const MAX_PENDING_INPUT = 64 * 1024;

/**
 * How long the chip takes to boot after a reset it did not expect (an injected brown-out), before
 * world timing's scale: frames that arrive meanwhile reach no firmware and are never answered. Hosts
 * wait a fixed 750 ms after pulsing RESETN (peers.md §1.1); the ESP32 is up within that. UNSURE: the
 * real time from reset to nina-fw's command loop is not documented; 500 ms is inside the host's wait.
 */
export const NINA_REBOOT_MS = 500;

/** A short, readable form of a request for the trace: name and parameters. */
function describe(call: NinaCall): string {
  const name = findNinaCommand(call.command)?.name ?? `0x${call.command.toString(16).padStart(2, '0')}`;
  const params = call.params.map((p) =>
    p.length <= 12 ? `[${Buffer.from(p).toString('hex')}]` : `[${p.length} bytes]`,
  );
  return params.length === 0 ? name : `${name} ${params.join(' ')}`;
}

/**
 * One emulated NINA module (nina-fw 2.0.0 on an ESP32) on a byte-stream transport. Requests are
 * answered one at a time, in order, like the firmware's loop (receive a command, run it, send the
 * reply): while a handler still runs (join scan, DNS, connect, send) later bytes wait in the parser,
 * as they would in a UART FIFO — there is no READY line on a stream to tell the host to hold off.
 * The module never speaks unasked. Nothing thrown by a handler escapes: it becomes the error reply.
 */
export class NinaModule {
  readonly core: NinaCore;
  private readonly handlers: NinaHandlerTable;
  private readonly parser = new NinaRequestParser();
  private busy = false;
  /** Set while the chip reboots after an injected reset: input is dropped. */
  private rebooting: ClockTimer | null = null;

  constructor(options: NinaModuleOptions) {
    this.core = new NinaCore(options);
    this.handlers = options.handlers ?? NINA_HANDLERS;
    options.transport.setSink({
      onData: (bytes) => this.input(bytes),
      onControl: (event) => this.control(event),
    });
  }

  /**
   * Powers the module on. nina-fw prints nothing at boot (hosts wait a fixed 750 ms after reset): the
   * emulated module is ready at once and resolves immediately.
   */
  start(): Promise<void> {
    this.core.tracer.note(`NINA firmware ${this.core.firmwareVersion} ready (no banner: NINA speaks only when spoken to)`);
    return Promise.resolve();
  }

  /** Pulls the plug: every socket, server and timer of this module stops. The transport is the caller's. */
  async close(): Promise<void> {
    if (this.core.closed) return;
    this.core.closed = true;
    this.endReboot();
    this.parser.reset();
    await this.core.halt();
  }

  /** A reset pulse: sockets and association are gone, partial input is forgotten. */
  async reset(why: string): Promise<void> {
    this.core.tracer.note(`reset (${why})`);
    this.parser.reset();
    this.busy = false;
    await this.core.halt();
  }

  /**
   * The chip resets on its own (fault injection: a brown-out, as RESETN would): like reset(), and the
   * firmware is not running for `bootMs` — frames meanwhile are never answered. nina-fw says nothing
   * when it is back (no banner), so the host learns of it only from what it asks afterwards.
   */
  reboot(why: string, bootMs: number): Promise<void> {
    this.endReboot();
    if (bootMs > 0) {
      this.rebooting = this.core.clock.setTimeout(() => {
        this.rebooting = null;
        this.core.tracer.note(`NINA firmware ${this.core.firmwareVersion} running again after the reset`);
      }, bootMs);
    }
    return this.reset(why);
  }

  private endReboot(): void {
    if (this.rebooting) this.core.clock.clearTimeout(this.rebooting);
    this.rebooting = null;
  }

  private input(bytes: Buffer): void {
    const core = this.core;
    if (core.closed) return;
    core.tracer.fromHost(bytes);
    if (this.rebooting) {
      core.tracer.note(`${bytes.length} bytes while the chip reboots: no firmware reads them`);
      return;
    }
    if (this.busy && this.parser.unreadLength + bytes.length > MAX_PENDING_INPUT) {
      core.tracer.note(`input overrun: ${bytes.length} bytes dropped while a request runs`);
      return;
    }
    this.parser.push(bytes);
    this.pump();
  }

  private control(event: LineControlEvent): void {
    this.core.tracer.note(`line control: ${event.type}${event.type === 'baud' ? ` ${event.rate}` : ''}`);
    if (event.type === 'reset' && !this.core.closed) void this.reset('reset line');
  }

  /** Runs requests until one has to wait or the input holds no further event. */
  private pump(): void {
    while (!this.busy && !this.core.closed) {
      const event = this.parser.next();
      if (event === undefined) return;
      this.handle(event);
    }
  }

  private handle(event: NinaRequestEvent): void {
    const tracer = this.core.tracer;
    switch (event.type) {
      case 'garbage':
        tracer.note(`no START where a frame must begin (0x${event.firstByte.toString(16).padStart(2, '0')}…): error reply`);
        return this.errorReply();
      case 'malformed':
        tracer.note(`malformed request 0x${event.command.toString(16)} (${event.reason}, ${event.length} bytes): error reply`);
        return this.errorReply();
      case 'request':
        return this.request(event);
    }
  }

  private request(call: NinaCall): void {
    const core = this.core;
    core.tracer.note(describe(call));
    const entry = call.command & REPLY_FLAG ? undefined : this.handlers.get(call.command);
    if (entry === undefined) {
      const known = findNinaCommand(call.command);
      const why = call.command & REPLY_FLAG || !known?.inFirmware ? 'not a nina-fw command' : 'not emulated';
      core.tracer.note(`${known?.name ?? 'unknown command'}: ${why}, error reply`);
      return this.errorReply();
    }
    const epoch = core.epoch;
    let result: NinaAnswer | Promise<NinaAnswer>;
    try {
      result = entry.handler(core, call);
    } catch (error) {
      return core.isCurrent(epoch) ? this.failed(error) : undefined;
    }
    // The chip reset while running the command (fault injection): nothing answers it.
    if (!core.isCurrent(epoch)) {
      if (result instanceof Promise) result.catch(() => undefined);
      return;
    }
    if (!(result instanceof Promise)) return this.answer(call.command, result);
    this.busy = true;
    result
      .then((answer) => {
        if (core.isCurrent(epoch)) this.answer(call.command, answer);
      })
      .catch((error: unknown) => {
        if (core.isCurrent(epoch)) this.failed(error);
      })
      .finally(() => {
        if (!core.isCurrent(epoch)) return;
        this.busy = false;
        this.pump();
      });
  }

  private answer(command: number, answer: NinaAnswer): void {
    if (answer === null) return this.errorReply();
    this.core.write(formatReply(command, answer));
  }

  private errorReply(): void {
    this.core.write(formatErrorReply());
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof BadRequest) this.core.tracer.note(`bad request: ${message}, error reply`);
    else this.core.tracer.note(`internal error, error reply: ${error instanceof Error ? (error.stack ?? message) : message}`);
    this.errorReply();
  }
}

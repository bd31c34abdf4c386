import type { Tracer } from '../trace.js';
import type { FaultPlan } from './fault-plan.js';
import type { FaultKind } from './fault-spec.js';
import type { FaultReporter } from './reporter.js';

/** What the injector gives a front end's module fault layer. */
export interface ModuleFaultContext {
  readonly plan: FaultPlan;
  readonly report: FaultReporter;
  /** Called before every injected reset (the serial layer empties its FIFOs). */
  readonly beforeReset: () => void;
}

/**
 * The module fault layer of one front end (ESP-AT: module-faults.ts; NINA: nina-module-faults.ts):
 * how `reset`, `wifi-drop` and the command-level faults act on that front end's chip. The serial
 * and network layers are the same for every front end; this one is the front end's own, and the
 * front end supplies it (FaultInjector.wrapModule), so nothing else branches on the protocol.
 * `Handlers` is the front end's command table (wrapped so a command is an opportunity), `Module`
 * the module built from the wrapped parts.
 */
export interface ModuleFaultLayer<Handlers, Module> {
  /** The front end's name, for messages ("ESP-AT", "NINA"). */
  readonly frontEnd: string;
  /** Why `kind` cannot act on this front end's chip, or null when it can (arming it is then refused). */
  refusal(kind: FaultKind): string | null;
  /** Every handler of `table`, with the command faults in front of it: one command is one opportunity. */
  wrapHandlers(table: Handlers): Handlers;
  /** The module built from the wrapped parts; returns its trace (FAULT notes go there). */
  attach(module: Module): Tracer;
  /** The chip resets now. Returns one line saying what happened. */
  reset(why: string): string;
  /** An unsolicited busy line now (only where refusal() allows the kind). */
  busyLine(kind: 'busy-p' | 'busy-s', why: string): string;
  /** The AP goes away (`rejoin`: when it is back; absent: at once; never: this front end's reading). */
  dropWifi(rejoin: number | 'never' | undefined, why: string): string;
  dispose(): void;
}

/** A front end's layer, built on the injector's plan and reporter. */
export type ModuleFaultLayerFactory<Handlers, Module> = (context: ModuleFaultContext) => ModuleFaultLayer<Handlers, Module>;

import { randomInt } from 'node:crypto';
import { systemClock, type Clock, type ClockTimer } from '../../runtime/clock.js';
import type { AtModule } from '../at/at-module.js';
import type { HandlerTable } from '../at/handler-types.js';
import type { NetworkStack } from '../network/types.js';
import type { ModuleTransport } from '../transport/types.js';
import { NULL_TRACER, type Tracer } from '../trace.js';
import { FaultPlan, type ArmedFault } from './fault-plan.js';
import { formatFaultSpec } from './fault-format.js';
import {
  DEFAULT_STALL_MS,
  FaultSpecError,
  FAULT_KINDS,
  KIND_INFO,
  parseFaultSpec,
  type FaultKind,
  type FaultSpec,
  type ParseOptions,
} from './fault-spec.js';
import { FaultyStack } from './faulty-stack.js';
import { FaultyTransport } from './faulty-transport.js';
import type { ModuleFaultLayer, ModuleFaultLayerFactory } from './module-fault-layer.js';
import { ModuleFaults } from './module-faults.js';
import type { FaultReporter } from './reporter.js';

/** What a module is built from: the fault layers wrap each of them (`Handlers`: the front end's command table). */
export interface ModuleParts<Handlers = HandlerTable> {
  readonly transport: ModuleTransport;
  readonly stack: NetworkStack;
  readonly handlers: Handlers;
}

/** wrapModule()'s parts, and how to hand the injector the module built from them. */
export interface WrappedModuleParts<Handlers, Module> extends ModuleParts<Handlers> {
  /** The module built from these parts: time triggers start now, FAULT notes go to its trace. */
  attach(module: Module): void;
}

/** The module layer's actions the injector fires (its other half, wrapHandlers/attach, is the front end's). */
type ModuleFaultActions = Pick<ModuleFaultLayer<never, never>, 'frontEnd' | 'refusal' | 'reset' | 'busyLine' | 'dropWifi' | 'dispose'>;

export interface FaultInjectorOptions {
  /** Seed of every random choice; default: a random one (see `seed`, printed so a run can be replayed). */
  readonly seed?: number;
  /** Faults armed from the start (spec text or parsed). */
  readonly faults?: readonly (string | FaultSpec)[];
}

export interface ArmedFaultStatus {
  readonly spec: string;
  readonly opportunities: number;
  readonly fired: number;
  readonly spent: boolean;
}

export interface FaultStatus {
  readonly seed: number;
  readonly armed: readonly ArmedFaultStatus[];
  /** Injections so far, by kind (bytes count one each). */
  readonly injected: Readonly<Record<FaultKind, number>>;
}

export type InjectionListener = (kind: FaultKind, detail: string, count: number) => void;

/**
 * One module's faults: the seeded plan, the three layers that act on it (serial, network,
 * module), and the timers of time-triggered faults. Build the module from `wrap(parts)`, then
 * `attach(module)` (ESP-AT), or from `wrapModule(parts, clock, layer)` and its `attach` (any front
 * end, which supplies its module layer); `apply()` arms a fault or fires it at once, as `copro
 * fault` asks. A kind the front end's module layer cannot apply (busy-p on NINA) is refused when
 * it is armed or wrapModule() is called with it armed (FaultSpecError), never ignored.
 * Every injection is a `FAULT …` note in the module's trace.
 */
export class FaultInjector {
  readonly plan: FaultPlan;
  private transport: FaultyTransport | null = null;
  private stack: FaultyStack | null = null;
  /** The front end's module layer, from wrap()/wrapModule(). */
  private module: ModuleFaultActions | null = null;
  private attachAt: ((module: AtModule) => void) | null = null;
  private tracer: Tracer = NULL_TRACER;
  private attached = false;
  private readonly timers = new Map<string, ClockTimer>();
  /** The module's clock, from wrap(): time-triggered faults and the layers' holds run on it. */
  private clock: Clock = systemClock;
  private readonly counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  private readonly listeners = new Set<InjectionListener>();
  private readonly reporter: FaultReporter = {
    injected: (kind, detail, count = 1) => {
      this.counts[kind] += count;
      if (detail !== '') this.tracer.note(`FAULT ${detail}`);
      for (const listener of this.listeners) listener(kind, detail, count);
    },
    note: (detail) => this.tracer.note(`FAULT ${detail}`),
  };

  constructor(options: FaultInjectorOptions = {}) {
    this.plan = new FaultPlan(options.seed ?? randomInt(0, 0xffffffff));
    for (const fault of options.faults ?? []) this.arm(typeof fault === 'string' ? parseFaultSpec(fault) : fault);
  }

  get seed(): number {
    return this.plan.seed;
  }

  /**
   * The module's parts with the fault layers around them (call once, before building the module).
   * `clock` is the module's: its time triggers, delays, stalls and slow DNS failures run on it.
   */
  wrap(parts: ModuleParts, clock: Clock = systemClock): ModuleParts {
    const wrapped = this.wrapModule(parts, clock, ModuleFaults.layer);
    this.attachAt = wrapped.attach;
    return { transport: wrapped.transport, stack: wrapped.stack, handlers: wrapped.handlers };
  }

  /** The ESP-AT module built from wrap()'s parts: time triggers start now, FAULT notes go to its trace. */
  attach(module: AtModule): void {
    if (!this.attachAt) throw new Error('wrap() the ESP-AT module parts first');
    this.attachAt(module);
  }

  /**
   * Any front end's parts with the fault layers around them: the serial and network layers are
   * everyone's, the module layer is the front end's (`layer`). Throws FaultSpecError when a fault
   * already armed is one this front end cannot apply.
   */
  wrapModule<Handlers, Module>(
    parts: ModuleParts<Handlers>,
    clock: Clock,
    layer: ModuleFaultLayerFactory<Handlers, Module>,
  ): WrappedModuleParts<Handlers, Module> {
    if (this.transport) throw new Error('a FaultInjector serves one module');
    const module = layer({ plan: this.plan, report: this.reporter, beforeReset: () => this.transport?.purge() });
    for (const fault of this.plan.armed()) this.refuseOn(module, fault.spec);
    this.module = module;
    this.clock = clock;
    this.transport = new FaultyTransport(parts.transport, this.plan, this.reporter, clock);
    this.stack = new FaultyStack(parts.stack, this.plan, this.reporter, clock);
    return {
      transport: this.transport,
      stack: this.stack,
      handlers: module.wrapHandlers(parts.handlers),
      attach: (built: Module) => this.started(module.attach(built)),
    };
  }

  /**
   * Throws FaultSpecError when a fault armed now is one `layer`'s front end cannot apply: a caller
   * checks before it opens anything (wrapModule() checks again).
   */
  checkFor<Handlers, Module>(layer: ModuleFaultLayerFactory<Handlers, Module>): void {
    const module = layer({ plan: this.plan, report: this.reporter, beforeReset: () => undefined });
    for (const fault of this.plan.armed()) this.refuseOn(module, fault.spec);
  }

  /** The module layer's front end ("ESP-AT", "NINA"), or null before wrap(). */
  get frontEnd(): string | null {
    return this.module?.frontEnd ?? null;
  }

  private started(tracer: Tracer): void {
    this.tracer = tracer;
    this.attached = true;
    this.tracer.note(`FAULT plan seed ${this.seed}${this.describeArmed()}`);
    for (const fault of this.plan.armed()) this.scheduleTimer(fault);
  }

  /** Throws FaultSpecError when the module's front end cannot apply `spec`'s kind. */
  private refuseOn(module: ModuleFaultActions | null, spec: FaultSpec): void {
    const refusal = module?.refusal(spec.kind) ?? null;
    if (refusal !== null) throw new FaultSpecError(formatFaultSpec(spec), refusal);
  }

  /**
   * Arms a fault, or fires it at once when its trigger is `now` (a missing trigger on an event
   * kind means now here). Returns one line saying what happened. Throws FaultSpecError.
   */
  apply(spec: string | FaultSpec, options: ParseOptions = { allowNow: true }): string {
    const parsed = typeof spec === 'string' ? parseFaultSpec(spec, options) : spec;
    this.refuseOn(this.module, parsed);
    if (parsed.trigger.type !== 'now') return `armed ${this.arm(parsed).text}`;
    if (!this.attached) throw new Error('no module is running yet');
    const kind = parsed.kind;
    if (parsed.params.max !== undefined) throw new Error('max= makes no sense with now');
    return this.fire(kind, parsed, 'now');
  }

  /** Disarms faults of these kinds (all when absent); returns their spec texts. */
  clear(kinds?: readonly FaultKind[]): string[] {
    const removed = this.plan.disarm(kinds);
    for (const fault of removed) this.stopTimer(fault.key);
    if (removed.length > 0) this.tracer.note(`FAULT cleared ${removed.map((fault) => fault.text).join(' ')}`);
    return removed.map((fault) => fault.text);
  }

  /** Restarts every armed fault with random streams from a new seed. */
  reseed(seed: number): void {
    for (const key of [...this.timers.keys()]) this.stopTimer(key);
    const rearmed = this.plan.reseed(seed);
    this.tracer.note(`FAULT plan seed ${this.seed}${this.describeArmed()}`);
    if (this.attached) for (const fault of rearmed) this.scheduleTimer(fault);
  }

  status(): FaultStatus {
    return {
      seed: this.seed,
      armed: this.plan.armed().map((fault) => ({
        spec: fault.text,
        opportunities: fault.opportunities,
        fired: fault.fired,
        spent: this.plan.spent(fault),
      })),
      injected: { ...this.counts },
    };
  }

  /** Hears every injection (soak counters, tests); returns the unsubscribe. */
  onInjected(listener: InjectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops every timer and held byte; the module is going away. */
  detach(): void {
    for (const key of [...this.timers.keys()]) this.stopTimer(key);
    this.transport?.dispose();
    this.stack?.dispose();
    this.module?.dispose();
    this.attached = false;
  }

  private arm(spec: FaultSpec): ArmedFault {
    this.refuseOn(this.module, spec);
    const fault = this.plan.arm(spec);
    this.stopTimer(fault.key);
    if (this.attached) {
      this.tracer.note(`FAULT armed ${fault.text}`);
      this.scheduleTimer(fault);
    }
    return fault;
  }

  private scheduleTimer(fault: ArmedFault): void {
    const delay = this.plan.nextDelayMs(fault);
    if (delay === null) return;
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(fault.key);
      if (!this.plan.fireEvent(fault)) return;
      this.fire(fault.spec.kind, fault.spec, `timer ${fault.text}`);
      this.scheduleTimer(fault);
    }, delay);
    this.timers.set(fault.key, timer);
  }

  private stopTimer(key: string): void {
    const timer = this.timers.get(key);
    if (timer) this.clock.clearTimeout(timer);
    this.timers.delete(key);
  }

  /** Does an event fault's thing at once. */
  private fire(kind: FaultKind, spec: FaultSpec, why: string): string {
    switch (kind) {
      case 'reset':
        return this.module?.reset(why) ?? 'reset: no module';
      case 'busy-p':
      case 'busy-s':
        return this.module?.busyLine(kind, why) ?? `${kind}: module not running`;
      case 'wifi-drop':
        return this.module?.dropWifi(spec.params.rejoin, why) ?? 'wifi-drop: no module';
      case 'tcp-reset': {
        const count = this.stack?.resetLinks(spec.params.port, `(${why})`) ?? 0;
        return `tcp-reset: ${count} link${count === 1 ? '' : 's'} reset`;
      }
      case 'stall': {
        const ms = spec.params.for ?? DEFAULT_STALL_MS;
        this.transport?.stall(ms, spec.params.dir);
        this.reporter.injected('stall', `stall: line silent for ${ms} ms (${why})`);
        return `stall: line silent for ${ms} ms`;
      }
      default:
        throw new Error(`${kind} happens at each ${KIND_INFO[kind].opportunity}, not at an instant`);
    }
  }

  private describeArmed(): string {
    const armed = this.plan.armed();
    return armed.length === 0 ? ', nothing armed' : `: ${armed.map((fault) => fault.text).join(' ')}`;
  }
}

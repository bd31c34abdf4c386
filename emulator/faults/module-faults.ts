import { busy, errCode } from '../../firmware-protocol/at/module-output.js';
import type { AtModule } from '../at/at-module.js';
import type { CommandHandler, HandlerTable } from '../at/handler-types.js';
import { reboot } from '../at/lifecycle.js';
import type { ModuleCore } from '../at/module-core.js';
import { stopReconnecting } from '../at/wifi-reconnect.js';
import type { ArmedFault, FaultPlan } from './fault-plan.js';
import type { FaultKind } from './fault-spec.js';
import type { ModuleFaultContext, ModuleFaultLayer } from './module-fault-layer.js';
import type { FaultReporter } from './reporter.js';
import type { Tracer } from '../trace.js';

/**
 * The module fault layer, on the AT front end's own seams: the handler table is wrapped (so a
 * command can be refused with `busy p...`, or the chip can reset as it arrives), a reset is the
 * firmware's own reboot (lifecycle.ts), a WiFi loss is the simulated AP going away
 * (station.takeApAway / dropAssociation), which the firmware's own reconnection
 * (at/wifi-reconnect.ts, AT+CWRECONNCFG) answers.
 */
export class ModuleFaults implements ModuleFaultLayer<HandlerTable, AtModule> {
  readonly frontEnd = 'ESP-AT';
  private core: ModuleCore | null = null;

  constructor(
    private readonly plan: FaultPlan,
    private readonly report: FaultReporter,
    /** Called before every injected reset (the serial layer empties its FIFOs). */
    private readonly beforeReset: () => void,
  ) {}

  /** The AT layer of a FaultInjector (FaultInjector.wrap's default front end). */
  static layer(context: ModuleFaultContext): ModuleFaults {
    return new ModuleFaults(context.plan, context.report, context.beforeReset);
  }

  /** Every kind acts on an ESP-AT module. */
  refusal(): string | null {
    return null;
  }

  attach(module: AtModule): Tracer {
    this.core = module.core;
    return module.core.tracer;
  }

  /** Every handler of `table`, with the command faults in front of it. */
  wrapHandlers(table: HandlerTable): HandlerTable {
    const wrapped: Record<string, Record<string, CommandHandler>> = {};
    for (const [name, forms] of Object.entries(table)) {
      wrapped[name] = {};
      for (const [form, handler] of Object.entries(forms)) {
        if (handler) wrapped[name][form] = (core, call) => this.command(core, call.spec.name, () => handler(core, call));
      }
    }
    return wrapped;
  }

  /** Resets the module now (brown-out): `ready` follows, links are gone. */
  reset(why: string): string {
    const core = this.core;
    if (!core || core.closed) return 'reset: no module';
    this.beforeReset();
    this.report.injected('reset', `reset: module resets (${why})`);
    void reboot(core, { why: 'fault injection' });
    return 'reset: module resets, `ready` follows';
  }

  /** An unsolicited `busy p...` / `busy s...` line now. */
  busyLine(kind: 'busy-p' | 'busy-s', why: string): string {
    const core = this.core;
    if (!core || core.closed || core.booting) return `${kind}: module not running`;
    this.writeBusy(core, kind);
    this.report.injected(kind, `${kind}: stray line (${why})`);
    return `${kind}: sent`;
  }

  /**
   * The AP goes away: with `rejoin` ms it is back after that long and the firmware's reconnection
   * finds it; absent, it is back at once (the reconnection's interval decides when); `never`: the
   * module does not reconnect on its own this time (the AP stays, for the host to join again).
   */
  dropWifi(rejoin: number | 'never' | undefined, why: string): string {
    const core = this.core;
    if (!core || core.closed) return 'wifi-drop: no module';
    const station = core.stack.station;
    const dropped = typeof rejoin === 'number' ? station.takeApAway(rejoin) : station.dropAssociation();
    if (!dropped) return 'wifi-drop: station not associated, nothing dropped';
    if (rejoin === 'never') stopReconnecting(core);
    const after = rejoin === 'never' ? 'no reconnection' : typeof rejoin === 'number' ? `back in ${Math.round(rejoin)} ms` : 'back at once';
    this.report.injected('wifi-drop', `wifi-drop: AP lost (${why}); ${after}`);
    return `wifi-drop: AP lost, ${after}`;
  }

  dispose(): void {
    this.core = null;
  }

  private command(core: ModuleCore, name: string, run: () => void | Promise<void>): void | Promise<void> {
    // Every armed command fault gets its chance at every command, fired or not, so one fault's
    // firing never shifts another's random stream.
    const fired = new Map<FaultKind, ArmedFault>();
    for (const kind of ['reset', 'busy-p', 'busy-s', 'wifi-drop'] as const) {
      const fault = this.plan.find(kind);
      if (fault && this.plan.chance(fault)) fired.set(kind, fault);
    }
    const command = name.startsWith('AT') ? name : `AT+${name}`;
    const why = `at ${command}`;
    if (fired.has('reset')) {
      this.reset(why);
      return;
    }
    if (fired.has('wifi-drop')) this.dropWifi(fired.get('wifi-drop')!.spec.params.rejoin, why);
    const busyFault = fired.get('busy-p') ?? fired.get('busy-s');
    if (!busyFault) return run();
    const kind = busyFault.spec.kind as 'busy-p' | 'busy-s';
    if (!busyFault.spec.params.afterOk) {
      this.writeBusy(core, kind);
      this.report.injected(kind, `${kind}: ${command} refused`);
      return;
    }
    // E6: a stray busy line right after the command's own answer.
    const epoch = core.epoch;
    const after = (): void => {
      if (!core.isCurrent(epoch)) return;
      this.writeBusy(core, kind);
      this.report.injected(kind, `${kind}: stray line after ${command}'s answer`);
    };
    const result = run();
    if (result instanceof Promise) return result.finally(after);
    after();
  }

  private writeBusy(core: ModuleCore, kind: 'busy-p' | 'busy-s'): void {
    if (kind === 'busy-p' && core.settings.volatile.sysLog) core.write(errCode('busy'));
    core.write(busy(kind === 'busy-p' ? 'p' : 's'));
  }
}

import { busy, errCode } from '../../firmware-protocol/at/module-output.js';
import type { AtModule } from '../at/at-module.js';
import type { CommandHandler, HandlerTable } from '../at/handler-types.js';
import { reboot } from '../at/lifecycle.js';
import type { ModuleCore } from '../at/module-core.js';
import type { ClockTimer } from '../../runtime/clock.js';
import type { ArmedFault, FaultPlan } from './fault-plan.js';
import type { FaultKind } from './fault-spec.js';
import type { FaultReporter } from './reporter.js';

/** Commands after which a pending fault rejoin must not happen: the host took charge of the station. */
const STATION_COMMANDS = new Set(['CWJAP', 'CWJAP_CUR', 'CWJAP_DEF', 'CWQAP', 'CWMODE', 'CWMODE_CUR', 'CWMODE_DEF', 'RST', 'RESTORE']);

/**
 * The module fault layer, on the AT front end's own seams: the handler table is wrapped (so a
 * command can be refused with `busy p...`, or the chip can reset as it arrives), a reset is the
 * firmware's own reboot (lifecycle.ts), a WiFi loss is the simulated AP going away
 * (station.dropAssociation) followed by the firmware's automatic rejoin.
 */
export class ModuleFaults {
  private core: ModuleCore | null = null;
  private rejoinTimer: { readonly core: ModuleCore; readonly timer: ClockTimer } | null = null;

  constructor(
    private readonly plan: FaultPlan,
    private readonly report: FaultReporter,
    /** Called before every injected reset (the serial layer empties its FIFOs). */
    private readonly beforeReset: () => void,
  ) {}

  attach(module: AtModule): void {
    this.core = module.core;
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
    this.cancelRejoin();
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

  /** The AP goes away; the station rejoins after `rejoin` ms (absent: the join's reconn_interval). */
  dropWifi(rejoin: number | 'never' | undefined, why: string): string {
    const core = this.core;
    if (!core || core.closed) return 'wifi-drop: no module';
    this.cancelRejoin();
    if (!core.stack.station.dropAssociation()) return 'wifi-drop: station not associated, nothing dropped';
    const delay = this.rejoinDelay(core, rejoin);
    this.report.injected(
      'wifi-drop',
      `wifi-drop: AP lost (${why}); ${delay === null ? 'no rejoin' : `rejoin in ${Math.round(delay)} ms`}`,
    );
    if (delay !== null) this.scheduleRejoin(core, delay);
    return `wifi-drop: AP lost${delay === null ? '' : `, rejoin in ${Math.round(delay)} ms`}`;
  }

  dispose(): void {
    this.cancelRejoin();
    this.core = null;
  }

  private command(core: ModuleCore, name: string, run: () => void | Promise<void>): void | Promise<void> {
    if (STATION_COMMANDS.has(name)) this.cancelRejoin();
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

  /** The firmware reconnects after reconn_interval seconds (module time, so world-scaled); 0 = never. */
  private rejoinDelay(core: ModuleCore, rejoin: number | 'never' | undefined): number | null {
    if (rejoin === 'never') return null;
    if (rejoin !== undefined) return rejoin;
    const join = core.settings.current.join;
    if (!join || join.reconnInterval <= 0) return null;
    return core.scaledMs(join.reconnInterval * 1000);
  }

  private scheduleRejoin(core: ModuleCore, delay: number): void {
    const epoch = core.epoch;
    const timer = core.clock.setTimeout(() => {
      this.rejoinTimer = null;
      const join = core.settings.current.join;
      if (!core.isCurrent(epoch) || !join || core.stack.station.info().connected) return;
      const attempt = ++core.wifi.attempt;
      core.wifi.phase = 'connecting';
      this.report.note(`wifi-drop: rejoining "${join.ssid}"`);
      core.stack.station
        .join(join.ssid, join.password, { bssid: join.bssid ?? undefined, timeoutMs: core.profile.timing.joinTimeoutMs })
        .catch((error: Error) => {
          if (core.isCurrent(epoch) && core.wifi.attempt === attempt) core.wifi.phase = 'disconnected';
          this.report.note(`wifi-drop: rejoin failed: ${error.message}`);
        });
    }, delay);
    this.rejoinTimer = { core, timer };
  }

  private cancelRejoin(): void {
    if (this.rejoinTimer) this.rejoinTimer.core.clock.clearTimeout(this.rejoinTimer.timer);
    this.rejoinTimer = null;
  }
}

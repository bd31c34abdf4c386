import type { NinaHandlerEntry } from '../nina/handler-types.js';
import type { NinaHandlerTable } from '../nina/handler-registry.js';
import { NINA_REBOOT_MS, type NinaModule } from '../nina/nina-module.js';
import { findNinaCommand } from '../../firmware-protocol/nina/command-table.js';
import type { Tracer } from '../trace.js';
import type { ArmedFault, FaultPlan } from './fault-plan.js';
import type { FaultKind } from './fault-spec.js';
import type { ModuleFaultContext, ModuleFaultLayer } from './module-fault-layer.js';
import type { FaultReporter } from './reporter.js';

/** The kinds that are ESP-AT lines, with why NINA has no such thing. */
const AT_ONLY: Partial<Record<FaultKind, string>> = {
  'busy-p': 'busy-p is an ESP-AT line (`busy p...`); nina-fw has no busy reply (it answers one command frame at a time, later frames wait), so it cannot apply to a NINA module',
  'busy-s': 'busy-s is an ESP-AT line (`busy s...`); nina-fw has no busy reply (it answers one command frame at a time, later frames wait), so it cannot apply to a NINA module',
};

/**
 * The module fault layer of the NINA front end (emulator/nina). One command frame the chip runs is
 * one opportunity (the handler table is wrapped, so a frame the chip rejects as garbage is none).
 *
 * - reset: the chip resets as RESETN would (NinaModule.reboot): sockets, servers, association and
 *   the last DNS answer are gone, the command being run is never answered, and for the reboot time
 *   no frame is read. nina-fw prints nothing at boot, so the host learns of it only by asking
 *   (GET_CONN_STATUS reads IDLE, a socket's GET_CLIENT_STATE_TCP reads 0).
 * - wifi-drop: the AP goes away. nina-fw's WiFiClass::handleSystemEvent (arduino/nina-fw
 *   arduino/libraries/WiFi/src/WiFi.cpp, SYSTEM_EVENT_STA_DISCONNECTED, lines 754-771 at eca4789)
 *   sets WL_CONNECT_FAILED (4) only for reasons 201 NO_AP_FOUND / 202 AUTH_FAIL, retries on its own
 *   (esp_wifi_connect) only for 203 ASSOC_FAIL, and for any other reason — an AP that goes away is
 *   200 BEACON_TIMEOUT — sets WL_DISCONNECTED (6) and calls the disconnect callback, which is
 *   CommandHandler.cpp handleWiFiDisconnect (lines 2236-2256): every non-listening socket is closed.
 *   It does not reconnect: the host must send SET_PASSPHRASE again. So here the station's
 *   association ends (NinaWifi reads DISCONNECTED, the stack closes the links) and nothing rejoins;
 *   `rejoin=<time>` keeps the AP off the air that long (a host that rejoins sooner gets
 *   CONNECT_FAILED), absent or `never` it stays on the air for the host to join again.
 * - busy-p / busy-s: refused (ESP-AT lines, see AT_ONLY).
 */
export class NinaModuleFaults implements ModuleFaultLayer<NinaHandlerTable, NinaModule> {
  readonly frontEnd = 'NINA';
  private module: NinaModule | null = null;

  constructor(
    private readonly plan: FaultPlan,
    private readonly report: FaultReporter,
    private readonly beforeReset: () => void,
  ) {}

  static layer(context: ModuleFaultContext): NinaModuleFaults {
    return new NinaModuleFaults(context.plan, context.report, context.beforeReset);
  }

  refusal(kind: FaultKind): string | null {
    return AT_ONLY[kind] ?? null;
  }

  attach(module: NinaModule): Tracer {
    this.module = module;
    return module.core.tracer;
  }

  wrapHandlers(table: NinaHandlerTable): NinaHandlerTable {
    const wrapped = new Map<number, NinaHandlerEntry>();
    for (const [code, entry] of table) {
      wrapped.set(code, {
        support: entry.support,
        handler: (core, call) => this.command(code, () => entry.handler(core, call)),
      });
    }
    return wrapped;
  }

  reset(why: string): string {
    const module = this.module;
    if (!module || module.core.closed) return 'reset: no module';
    this.beforeReset();
    this.report.injected('reset', `reset: chip resets (${why})`);
    const bootMs = NINA_REBOOT_MS * module.core.world.timing.scale;
    void module.reboot('fault injection', bootMs);
    return `reset: chip resets, sockets and association gone, deaf for ${Math.round(bootMs)} ms`;
  }

  busyLine(kind: 'busy-p' | 'busy-s'): string {
    // Never armed on NINA (refusal()); the injector asks refusal() before firing.
    return `${kind}: ${AT_ONLY[kind]}`;
  }

  dropWifi(rejoin: number | 'never' | undefined, why: string): string {
    const module = this.module;
    if (!module || module.core.closed) return 'wifi-drop: no module';
    const station = module.core.stack.station;
    const dropped = typeof rejoin === 'number' ? station.takeApAway(rejoin) : station.dropAssociation();
    if (!dropped) return 'wifi-drop: station not associated, nothing dropped';
    const after = typeof rejoin === 'number' ? `AP back in ${Math.round(rejoin)} ms` : 'AP stays';
    this.report.injected('wifi-drop', `wifi-drop: AP lost (${why}); ${after}, nina-fw does not rejoin`);
    return `wifi-drop: AP lost, ${after}; status DISCONNECTED until the host joins again`;
  }

  dispose(): void {
    this.module = null;
  }

  private command<T>(code: number, run: () => T): T | null {
    // Every armed command fault gets its chance at every command, fired or not (as on ESP-AT).
    const fired = new Map<FaultKind, ArmedFault>();
    for (const kind of ['reset', 'wifi-drop'] as const) {
      const fault = this.plan.find(kind);
      if (fault && this.plan.chance(fault)) fired.set(kind, fault);
    }
    const why = `at ${findNinaCommand(code)?.name ?? `command 0x${code.toString(16)}`}`;
    if (fired.has('reset')) {
      // The chip resets as the frame arrives: the command never runs, nothing answers it.
      this.reset(why);
      return null;
    }
    if (fired.has('wifi-drop')) this.dropWifi(fired.get('wifi-drop')!.spec.params.rejoin, why);
    return run();
  }
}

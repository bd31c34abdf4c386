import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import type { VolatileSettings } from '../module-settings.js';
import { releasePassiveData } from '../link-events.js';

/** Link-mode switches: CIPMUX, CIPMODE, CIPDINFO, CIPRECVMODE (RAM only, back to 0 at boot). */

function switchQuery(read: (settings: VolatileSettings) => number): Handler<'CIPMUX' | 'CIPMODE' | 'CIPRECVMODE', 'query'> {
  return (core, call) => {
    core.reply(call, 'mode', { mode: read(core.settings.volatile) });
    core.ok();
  };
}

/** A 0/1 switch whose change `refuse` may veto (ERROR) in the module's current state. */
function numericSwitch(
  key: 'cipMode',
  refuse: (core: ModuleCore, value: number) => boolean,
): Handler<'CIPMODE', 'set'> {
  return (core, call) => {
    const value = call.params.mode;
    if (refuse(core, value)) return core.error('exec-failed');
    core.settings.volatile[key] = value;
    core.ok();
  };
}

/** Multi-link passthrough: a server that takes one connection, where the firmware has it. */
export function serverPassthroughAllowed(core: ModuleCore): boolean {
  return core.profile.limits.passthroughServer && core.server !== null && core.settings.volatile.serverMaxConn === 1;
}

const muxSet: Handler<'CIPMUX', 'set'> = (core, call) => {
  const mux = call.params.mode === 1;
  // Only without links and server; multi-link mode excludes passthrough mode.
  if (core.links.size > 0 || core.server || (mux && core.settings.volatile.cipMode === 1)) {
    return core.error('exec-failed');
  }
  core.settings.volatile.mux = mux;
  core.ok();
};

export const TCPIP_CONFIG_HANDLERS = {
  CIPMUX: { query: switchQuery((s) => Number(s.mux)), set: muxSet },
  CIPMODE: {
    query: switchQuery((s) => s.cipMode),
    set: numericSwitch('cipMode', (core, value) => value === 1 && core.mux && !serverPassthroughAllowed(core)),
  },
  CIPDINFO: {
    query: (core, call) => {
      core.reply(call, 'mode', { mode: core.settings.volatile.dinfo });
      core.ok();
    },
    set: (core, call) => {
      core.settings.volatile.dinfo = call.params.mode === 1;
      core.ok();
    },
  },
  CIPRECVMODE: {
    query: switchQuery((s) => s.recvMode),
    set: (core, call) => {
      const wasPassive = core.settings.volatile.recvMode === 1;
      core.settings.volatile.recvMode = call.params.mode;
      core.ok();
      if (wasPassive && call.params.mode === 0) releasePassiveData(core);
    },
  },
  CIPRECONNINTV: {
    query: (core, call) => {
      core.reply(call, 'interval', { interval: core.settings.current.reconnectInterval });
      core.ok();
    },
    set: (core, call) => {
      core.settings.set('reconnectInterval', call.params.interval, call.spec.save);
      core.ok();
    },
  },
} satisfies Handlers;

import { TCPOPT_DEFAULTS } from '../../../firmware-protocol/at/commands/tcpip-tcpopt.js';
import type { Handler, Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';

/**
 * AT+CIPTCPOPT: the options are stored per link id (in RAM) and reported; the emulated stack does not
 * apply them (Node's sockets have no SO_LINGER or SO_SNDTIMEO to map; emulator.md says so). Id 5
 * with CIPMUX=1 sets every link id.
 */

interface TcpOptions {
  soLinger: number;
  tcpNodelay: number;
  soSndtimeo: number;
  keepAlive: number;
}

const LINK_IDS = [0, 1, 2, 3, 4] as const;
const stores = new WeakMap<ModuleCore, { readonly epoch: number; readonly options: TcpOptions[] }>();

function optionsOf(core: ModuleCore): TcpOptions[] {
  const held = stores.get(core);
  if (held && held.epoch === core.epoch) return held.options;
  const options = LINK_IDS.map(() => ({ ...TCPOPT_DEFAULTS }));
  stores.set(core, { epoch: core.epoch, options });
  return options;
}

const optSet: Handler<'CIPTCPOPT', 'set'> = (core, call) => {
  const { so_linger, tcp_nodelay, so_sndtimeo, keep_alive } = call.params;
  const id = 'link_id' in call.params && call.params.link_id !== undefined ? call.params.link_id : 0;
  const targets = id === LINK_IDS.length ? [...LINK_IDS] : [id];
  for (const target of targets) {
    const options = optionsOf(core)[target];
    if (!options) return core.error('param-invalid');
    if (so_linger !== undefined) options.soLinger = so_linger;
    if (tcp_nodelay !== undefined) options.tcpNodelay = tcp_nodelay;
    if (so_sndtimeo !== undefined) options.soSndtimeo = so_sndtimeo;
    if (keep_alive !== undefined) options.keepAlive = keep_alive;
  }
  core.ok();
};

const optQuery: Handler<'CIPTCPOPT', 'query'> = (core, call) => {
  optionsOf(core).forEach((options, link_id) =>
    core.reply(call, 'options', {
      link_id,
      so_linger: options.soLinger,
      tcp_nodelay: options.tcpNodelay,
      so_sndtimeo: options.soSndtimeo,
      keep_alive: options.keepAlive,
    }),
  );
  core.ok();
};

export const TCPIP_TCPOPT_HANDLERS = {
  CIPTCPOPT: { set: optSet, query: optQuery },
} satisfies Handlers;

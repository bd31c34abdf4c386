import type { Handler, Handlers } from '../handler-types.js';

/**
 * AT+CIPRECVTYPE (ESP-AT 3.x/4.x). The emulator keeps one receive mode for the whole module (as
 * AT+CIPRECVMODE sets it): the single-link form and link ID 5 (every link) set it; one link's own
 * mode in multi-link mode is not emulated and answers ERROR (emulator.md, "Where the emulator
 * differs"). The query shows the mode per link id: `0` with one link, `0`..`4` with several.
 */

const ALL_LINKS = 5;

const recvTypeQuery: Handler<'CIPRECVTYPE', 'query'> = (core, call) => {
  const mode = core.settings.volatile.recvMode;
  const ids = core.mux ? core.profile.limits.links : 1;
  for (let id = 0; id < ids; id += 1) core.reply(call, 'mode', { link_id: id, mode });
  core.ok();
};

const recvTypeSet: Handler<'CIPRECVTYPE', 'set'> = (core, call) => {
  const { link_id: id, mode } = call.params;
  if (id !== undefined && id !== ALL_LINKS) {
    core.tracer.note(`AT+CIPRECVTYPE for link ${id} alone: per-link receive modes are not emulated`);
    return core.error('exec-failed');
  }
  core.settings.volatile.recvMode = mode;
  core.ok();
};

export const TCPIP_RECV_TYPE_HANDLERS = {
  CIPRECVTYPE: { query: recvTypeQuery, set: recvTypeSet },
} satisfies Handlers;

import type { ServerTls, VirtualLink } from '../../network/types.js';
import { certificateStore } from '../pki-store.js';
import type { Handler, Handlers } from '../handler-types.js';
import { adoptLink, announceClosed, announceConnect, closeLink } from '../link-events.js';
import type { ModuleCore } from '../module-core.js';
import { ipv6Ready } from '../station-ipv6.js';
import { answerStackError } from './tcpip-common.js';

/** AT+CIPSERVER, AT+CIPSERVERMAXCONN, AT+CIPSTO (esp-at.md §4). */

/** A client knocks: it takes the lowest free id, unless AT+CIPSERVERMAXCONN clients are already in. */
function accept(core: ModuleCore, vlink: VirtualLink): boolean {
  if (!core.server || core.booting || core.closed) return false;
  const max = core.settings.volatile.serverMaxConn;
  const id = core.links.lowestFree();
  if (core.links.acceptedCount() >= max || id === null) {
    core.tracer.note(`client ${vlink.remote.ip}:${vlink.remote.port} refused (${max} clients max, ids ${id === null ? 'all used' : 'free'})`);
    return false;
  }
  const { type } = core.server;
  const ipv6 = type.endsWith('v6');
  const link = adoptLink(core, id, { type: type.startsWith('SSL') ? 'SSL' : 'TCP', ipv6, vlink, accepted: true });
  announceConnect(core, link);
  return true;
}

async function createServer(core: ModuleCore, port: number, type: string, caEnable: number, tls: ServerTls | undefined): Promise<void> {
  const epoch = core.epoch;
  try {
    const ipv6 = type.endsWith('v6');
    const server = await core.stack.listen({ port, onAccept: (vlink) => accept(core, vlink), ...(tls ? { tls } : {}), ...(ipv6 ? { ipv6 } : {}) });
    if (!core.isCurrent(epoch)) {
      await server.close();
      return;
    }
    core.server = { server, port, type, caEnable };
    const { ip, port: hostPort } = server.hostEndpoint;
    core.tracer.note(`server on module port ${port}: host ${ip}:${hostPort}`);
  } catch (error) {
    if (core.isCurrent(epoch)) answerStackError(core, error, `server on port ${port}`);
    return;
  }
  core.ok();
}

async function deleteServer(core: ModuleCore, closeAll: boolean): Promise<void> {
  const state = core.server;
  if (!state) return core.error('exec-failed');
  const epoch = core.epoch;
  core.server = null;
  await state.server.close().catch(() => undefined);
  if (!core.isCurrent(epoch)) return;
  core.tracer.note(`server on port ${state.port} deleted`);
  if (closeAll) {
    for (const link of core.links.all().filter((entry) => entry.accepted)) {
      closeLink(core, link, 'AT+CIPSERVER=0,1');
      announceClosed(core, link.id);
    }
  }
  core.ok();
}

const serverSet: Handler<'CIPSERVER', 'set'> = (core, call) => {
  if (call.params.mode === 0) return deleteServer(core, call.params.close_all === 1);
  const port = call.params.port ?? core.profile.defaults.serverPort;
  const type = call.params.type ?? 'TCP';
  if (!core.mux || core.server || port === 0) return core.error('exec-failed');
  const caEnable = call.params.ca_enable ?? 0;
  // "TCPv6"/"SSLv6" (2.x): the docs want AT+CIPV6=1 and an IPv6 address first; the host reaches it on ::1.
  if (type.endsWith('v6') && !ipv6Ready(core, `a ${type} server`)) return core.error('exec-failed');
  if (!type.startsWith('SSL')) return createServer(core, port, type, caEnable, undefined);
  const tls = serverIdentity(core, caEnable === 1);
  if (tls === null) return core.error('exec-failed');
  return createServer(core, port, type, caEnable, tls);
};

/**
 * The SSL server's certificate and key (server_cert, server_key) and, with `<CA enable>` 1, the CA
 * its clients' certificates must come from (server_ca); null (traced) when the module lacks one.
 */
function serverIdentity(core: ModuleCore, checkClients: boolean): ServerTls | null {
  const store = certificateStore(core);
  if (!store.server) {
    core.tracer.note('SSL server: no server certificate and key in the module (world config "tls": serverCertFile, serverKeyFile)');
    return null;
  }
  if (checkClients && !store.serverCa) {
    core.tracer.note('SSL server with <CA enable> 1: no server CA in the module (world config "tls": serverCaFile)');
    return null;
  }
  return { certPem: store.server.certPem, keyPem: store.server.keyPem, clientCaPem: checkClients && store.serverCa ? store.serverCa.pem : null };
}

const serverQuery: Handler<'CIPSERVER', 'query'> = (core, call) => {
  const state = core.server;
  const server = state ? { mode: 1, port: state.port, type: state.type, ca_enable: state.caEnable } : { mode: 0 };
  core.reply(call, 'server', server);
  core.ok();
};

export const TCPIP_SERVER_HANDLERS = {
  CIPSERVER: { set: serverSet, query: serverQuery },
  CIPSERVERMAXCONN: {
    query: (core, call) => {
      core.reply(call, 'num', { num: core.settings.volatile.serverMaxConn });
      core.ok();
    },
    // Must precede the server: the firmware sizes the server's backlog at creation.
    set: (core, call) => {
      if (core.server) return core.error('exec-failed');
      core.settings.volatile.serverMaxConn = call.params.num;
      core.ok();
    },
  },
  CIPSTO: {
    query: (core, call) => {
      core.reply(call, 'time', { time: core.settings.volatile.serverTimeout });
      core.ok();
    },
    set: (core, call) => {
      core.settings.volatile.serverTimeout = call.params.time;
      core.ok();
    },
  },
} satisfies Handlers;

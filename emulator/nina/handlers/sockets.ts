import { ProtocolMode, SocketState } from '../../../firmware-protocol/nina/constants.js';
import { bytesText, ipv4Bytes, ipv4Text, readU16be, u16be, u8 } from '../../../firmware-protocol/nina/fields.js';
import type { Endpoint, VirtualLink } from '../../network/types.js';
import { ClientConnection } from '../client-connection.js';
import type { NinaCall, NinaHandlerGroup } from '../handler-types.js';
import { boundedParam, byteParam, fixedParam, flag, socketParam, handlerGroup } from '../handler-types.js';
import type { NinaCore } from '../nina-core.js';
import { ServerSocket } from '../server-socket.js';
import { SocketType } from '../socket-table.js';

/**
 * Opening and closing sockets: GET_SOCKET, START_CLIENT_TCP (TCP, UDP, TLS), STOP_CLIENT_TCP,
 * GET_CLIENT_STATE_TCP, GET_REMOTE_DATA, START_SERVER_TCP, GET_STATE_TCP (nina-fw CommandHandler.cpp).
 */

/**
 * How long a TCP connect may take. nina-fw passes no deadline to lwIP; an unreachable peer was seen to
 * block about 18 s (peers.md N2). Loopback peers answer at once either way.
 */
export const CONNECT_TIMEOUT_MS = 18_000;
const HOSTNAME_BYTES = 255;

interface ClientTarget {
  /** The host name of the 5/6-parameter form ('' = use the address), null for the 4-parameter form. */
  readonly host: string | null;
  readonly ip: string;
  readonly port: number;
  readonly socket: number;
  readonly mode: number;
}

/** nina-fw tells the forms apart by the parameter count alone: 4 = by address, anything else = by name. */
function clientTarget(call: NinaCall): ClientTarget {
  if (call.params.length === 4) {
    return {
      host: null,
      ip: ipv4Text(fixedParam(call, 0, 4)),
      port: readU16be(fixedParam(call, 1, 2)),
      socket: socketParam(call, 2),
      mode: byteParam(call, 3),
    };
  }
  return {
    host: bytesText(boundedParam(call, 0, HOSTNAME_BYTES)),
    ip: ipv4Text(fixedParam(call, 1, 4)),
    port: readU16be(fixedParam(call, 2, 2)),
    socket: socketParam(call, 3),
    mode: byteParam(call, 4),
  };
}

/** The address to use: the name resolved when one was given (nina-fw: gethostbyname), else the address. */
async function destination(core: NinaCore, target: ClientTarget): Promise<Endpoint> {
  const ip = target.host ? await core.stack.resolve(target.host) : target.ip;
  return { ip, port: target.port };
}

async function openStream(core: NinaCore, target: ClientTarget, to: Endpoint): Promise<VirtualLink> {
  if (target.mode === ProtocolMode.TCP) {
    return core.stack.connectTcp({ host: to.ip, port: to.port, timeoutMs: CONNECT_TIMEOUT_MS });
  }
  // nina-fw's WiFiSSLClient: verification required, CAs from its flash (here: the world's store);
  // SNI and the name check only when the host connected by name.
  const servername = target.host ? target.host : null;
  return core.stack.connectTls({
    host: to.ip,
    port: to.port,
    timeoutMs: CONNECT_TIMEOUT_MS,
    servername,
    verify: { caPem: core.world.tls?.caCerts.map((ca) => ca.pem) ?? [], hostname: servername },
    maxVersion: 'TLSv1.2',
  });
}

async function startClient(core: NinaCore, call: NinaCall): Promise<Uint8Array[]> {
  const target = clientTarget(call);
  const n = target.socket;
  const epoch = core.epoch;
  const failed = (why: string): Uint8Array[] => {
    core.tracer.note(`START_CLIENT_TCP failed: ${why}`, n);
    return []; // nina-fw's failure: a reply with no parameters
  };
  if (target.mode === ProtocolMode.UDP) {
    let to: Endpoint;
    try {
      to = await destination(core, target);
    } catch (error) {
      return failed((error as Error).message);
    }
    core.sockets.udps[n].beginPacket(to);
    core.sockets.types[n] = SocketType.UDP;
    core.tracer.note(`UDP destination ${to.ip}:${to.port}`, n);
    return flag(true);
  }
  if (target.mode !== ProtocolMode.TCP && target.mode !== ProtocolMode.TLS) return failed(`mode ${target.mode} is not emulated`);
  let link: VirtualLink;
  try {
    const to = await destination(core, target);
    link = await openStream(core, target, to);
  } catch (error) {
    return failed((error as Error).message);
  }
  if (!core.isCurrent(epoch)) {
    link.close();
    return [];
  }
  const type = target.mode === ProtocolMode.TLS ? SocketType.TLS : SocketType.TCP;
  core.sockets.setClient(n, new ClientConnection(link), type);
  core.tracer.note(`${type === SocketType.TLS ? 'TLS' : 'TCP'} → ${link.remote.ip}:${link.remote.port}`, n);
  return flag(true);
}

function stopClient(core: NinaCore, call: NinaCall): Uint8Array[] {
  const n = socketParam(call, 0);
  const { types, clients, udps } = core.sockets;
  if (types[n] === SocketType.TCP || types[n] === SocketType.TLS) clients[n]?.stop();
  else if (types[n] === SocketType.UDP) udps[n].stop();
  types[n] = SocketType.FREE;
  core.tracer.note('stopped', n);
  return flag(true);
}

function clientState(core: NinaCore, call: NinaCall): Uint8Array[] {
  const n = socketParam(call, 0);
  const { types, clients } = core.sockets;
  const stream = types[n] === SocketType.TCP || types[n] === SocketType.TLS;
  if (stream && clients[n]?.connected()) return [u8(SocketState.ESTABLISHED)];
  // nina-fw frees the number of anything not connected — a UDP socket or a server's number included.
  types[n] = SocketType.FREE;
  return [u8(SocketState.CLOSED)];
}

function remoteData(core: NinaCore, call: NinaCall): Uint8Array[] {
  const n = socketParam(call, 0);
  const { types, clients, udps } = core.sockets;
  let remote: Endpoint = { ip: '0.0.0.0', port: 0 };
  if (types[n] === SocketType.UDP) remote = udps[n].remote;
  else if (types[n] === SocketType.TCP || types[n] === SocketType.TLS) remote = clients[n]?.remote ?? remote;
  return [ipv4Bytes(remote.ip), u16be(remote.port)];
}

async function startServer(core: NinaCore, call: NinaCall): Promise<Uint8Array[]> {
  const byAddress = call.params.length !== 3;
  const first = byAddress ? 1 : 0;
  if (byAddress) fixedParam(call, 0, 4); // the multicast group
  const port = readU16be(fixedParam(call, first, 2));
  const n = socketParam(call, first + 1);
  const mode = byteParam(call, first + 2);
  const sockets = core.sockets;
  if (mode === ProtocolMode.TCP) {
    await sockets.servers[n]?.close();
    const server = await ServerSocket.listen(core.stack, port, () => {});
    sockets.servers[n] = server;
    sockets.types[n] = SocketType.TCP;
    const where = server.ok ? `listening on 127.0.0.1:${server.hostPort ?? '?'}` : 'listen failed (nina-fw still answers 1)';
    core.tracer.note(`server on port ${port}: ${where}`, n);
    return flag(true);
  }
  if (mode === ProtocolMode.UDP) {
    const ok = await sockets.udps[n].begin(core.stack, port);
    if (ok) sockets.types[n] = SocketType.UDP;
    core.tracer.note(ok ? `UDP bound to port ${sockets.udps[n].localPort ?? port}` : `UDP bind to port ${port} failed`, n);
    return flag(ok);
  }
  core.tracer.note(`START_SERVER_TCP mode ${mode} is not emulated`, n);
  return flag(false);
}

export const SOCKET_HANDLERS: NinaHandlerGroup = handlerGroup([
  ['GET_SOCKET', { support: 'emulated', handler: (core) => [u8(core.sockets.firstFree())] }],
  ['START_CLIENT_TCP', { support: 'emulated', handler: startClient }],
  ['STOP_CLIENT_TCP', { support: 'emulated', handler: stopClient }],
  ['GET_CLIENT_STATE_TCP', { support: 'emulated', handler: clientState }],
  ['GET_REMOTE_DATA', { support: 'emulated', handler: remoteData }],
  ['START_SERVER_TCP', { support: 'emulated', handler: startServer }],
  [
    'GET_STATE_TCP',
    { support: 'emulated', handler: (core, call) => flag(core.sockets.servers[socketParam(call, 0)]?.ok ?? false) },
  ],
]);

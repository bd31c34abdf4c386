import { MAX_FRAME_LENGTH, NO_SOCKET } from '../../../firmware-protocol/nina/constants.js';
import { readU16le, u16le, u8 } from '../../../firmware-protocol/nina/fields.js';
import type { ClientConnection } from '../client-connection.js';
import type { NinaCall, NinaHandlerGroup } from '../handler-types.js';
import { byteParam, dataParam, fixedParam, flag, optionalByteParam, socketParam, handlerGroup } from '../handler-types.js';
import type { NinaCore } from '../nina-core.js';
import { SocketType } from '../socket-table.js';
import type { UdpSocket } from '../udp-socket.js';

/**
 * Moving data: AVAIL_DATA_TCP (also a server's accept), GET_DATA_TCP, GET_DATABUF_TCP,
 * SEND_DATA_TCP, DATA_SENT_TCP, INSERT_DATABUF, SEND_UDP_DATA (nina-fw CommandHandler.cpp).
 */

/** A GET_DATABUF_TCP reply must fit nina-fw's 4092-byte buffer: 6 bytes of frame + data. */
export const MAX_READ = MAX_FRAME_LENGTH - 6;

/** The byte a reader answers when nothing is there: read() returns −1, stored in a uint8_t. */
const NOTHING = 0xff;

/** What a socket number reads from: its UDP socket or its TCP/TLS client (a server number reads its client slot). */
function reader(core: NinaCore, n: number): ClientConnection | UdpSocket | null {
  const { types, clients, udps } = core.sockets;
  if (types[n] === SocketType.UDP) return udps[n];
  if (types[n] === SocketType.TCP || types[n] === SocketType.TLS) return clients[n];
  return null;
}

/** A server's new client gets a number: an existing one if it already has one, else the first free. */
function handOut(core: NinaCore, serverNumber: number, accept: boolean): number {
  const sockets = core.sockets;
  const server = sockets.servers[serverNumber]!;
  if (accept) {
    // nina-fw takes the first free number, then accepts; no free number = the client keeps waiting.
    const free = sockets.firstFree();
    if (free === NO_SOCKET) return NO_SOCKET;
    const client = server.accept();
    if (client === null) return NO_SOCKET;
    sockets.setClient(free, client, SocketType.TCP);
    core.tracer.note(`accepted ${client.remote.ip}:${client.remote.port} on server ${serverNumber}`, free);
    return free;
  }
  const client = server.available();
  if (client === null) return NO_SOCKET;
  const known = sockets.numberOf(client);
  if (known >= 0 && known !== serverNumber && sockets.types[known] === SocketType.TCP) return known;
  const free = sockets.firstFree(serverNumber);
  if (free !== NO_SOCKET) sockets.setClient(free, client, SocketType.TCP);
  return free;
}

function availData(core: NinaCore, call: NinaCall): Uint8Array[] {
  const n = socketParam(call, 0);
  const server = core.sockets.servers[n];
  let available: number;
  if (core.sockets.types[n] === SocketType.TCP && server?.ok) {
    // nina-fw reads the accept flag at a fixed offset; with one parameter that is the padding, which
    // WiFiNINA, MicroPython and copro fill with 0xFF: accept.
    available = handOut(core, n, optionalByteParam(call, 1, 0xff) !== 0);
  } else {
    available = reader(core, n)?.available() ?? 0;
  }
  return [u16le(Math.min(available, 0xffff))];
}

function getData(core: NinaCore, call: NinaCall): Uint8Array[] {
  const n = socketParam(call, 0);
  const peek = byteParam(call, 1) !== 0;
  const source = reader(core, n);
  if (source === null) return [u8(NOTHING)];
  if (peek) return [u8(source.peek() ?? NOTHING)];
  const byte = source.read(1);
  return [u8(byte.length > 0 ? byte[0] : NOTHING)];
}

function getDataBuf(core: NinaCore, call: NinaCall): Uint8Array[] {
  const n = socketParam(call, 0);
  const max = Math.min(readU16le(fixedParam(call, 1, 2)), MAX_READ);
  const source = reader(core, n);
  return [source === null ? new Uint8Array(0) : source.read(max)];
}

async function sendData(core: NinaCore, call: NinaCall): Promise<Uint8Array[]> {
  const n = socketParam(call, 0);
  const data = dataParam(call, 1);
  const { types, servers, clients } = core.sockets;
  let written = 0;
  const server = servers[n];
  if (types[n] === SocketType.TCP && server?.ok) written = await server.write(data);
  else if (types[n] === SocketType.TCP || types[n] === SocketType.TLS) written = (await clients[n]?.write(data)) ?? 0;
  return [u16le(written)];
}

export const DATA_HANDLERS: NinaHandlerGroup = handlerGroup([
  ['AVAIL_DATA_TCP', { support: 'emulated', handler: availData }],
  ['GET_DATA_TCP', { support: 'emulated', handler: getData }],
  ['GET_DATABUF_TCP', { support: 'emulated', handler: getDataBuf }],
  ['SEND_DATA_TCP', { support: 'emulated', handler: sendData }],
  // A no-op in nina-fw: SEND_DATA_TCP already wrote everything.
  ['DATA_SENT_TCP', { support: 'emulated', handler: (_core, call) => (socketParam(call, 0), flag(true)) }],
  [
    'INSERT_DATABUF',
    {
      support: 'emulated',
      handler: (core, call) => flag(core.sockets.udps[socketParam(call, 0)].write(dataParam(call, 1)) !== 0),
    },
  ],
  [
    'SEND_UDP_DATA',
    { support: 'emulated', handler: async (core, call) => flag(await core.sockets.udps[socketParam(call, 0)].endPacket()) },
  ],
]);

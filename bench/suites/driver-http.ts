import * as http from 'node:http';
import type { Socket as UsocketSocket } from '../../src/usocket/socket.js';
import { HttpAgent } from '../../src/node-net/index.js';
import type { Coprocessor } from '../../src/open.js';
import { startDriverRig, startNetPeer } from '../lib/driver-rig.js';
import { judge, type Figure } from '../lib/figures.js';
import { BLOCKS, interleaved } from '../lib/interleaved.js';
import { againstProtocolFloor } from '../lib/protocol-floor.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * HTTP requests per second through driver + emulator (unpaced PTY), made two ways against the
 * same loopback server (256-byte answers), each judged against the other in the same run:
 *   - usocket: HTTP/1.1 by hand — connect, send the request, read the answer, close (and, kept
 *     alive, request after request on one socket, reading by Content-Length);
 *   - Node's http.get() with copro's HttpAgent: ModuleSocket streams under Node's own client, with
 *     a connection per request and with keepAlive. The ratio is what the stream layer costs.
 * A fresh connection is four AT exchanges at least (CIPSTART, CIPSEND, CIPRECVDATA, CIPCLOSE), a
 * kept-alive request two.
 */

const PATH = '/bench';

function requestText(keepAlive: boolean): string {
  return `GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
}

/** Reads one HTTP/1.1 answer with a Content-Length from a usocket stream; returns the body size. */
async function readAnswer(socket: UsocketSocket): Promise<number> {
  let length = -1;
  for (;;) {
    const line = Buffer.from((await socket.readline()) ?? []).toString('latin1');
    if (line === '') throw new Error('the connection closed before the answer');
    if (line === '\r\n') break;
    const header = /^content-length:\s*(\d+)/i.exec(line);
    if (header) length = Number(header[1]);
  }
  if (length < 0) throw new Error('an answer without Content-Length');
  return (await socket.read(length))?.length ?? 0;
}

async function usocketRequest(copro: Coprocessor, port: number): Promise<void> {
  const socket = copro.usocket.socket();
  try {
    await socket.connect(['127.0.0.1', port]);
    await socket.sendall(requestText(false));
    await readAnswer(socket);
  } finally {
    await socket.close();
  }
}

/** http.get() through `agent`; resolves once the answer was read and, without keep-alive, the socket closed. */
function nodeRequest(agent: HttpAgent, port: number, keepAlive: boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: PATH, agent }, (response) => {
        response.resume();
        response.once('error', reject);
        response.once('end', () => (keepAlive ? resolve() : response.socket.once('close', () => resolve())));
      })
      .once('error', reject);
  });
}

export const driverHttpSuite: BenchSuite = {
  id: 'driver-http',
  title: 'HTTP requests per second through driver + emulator: usocket by hand vs Node http.get()',
  needs: ['at'],
  async run(context: BenchContext): Promise<Figure[]> {
    const count = context.options.httpRequests;
    const net = await startNetPeer();
    const rig = await startDriverRig();
    const port = net.ports.http;
    const fresh = new HttpAgent(rig.copro);
    const kept = new HttpAgent(rig.copro, { keepAlive: true, maxSockets: 1 });
    try {
      context.log(`HTTP: ${count} requests each way, in ${BLOCKS} alternating blocks`);
      const [byHand, viaNode] = await interleaved(count, [() => usocketRequest(rig.copro, port), () => nodeRequest(fresh, port, false)], 20);

      const socket = rig.copro.usocket.socket();
      await socket.connect(['127.0.0.1', port]);
      const keptByHand = async (): Promise<void> => {
        await socket.sendall(requestText(true));
        await readAnswer(socket);
      };
      const [byHandKept, viaNodeKept] = await interleaved(count, [keptByHand, () => nodeRequest(kept, port, true)], 20);
      await socket.close();

      const detail = (r: { seconds: number }): string => `${count} requests in ${r.seconds.toFixed(2)} s, one at a time, alternating with the other way`;
      return [
        {
          id: 'driver.http.usocket',
          label: 'HTTP request, usocket by hand (connection each)',
          value: byHand.perSecond,
          unit: 'req/s',
          judged: againstProtocolFloor(context, byHand.perSecond, 4),
          detail: detail(byHand),
        },
        {
          id: 'driver.http.node',
          label: 'HTTP request, Node http.get + HttpAgent (connection each)',
          value: viaNode.perSecond,
          unit: 'req/s',
          judged: judge(viaNode.perSecond, byHand.perSecond, 'usocket by hand, same run', { min: 0.8 }),
          detail: detail(viaNode),
        },
        {
          id: 'driver.http.usocket-keepalive',
          label: 'HTTP request, usocket by hand (kept alive)',
          value: byHandKept.perSecond,
          unit: 'req/s',
          judged: againstProtocolFloor(context, byHandKept.perSecond, 2),
          detail: detail(byHandKept),
        },
        {
          id: 'driver.http.node-keepalive',
          label: 'HTTP request, Node http.get + HttpAgent (keepAlive)',
          value: viaNodeKept.perSecond,
          unit: 'req/s',
          judged: judge(viaNodeKept.perSecond, byHandKept.perSecond, 'usocket by hand kept alive, same run', { min: 0.8 }),
          detail: detail(viaNodeKept),
        },
      ];
    } finally {
      fresh.destroy();
      kept.destroy();
      await rig.close();
      await net.close();
    }
  },
};

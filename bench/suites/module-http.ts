import type { Coprocessor } from '../../src/open.js';
import type { Socket as UsocketSocket } from '../../src/usocket/socket.js';
import { startDriverRig, startNetPeer } from '../lib/driver-rig.js';
import { judge, type Figure } from '../lib/figures.js';
import { BLOCKS, interleaved } from '../lib/interleaved.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * HTTP GETs per second made by the module's own HTTP client (`copro.http.request`: one
 * AT+HTTPCLIENT, the answer in `+HTTPCLIENT:` pieces) against the same requests by hand over usocket
 * (CIPSTART, CIPSEND, CIPRECVDATA, CIPCLOSE), in alternating blocks through the same driver and
 * emulator (unpaced PTY), the same loopback server (256-byte answers). One exchange instead of four:
 * the module's client should be at least as fast.
 */

const PATH = '/bench';

async function byHand(copro: Coprocessor, port: number): Promise<void> {
  const socket: UsocketSocket = copro.usocket.socket();
  try {
    await socket.connect(['127.0.0.1', port]);
    await socket.sendall(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    while (((await socket.recv(4096))?.length ?? 0) > 0) {
      // read to the end: the server closes after its answer
    }
  } finally {
    await socket.close();
  }
}

async function byModule(copro: Coprocessor, port: number): Promise<void> {
  await copro.http.request(`http://127.0.0.1:${port}${PATH}`);
}

export const moduleHttpSuite: BenchSuite = {
  id: 'module-http',
  title: "HTTP GETs per second by the module's own HTTP client vs by hand over usocket",
  async run(context: BenchContext): Promise<Figure[]> {
    const count = context.options.httpRequests;
    const net = await startNetPeer();
    const rig = await startDriverRig();
    const port = net.ports.http;
    try {
      context.log(`module HTTP client: ${count} requests each way, in ${BLOCKS} alternating blocks`);
      const rates = await interleaved(count, [() => byHand(rig.copro, port), () => byModule(rig.copro, port)], 10);
      const [hand, module] = rates.map((rate) => rate.perSecond);
      const spent = rates.map((rate) => rate.seconds);
      const detail = (seconds: number): string => `${count} requests in ${seconds.toFixed(2)} s, alternating with the other way`;
      return [
        {
          id: 'module-http.usocket',
          label: 'HTTP GET by hand over usocket (connection each)',
          value: hand,
          unit: 'req/s',
          judged: judge(hand, module, "the module's HTTP client, same run", { max: 1 }),
          detail: detail(spent[0]),
        },
        {
          id: 'module-http.client',
          label: "HTTP GET by the module's HTTP client (AT+HTTPCLIENT)",
          value: module,
          unit: 'req/s',
          judged: judge(module, hand, 'usocket by hand, same run', { min: 1 }),
          detail: detail(spent[1]),
        },
      ];
    } finally {
      await rig.close();
      await net.close();
    }
  },
};

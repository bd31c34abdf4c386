import { open, type Coprocessor } from '../../src/open.js';
import type { Socket } from '../../src/usocket/socket.js';
import { startNetPeer } from '../lib/driver-rig.js';
import { judge, mib, type Figure } from '../lib/figures.js';
import { startJsonPeer } from '../lib/peer.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * The fleet: one daemon process (bench/peer/fleet-daemon.ts) running 64 emulated modules on 64
 * PTYs; this process opens a driver on each, joins, and opens 5 TCP links per module to the net
 * peer, which streams to every link without end. All 320 links read at once for a fixed time.
 *   - aggregate goodput: bytes the applications read per second, all links together (judged
 *     against the raw PTY emulator → host throughput of one PTY, no target);
 *   - the daemon's peak RSS (VmHWM), target ≤ 256 MB.
 */

const RSS_TARGET_MB = 256;
const READ_SIZE = 16 * 1024;
const WARMUP_MS = 1000;

export const fleetSuite: BenchSuite = {
  id: 'fleet',
  title: 'fleet: one daemon, many modules × links streaming',
  needs: ['raw-pty'],
  async run(context: BenchContext): Promise<Figure[]> {
    const { modules, links, seconds } = context.options.fleet;
    context.log(`fleet: ${modules} modules × ${links} links, ${seconds} s`);
    const daemon = await startJsonPeer('fleet-daemon', [String(modules)], 'fleet daemon', [], 120_000);
    const net = await startNetPeer();
    const coprocessors: Coprocessor[] = [];
    const sockets: Socket[] = [];
    let counting = false;
    let counted = 0;
    let stop = false;
    try {
      const paths = daemon.ready.paths as string[];
      net.send({ cmd: 'source', bytes: 0 });
      await net.next('sourcing', 5000);
      for (const path of paths) coprocessors.push(await open(path));
      await Promise.all(coprocessors.map((copro) => copro.wlan.connect('copro-lab', 'labpass123')));
      for (const copro of coprocessors) {
        for (let i = 0; i < links; i++) {
          const socket = copro.usocket.socket();
          await socket.connect(['127.0.0.1', net.ports.source]);
          await socket.sendall('G'); // the request: the source starts pouring
          sockets.push(socket);
        }
      }
      const readers = sockets.map(async (socket) => {
        try {
          while (!stop) {
            const chunk = await socket.recv(READ_SIZE);
            if (chunk.length === 0) return;
            if (counting) counted += chunk.length;
          }
        } catch (error) {
          // Closed under the reader at the end of the run; anything else is a real failure.
          if (!stop) throw error;
        }
      });
      const failed = Promise.race(readers.map((reader) => reader.then(() => new Promise<never>(() => undefined))));
      // A reader that fails ends the run with its error (instead of an unhandled rejection).
      const sleepOrFail = (ms: number): Promise<unknown> => Promise.race([new Promise((resolve) => setTimeout(resolve, ms)), failed]);
      await sleepOrFail(WARMUP_MS);
      counting = true;
      const started = performance.now();
      await sleepOrFail(seconds * 1000);
      counting = false;
      const elapsed = (performance.now() - started) / 1000;
      stop = true;
      daemon.send({ cmd: 'stats' });
      const stats = await daemon.next('stats', 10_000);
      for (const socket of sockets) await socket.close();
      await Promise.allSettled(readers);
      const goodput = mib(counted / elapsed);
      const raw = context.figure('raw-pty.emu-to-host');
      const peakMb = Number(stats.peakRss) / (1024 * 1024);
      const what = `${modules} modules × ${links} links`;
      return [
        {
          id: 'fleet.goodput',
          label: `fleet aggregate download (${what})`,
          value: goodput,
          unit: 'MiB/s',
          judged: raw ? { ratio: goodput / raw.value, against: 'raw PTY emulator → host (one PTY)' } : { ratio: Number.NaN, against: 'raw PTY (not measured in this run)' },
          detail: `${mib(counted).toFixed(1)} MiB read in ${elapsed.toFixed(1)} s by ${sockets.length} sockets after ${WARMUP_MS} ms of warm-up`,
        },
        {
          id: 'fleet.peak-rss',
          label: `fleet daemon peak RSS (${what})`,
          value: peakMb,
          unit: 'MB',
          judged: judge(peakMb, RSS_TARGET_MB, `${RSS_TARGET_MB} MB`, { max: 1 }),
          detail: `VmHWM of the daemon process; RSS at the end ${(Number(stats.rss) / (1024 * 1024)).toFixed(0)} MB, heap used ${(Number(stats.heapUsed) / (1024 * 1024)).toFixed(0)} MB`,
        },
      ];
    } finally {
      stop = true;
      await Promise.allSettled(sockets.map((socket) => socket.close()));
      await Promise.allSettled(coprocessors.map((copro) => copro.close()));
      await net.close();
      await daemon.close();
    }
  },
};

import { isOSError } from '../../src/errors.js';
import { startDriverRig, startNetPeer } from '../lib/driver-rig.js';
import type { Figure } from '../lib/figures.js';
import { benchPattern } from '../lib/host-port.js';
import { againstProtocolFloor } from '../lib/protocol-floor.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * UDP datagrams per second through driver + emulator (unpaced PTY), with loss counted:
 *   - send: one connected UDP socket sends N datagrams of 512 bytes as fast as send() returns;
 *     the far end counts what arrived. A datagram is one CIPSEND (two AT exchanges).
 *   - echo: send one, wait for its echo (1 s), N times; a missing echo is a loss. Three exchanges
 *     per datagram at least (CIPSEND, then CIPRECVDATA after the `+IPD` notice).
 */

const SIZE = 512;
const ECHO_WAIT_S = 1;

export const driverUdpSuite: BenchSuite = {
  id: 'driver-udp',
  title: 'UDP datagrams per second through driver + emulator',
  needs: ['at'],
  async run(context: BenchContext): Promise<Figure[]> {
    const { datagrams } = context.options;
    const net = await startNetPeer();
    const rig = await startDriverRig();
    const payload = benchPattern(SIZE);
    try {
      const { usocket } = rig.copro;
      const figures: Figure[] = [];

      const sender = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
      await sender.connect(['127.0.0.1', net.ports.udpSink]);
      for (let i = 0; i < 20; i++) await sender.send(payload);
      await new Promise((resolve) => setTimeout(resolve, 100));
      net.send({ cmd: 'udp-count' });
      await net.next('udp-count', 5000);
      context.log(`UDP send: ${datagrams} datagrams of ${SIZE} B`);
      let started = performance.now();
      for (let i = 0; i < datagrams; i++) await sender.send(payload);
      let seconds = (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 300));
      net.send({ cmd: 'udp-count' });
      const arrived = Number((await net.next('udp-count', 5000)).datagrams);
      await sender.close();
      const sendRate = datagrams / seconds;
      figures.push({
        id: 'driver.udp.send',
        label: `driver UDP send (${SIZE} B), ${datagrams - arrived} of ${datagrams} lost`,
        value: sendRate,
        unit: 'datagrams/s',
        judged: againstProtocolFloor(context, sendRate, 2),
        detail: `${datagrams} sent in ${seconds.toFixed(2)} s, ${arrived} arrived`,
      });

      const echo = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
      await echo.connect(['127.0.0.1', net.ports.udpEcho]);
      echo.settimeout(ECHO_WAIT_S);
      const count = Math.ceil(datagrams / 2);
      context.log(`UDP echo: ${count} round trips of ${SIZE} B`);
      let lost = 0;
      started = performance.now();
      for (let i = 0; i < count; i++) {
        await echo.send(payload);
        try {
          const reply = await echo.recv(2048);
          if (reply.length !== SIZE) lost += 1;
        } catch (error) {
          if (!isOSError(error, 'ETIMEDOUT')) throw error;
          lost += 1;
        }
      }
      seconds = (performance.now() - started) / 1000;
      await echo.close();
      const echoRate = count / seconds;
      figures.push({
        id: 'driver.udp.echo',
        label: `driver UDP echo round trips (${SIZE} B), ${lost} of ${count} lost`,
        value: echoRate,
        unit: 'datagrams/s',
        judged: againstProtocolFloor(context, echoRate, 3),
        detail: `${count} round trips in ${seconds.toFixed(2)} s (a lost one costs ${ECHO_WAIT_S} s)`,
      });
      return figures;
    } finally {
      await rig.close();
      await net.close();
    }
  },
};

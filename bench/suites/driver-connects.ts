import { startDriverRig, startNetPeer } from '../lib/driver-rig.js';
import type { Figure } from '../lib/figures.js';
import { againstProtocolFloor } from '../lib/protocol-floor.js';
import type { BenchContext, BenchSuite } from './types.js';

/**
 * TCP connects + closes per second through driver + emulator (unpaced PTY): socket(), connect()
 * to a loopback server that accepts and waits, close(). Each cycle is two AT exchanges at least
 * (CIPSTART → `<id>,CONNECT` OK, CIPCLOSE → `<id>,CLOSED` OK), so it is judged against two AT
 * round trips measured in the same run.
 */
export const driverConnectsSuite: BenchSuite = {
  id: 'driver-connects',
  title: 'TCP connects + closes per second through driver + emulator',
  needs: ['at'],
  async run(context: BenchContext): Promise<Figure[]> {
    const { connects } = context.options;
    const net = await startNetPeer();
    const rig = await startDriverRig();
    try {
      const { usocket } = rig.copro;
      const cycle = async (): Promise<void> => {
        const socket = usocket.socket();
        try {
          await socket.connect(['127.0.0.1', net.ports.accept]);
        } finally {
          await socket.close();
        }
      };
      for (let i = 0; i < Math.min(20, connects); i++) await cycle();
      context.log(`connect + close: ${connects} cycles`);
      const started = performance.now();
      for (let i = 0; i < connects; i++) await cycle();
      const seconds = (performance.now() - started) / 1000;
      const rate = connects / seconds;
      return [
        {
          id: 'driver.tcp.connect-close',
          label: 'driver TCP connect + close',
          value: rate,
          unit: '/s',
          judged: againstProtocolFloor(context, rate, 2),
          detail: `${connects} cycles in ${seconds.toFixed(2)} s, one at a time`,
        },
      ];
    } finally {
      await rig.close();
      await net.close();
    }
  },
};

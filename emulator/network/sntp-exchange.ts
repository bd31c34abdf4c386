import { isIPv4 } from 'node:net';
import type { Clock } from '../../runtime/clock.js';
import { sntpRequest, sntpTransmitTime } from '../../firmware-protocol/sntp.js';
import type { NtpWorld } from './ntp-world.js';
import type { NetworkStack } from './types.js';

const NTP_PORT = 123;

/**
 * One SNTP request to `server` through a module's network stack, as lwIP's SNTP client sends it:
 * the world's `ntp` section says where a server name is; other names are resolved and asked on
 * port 123. Resolves with the server's transmit time in Unix ms; rejects on no answer within
 * `timeoutMs` (on `clock`) or a failed send.
 */
export async function askSntp(stack: NetworkStack, ntp: NtpWorld | undefined, clock: Clock, server: string, timeoutMs: number): Promise<number> {
  const mapped = ntp?.[server.toLowerCase()];
  const remote = mapped ? { ip: mapped.host, port: mapped.port } : { ip: isIPv4(server) ? server : await stack.resolve(server), port: NTP_PORT };
  const link = await stack.openUdp({ remote, localPort: 0 });
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = clock.setTimeout(() => reject(new Error('no answer')), timeoutMs);
      link.setHandlers({
        onData: (data) => {
          const unixMs = sntpTransmitTime(data);
          if (unixMs === null) return;
          clock.clearTimeout(timer);
          resolve(unixMs);
        },
        onClose: () => {
          clock.clearTimeout(timer);
          reject(new Error('link closed'));
        },
      });
      link.send(sntpRequest()).catch((error: Error) => {
        clock.clearTimeout(timer);
        reject(error);
      });
    });
  } finally {
    link.close();
  }
}

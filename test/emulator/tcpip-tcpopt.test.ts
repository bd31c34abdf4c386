/** AT+CIPTCPOPT (TCP-IP_AT_Commands.rst v2.4): stored per link id and reported; id 5 sets them all. */
import { afterEach, describe, it } from 'vitest';
import { Cleanup, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const line = (id: number, values: string): string => `+CIPTCPOPT:${id},${values}\r\n`;

describe('AT+CIPTCPOPT', () => {
  it('reports the defaults, sets one link or every link, and refuses what is out of range', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    const defaults = [0, 1, 2, 3, 4].map((id) => line(id, '-1,0,0,0')).join('');
    await host.exchange('AT+CIPTCPOPT?\r\n', `${defaults}\r\nOK\r\n`);
    // CIPMUX=0: the single link's options, any of them left out.
    await host.exchange('AT+CIPTCPOPT=0,1,5000\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPTCPOPT=,,,60\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPMUX=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPTCPOPT=3,,1,,\r\n', '\r\nOK\r\n');
    await host.exchange(
      'AT+CIPTCPOPT?\r\n',
      `${line(0, '0,1,5000,60')}${line(1, '-1,0,0,0')}${line(2, '-1,0,0,0')}${line(3, '-1,1,0,0')}${line(4, '-1,0,0,0')}\r\nOK\r\n`,
    );
    await host.exchange('AT+CIPTCPOPT=5,-1,0,10000,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPTCPOPT?\r\n', `${[0, 1, 2, 3, 4].map((id) => line(id, '-1,0,10000,0')).join('')}\r\nOK\r\n`);
    await host.exchange('AT+CIPTCPOPT=1,-1,2,0,0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPTCPOPT=1,-1,0,0,7201\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPTCPOPT=6,-1,0,0,0\r\n', '\r\nERROR\r\n');
    // RAM only: a reset brings the defaults back.
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPTCPOPT?\r\n', `${defaults}\r\nOK\r\n`);
  });
});

/**
 * SNTP (TCP-IP_AT_Commands.rst v2.4): AT+CIPSNTPCFG starts the module's client, which asks a real
 * SNTP server over UDP (a loopback server started here, named in the world's `ntp` section) and sets
 * the module clock; AT+CIPSNTPTIME? prints it as asctime in the configured zone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { query, startSntpServer, timeUntil } from '../helpers/sntp-lab.js';
import { Cleanup, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** The server's time: 2021-10-19 09:47:56 UTC (the docs' example, 17:47:56 at UTC+8). */
const SERVER_TIME = Date.UTC(2021, 9, 19, 9, 47, 56);

describe('SNTP: AT+CIPSNTPCFG, AT+CIPSNTPTIME, AT+CIPSNTPINTV', () => {
  it('syncs the module clock from the configured server and prints it in the time zone', async () => {
    const server = await startSntpServer(cleanup, SERVER_TIME);
    const world = parseWorldConfig({ timing: { scale: 0.01 }, ntp: { 'ntp.lab': `127.0.0.1:${server.port}` } });
    const { host } = await startBench(cleanup, { world });
    await joinLab(host);
    await host.exchange('AT+CIPSNTPCFG?\r\n', '+CIPSNTPCFG:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPINTV?\r\n', '+CIPSNTPINTV:3600\r\n\r\nOK\r\n');
    // Not synced: the clock runs from the epoch of this boot (asctime pads the day with a space).
    expect(await query(host, 'AT+CIPSNTPTIME?\r\n')).toMatch(/^\+CIPSNTPTIME:Thu Jan {2}1 00:00:\d\d 1970\r\n\r\nOK\r\n$/);
    await host.exchange('AT+CIPSNTPCFG=1,8,"ntp.lab"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', '+CIPSNTPCFG:1,8,"ntp.lab"\r\n\r\nOK\r\n');
    expect(await timeUntil(host, /2021/)).toMatch(/^\+CIPSNTPTIME:Tue Oct 19 17:4[78]:\d\d 2021\r\n\r\nOK\r\n$/);
    const stamp = /\+SYSTIMESTAMP:(\d+)/.exec(await query(host, 'AT+SYSTIMESTAMP?\r\n'))?.[1];
    expect(Math.abs(Number(stamp) - SERVER_TIME / 1000)).toBeLessThan(60);
    // One SNTP v4 client request (LI 0, VN 4, mode 3), 48 bytes.
    expect(server.requests[0]?.length).toBe(48);
    expect(server.requests[0]?.[0]).toBe(0x23);
    // UTC-05:00 in the second format: the same instant, another local time.
    await host.exchange('AT+CIPSNTPCFG=1,-500,"ntp.lab"\r\n', '\r\nOK\r\n');
    expect(await timeUntil(host, /Oct 19 04:/)).toMatch(/^\+CIPSNTPTIME:Tue Oct 19 04:4[78]:\d\d 2021\r\n/);
  });

  it('reads both time zone formats, falls back to the built-in servers, and refuses what neither format is', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    const builtIn = '"cn.ntp.org.cn","ntp.sjtu.edu.cn","us.pool.ntp.org"';
    await host.exchange('AT+CIPSNTPCFG=1,530\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', `+CIPSNTPCFG:1,5,${builtIn}\r\n\r\nOK\r\n`);
    // `015` reads as 15: not an hour count, so UTC+00:15, shown as 0 (the docs' note).
    await host.exchange('AT+CIPSNTPCFG=1,015\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', `+CIPSNTPCFG:1,0,${builtIn}\r\n\r\nOK\r\n`);
    await host.exchange('AT+CIPSNTPCFG=1,-12,"a.lab","b.lab","c.lab"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', '+CIPSNTPCFG:1,-12,"a.lab","b.lab","c.lab"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG=1,1260\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPCFG=1,1500\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPCFG=1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPCFG=2,8\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPCFG=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', '+CIPSNTPCFG:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPINTV=14\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPINTV=15\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPINTV?\r\n', '+CIPSNTPINTV:15\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPTIME=1\r\n', '\r\nERROR\r\n');
    // A reset forgets it all: the configuration lives in RAM.
    await host.exchange('AT+CIPSNTPCFG=1,8\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', '+CIPSNTPCFG:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPINTV?\r\n', '+CIPSNTPINTV:3600\r\n\r\nOK\r\n');
  });
});

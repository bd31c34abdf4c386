/**
 * NonOS AT 1.7.4's AT+PING and SNTP commands, in its own formats (ESP8266_NONOS_SDK v3.0.4
 * lib/libat.a: `+%u\r\n` / `+timeout\r\n`; `%s:1,%d` + `,"%s"` / `%s:0\r\n`; `%s:%s` with
 * sntp_asctime's zero-padded day and no line end of its own before `\r\nOK\r\n`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { query, startSntpServer, timeUntil } from '../helpers/sntp-lab.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const PROFILE = 'esp8266-at-1.7';

/** 2022-11-04 07:00:22 UTC: 15:00:22 at UTC+8, a single-digit day. */
const SERVER_TIME = Date.UTC(2022, 10, 4, 7, 0, 22);

describe('NonOS 1.7: AT+PING', () => {
  const world = parseWorldConfig({
    timing: { scale: 1, associateMs: 10, dhcpMs: 10 },
    hosts: { 'peer.lab': '127.0.0.1', 'quiet.lab': '127.0.0.9' },
    ping: { defaultMs: 7, hosts: { 'peer.lab': 12, 'quiet.lab': null } },
  });

  it('answers +<time> then OK, +timeout then ERROR, and a bare ERROR for a name that does not resolve', async () => {
    const clock = new ManualClock();
    const { host } = await startBench(cleanup, { profile: PROFILE, world, clock });
    await joinLab(host);
    await host.exchange('AT+PING="192.168.1.1"\r\n', '+7\r\n\r\nOK\r\n');
    await host.exchange('AT+PING="peer.lab"\r\n', '+12\r\n\r\nOK\r\n');
    await host.exchange('AT+PING="quiet.lab"\r\n', '+timeout\r\n\r\nERROR\r\n');
    await host.exchange('AT+PING="nowhere.invalid"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+PING\r\n', '\r\nERROR\r\n');
  });
});

describe('NonOS 1.7: AT+CIPSNTPCFG, AT+CIPSNTPTIME', () => {
  it('syncs from the configured server; the time stands at the epoch until then, zero-padded, unterminated', async () => {
    const server = await startSntpServer(cleanup, SERVER_TIME);
    const world = parseWorldConfig({ timing: { scale: 0.01 }, ntp: { 'ntp.lab': `127.0.0.1:${server.port}` } });
    const { host } = await startBench(cleanup, { profile: PROFILE, world });
    await joinLab(host);
    await host.exchange('AT+CIPSNTPCFG?\r\n', '+CIPSNTPCFG:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPTIME?\r\n', '+CIPSNTPTIME:Thu Jan 01 00:00:00 1970\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG=1,8,"ntp.lab"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', '+CIPSNTPCFG:1,8,"ntp.lab"\r\n\r\nOK\r\n');
    expect(await timeUntil(host, /2022/)).toMatch(/^\+CIPSNTPTIME:Fri Nov 04 15:0[01]:\d\d 2022\r\nOK\r\n$/);
    expect(server.requests[0]?.length).toBe(48);
  });

  it('takes whole hours in -11..13, its three servers by default, and 0 alone, which clears them', async () => {
    const { host } = await startBench(cleanup, { profile: PROFILE });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    const builtIn = '"cn.ntp.org.cn","ntp.sjtu.edu.cn","us.pool.ntp.org"';
    await host.exchange('AT+CIPSNTPCFG=1,-11\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', `+CIPSNTPCFG:1,-11,${builtIn}\r\n\r\nOK\r\n`);
    await host.exchange('AT+CIPSNTPCFG=1,13,"a.lab","b.lab"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', '+CIPSNTPCFG:1,13,"a.lab","b.lab"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG=1,14\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPCFG=1,-12\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPCFG=1,530\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPCFG=1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPCFG=0,8\r\n', '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSNTPCFG=1,8,"${'n'.repeat(33)}"\r\n`, '\r\nERROR\r\n');
    await host.exchange('AT+CIPSNTPCFG=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSNTPCFG?\r\n', '+CIPSNTPCFG:0\r\n\r\nOK\r\n');
    // NonOS has no AT+CIPSNTPINTV.
    await host.exchange('AT+CIPSNTPINTV?\r\n', '\r\nERROR\r\n');
  });
});

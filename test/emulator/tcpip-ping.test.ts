import { afterEach, describe, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Real scale: the round trips are waited on fake time, so the figures are the world's own. */
const PING_WORLD = parseWorldConfig({
  timing: { scale: 1, associateMs: 10, dhcpMs: 10 },
  hosts: { 'peer.lab': '127.0.0.1', 'quiet.lab': '127.0.0.9' },
  ping: { defaultMs: 7, hosts: { 'peer.lab': 12, '10.9.9.9': null, 'quiet.lab': null, '127.0.0.2': 1500 } },
});

describe('AT+PING (TCP-IP_AT_Commands: AT+PING)', () => {
  it('answers +PING:<time> from the radio world, by address or name, and +PING:TIMEOUT then ERROR otherwise', async () => {
    const clock = new ManualClock();
    const { host } = await startBench(cleanup, { world: PING_WORLD, clock });
    await joinLab(host);
    await host.exchange('AT+PING="192.168.1.1"\r\n', '+PING:7\r\n\r\nOK\r\n');
    await host.exchange('AT+PING="peer.lab"\r\n', '+PING:12\r\n\r\nOK\r\n');
    await host.exchange('AT+PING="127.0.0.1"\r\n', '+PING:12\r\n\r\nOK\r\n');
    await host.exchange('AT+PING="10.9.9.9"\r\n', '+PING:TIMEOUT\r\n\r\nERROR\r\n');
    await host.exchange('AT+PING="quiet.lab"\r\n', '+PING:TIMEOUT\r\n\r\nERROR\r\n');
    // Slower than the firmware's 1 s wait: no answer.
    await host.exchange('AT+PING="127.0.0.2"\r\n', '+PING:TIMEOUT\r\n\r\nERROR\r\n');
    // A name that does not resolve.
    await host.exchange('AT+PING="nowhere.invalid"\r\n', '+PING:TIMEOUT\r\n\r\nERROR\r\n');
    await host.exchange('AT+PING\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+PING=1\r\n', '\r\nERROR\r\n');
  });

  it('waits for the echo on the module clock: nothing before the round trip has passed', async () => {
    const clock = new ManualClock();
    const { host } = await startBench(cleanup, { world: PING_WORLD, clock });
    await joinLab(host);
    host.send('AT+PING="peer.lab"\r\n');
    await host.expectSilence(5);
    await host.pause(12);
    await host.expect('+PING:12\r\n\r\nOK\r\n');
  });

  it('cannot ping without an address', async () => {
    const { host } = await startBench(cleanup, { world: PING_WORLD, clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+PING="127.0.0.1"\r\n', '+PING:TIMEOUT\r\n\r\nERROR\r\n');
  });
});

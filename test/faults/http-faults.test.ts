import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, joinLab } from '../emulator/harness.js';
import { HttpLab, rawResponse } from '../helpers/http-lab.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { startFaultBench } from './bench.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function lab(): Promise<HttpLab> {
  const server = await HttpLab.start((socket) => socket.write(rawResponse('200 OK', ['Content-Length: 2'], 'hi')));
  cleanup.add(() => server.close());
  return server;
}

/** The module's HTTP client runs on the same network stack, so the network faults reach it too. */
describe('network faults on the HTTP client', () => {
  it('dns-fail: ERR CODE 0x010a7000 and ERROR; the next request works', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    const server = await lab();
    await joinLab(host);
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    faults.apply('dns-fail@#1');
    await host.exchange(`AT+HTTPCLIENT=2,0,"http://peer.lab:${server.port}/",,,1\r\n`, 'ERR CODE:0x010a7000\r\n\r\nERROR\r\n');
    await host.exchange(`AT+HTTPCLIENT=2,0,"http://peer.lab:${server.port}/",,,1\r\n`, '+HTTPCLIENT:2,hi\r\n\r\nOK\r\n');
  });

  it('tcp-reset on the request: ERROR, no answer printed; the module stays usable', async () => {
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    const server = await lab();
    await joinLab(host);
    faults.apply('tcp-reset@#1');
    await host.exchange(`AT+HTTPCLIENT=2,0,"http://127.0.0.1:${server.port}/",,,1\r\n`, '\r\nERROR\r\n', 10_000);
    expect(server.requests).toHaveLength(0);
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });
});

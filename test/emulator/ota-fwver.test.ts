import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { HttpLab, header, rawResponse, type Responder } from '../helpers/http-lab.js';
import { Cleanup, joinLab, startBench } from './harness.js';

/**
 * AT+CIPFWVER? on ESP-AT 4.1 (TCP-IP_AT_Commands.rst v4.1.1.0; at_ota_cmd.c's
 * at_query_cmd_cipfwver): the versions the OTA server offers, asked of a loopback HTTP server the
 * world names as the firmware's OTA server.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const OK = '\r\nOK\r\n';
const ERROR = '\r\nERROR\r\n';
const C3 = 'esp32c3-at-4.1' as const;

async function otaServer(respond: Responder): Promise<HttpLab> {
  const lab = await HttpLab.start(respond);
  cleanup.add(() => lab.close());
  return lab;
}

const answer = (status: string, body: string): Responder => (socket) => {
  socket.end(rawResponse(status, [`Content-Length: ${Buffer.byteLength(body)}`], body));
};

async function module(port: number) {
  const world = parseWorldConfig({ timing: { scale: 0.01 }, ota: { server: `127.0.0.1:${port}` } });
  const { host } = await startBench(cleanup, { profile: C3, world });
  await joinLab(host);
  return host;
}

// The shape of iot.espressif.cn's /v1/device/rom answer (UNSURE beyond what the firmware matches).
const ROMS =
  '{"rom": {"version": "v2.2.0.0", "file": "ota.bin"}, "productRoms": [' +
  '{"version": "v4.0.0.0", "file": "ota.bin"}, {"version": "v4.1.1.0", "file": "ota.bin"}], "status": 200}';

describe('AT+CIPFWVER: the firmware versions on the OTA server', () => {
  it('GETs /v1/device/rom with the token and prints each "version" as the firmware cuts it', async () => {
    const server = await otaServer(answer('200 OK', ROMS));
    const host = await module(server.port);
    await host.exchange('AT+CIPFWVER?\r\n', `+CIPFWVER:"v2.2.0.0"\r\n+CIPFWVER:"v4.0.0.0"\r\n+CIPFWVER:"v4.1.1.0"\r\n${OK}`, 10_000);
    const request = server.requests[0];
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/v1/device/rom');
    expect(header(request, 'Authorization')).toBe('token dd93253c287f725de50d4071a05dd28b72056ca7');
    expect(header(request, 'Host')).toBe('iot.espressif.cn');
  });

  it('an answer without versions is OK alone; a status >= 400 or no server is ERROR', async () => {
    const empty = await otaServer(answer('200 OK', '{"productRoms": []}'));
    let host = await module(empty.port);
    await host.exchange('AT+CIPFWVER?\r\n', OK, 10_000);
    const refused = await otaServer(answer('401 UNAUTHORIZED', '{"version": "v9", "x": 1}'));
    host = await module(refused.port);
    await host.exchange('AT+CIPFWVER?\r\n', ERROR, 10_000);
    // A version without the `", ` after it ends the scan (UNSURE).
    const odd = await otaServer(answer('200 OK', '{"version": "v1.0", "version": "v2"}'));
    host = await module(odd.port);
    await host.exchange('AT+CIPFWVER?\r\n', `+CIPFWVER:"v1.0"\r\n${OK}`, 10_000);
    const gone = await otaServer(answer('200 OK', ROMS));
    const port = gone.port;
    await gone.close();
    host = await module(port);
    await host.exchange('AT+CIPFWVER?\r\n', ERROR, 10_000);
  });

  it('has the query only; other forms and other firmwares answer ERROR', async () => {
    const { host } = await startBench(cleanup, { profile: C3 });
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange('AT+CIPFWVER\r\n', ERROR);
    await host.exchange('AT+CIPFWVER=1\r\n', ERROR);
    await host.exchange('AT+CIPFWVER=?\r\n', ERROR);
    const other = await startBench(cleanup, { profile: 'esp32-at-2.x' });
    await other.host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await other.host.exchange('AT+CIPFWVER?\r\n', ERROR);
  });
});

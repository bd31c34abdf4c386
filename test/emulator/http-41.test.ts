/**
 * ESP-AT 4.1's HTTP additions (HTTP_AT_Commands.rst v4.1.1.0): AT+HTTPCPUT (AT+HTTPCPOST's shape with
 * PUT) and AT+HTTPCHEAD (global request headers, after a prompt; `%s:%d,"%s:%s"` in its query).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HttpLab, rawResponse } from '../helpers/http-lab.js';
import { Cleanup, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('ESP-AT 4.1: AT+HTTPCPUT and AT+HTTPCHEAD', () => {
  it('PUTs the body with the configured headers; the headers are listed, and cleared with 0', async () => {
    const server = await HttpLab.start((socket) => socket.write(rawResponse('200 OK', ['Content-Length: 4'], 'done')));
    cleanup.add(() => server.close());
    const { host } = await startBench(cleanup, { profile: 'esp32c3-at-4.1' });
    await joinLab(host);
    await host.exchange('AT+HTTPCHEAD?\r\n', '\r\nOK\r\n');
    await host.exchange('AT+HTTPCHEAD=18\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('Range: bytes=0-255', '\r\nOK\r\n');
    await host.exchange('AT+HTTPCHEAD=13\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('X-Device: c3a', '\r\nOK\r\n');
    await host.exchange('AT+HTTPCHEAD?\r\n', '+HTTPCHEAD:0,"Range: bytes=0-255"\r\n+HTTPCHEAD:1,"X-Device: c3a"\r\n\r\nOK\r\n');
    await host.exchange(`AT+HTTPCPUT="http://127.0.0.1:${server.port}/item/7",5\r\n`, '\r\nOK\r\n\r\n>');
    await host.exchange('hello', '+HTTPCPUT:4,done\r\n\r\nSEND OK\r\n');
    const request = server.requests[0];
    expect(request?.method).toBe('PUT');
    expect(request?.path).toBe('/item/7');
    expect(request?.body.toString()).toBe('hello');
    expect(request?.headerLines).toEqual(expect.arrayContaining(['Range: bytes=0-255', 'X-Device: c3a']));
    await host.exchange('AT+HTTPCHEAD=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+HTTPCHEAD?\r\n', '\r\nOK\r\n');
    // A header without a name before its colon is refused.
    await host.exchange('AT+HTTPCHEAD=4\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange(': no', '\r\nERROR\r\n');
  });

  it('ESP-AT 2.4 has neither', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+HTTPCHEAD?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+HTTPCPUT="http://127.0.0.1:1/",5\r\n', '\r\nERROR\r\n');
  });
});

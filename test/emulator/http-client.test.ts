import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { ESP32_AT_2X } from '../../firmware-protocol/at/profiles/index.js';
import { HttpLab, header, rawResponse, type Responder } from '../helpers/http-lab.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { makeTestPki, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, LAB, joinLab, startBench, type TestHost } from './harness.js';
import { HTTPCPOST_EXAMPLE_DATA, HTTP_EXAMPLE_PIECES } from './http-examples.fixture.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function lab(respond: Responder, tls = false): Promise<HttpLab> {
  const server = await HttpLab.start(respond, tls ? { tls: pki.server } : {});
  cleanup.add(() => server.close());
  return server;
}

/** The head httpbin.org answered with on the examples page (230 bytes with a three-digit length). */
function httpbinHead(length: number): string[] {
  return [
    'Date: Sun, 26 Sep 2021 06:59:13 GMT',
    'Content-Type: application/json',
    `Content-Length: ${length}`,
    'Connection: keep-alive',
    'Server: gunicorn/19.9.0',
    'Access-Control-Allow-Origin: *',
    'Access-Control-Allow-Credentials: true',
  ];
}

/** httpbin's answer: head and body in one write, as its server sent them. */
function httpbin(body: string): Responder {
  return (socket) => socket.write(rawResponse('200 OK', httpbinHead(body.length), body));
}

/** `+<name>:<len>,<bytes>\r\n` per piece. */
function pieces(name: string, parts: readonly (string | Buffer)[]): string {
  return parts.map((part) => `+${name}:${part.length},${Buffer.isBuffer(part) ? part.toString('latin1') : part}\r\n`).join('');
}

/** A line as the module answers it with echo on (`<line>\r\r\n` first), as after AT+RESTORE. */
async function echoed(host: TestHost, line: string, answer: string, timeoutMs = 3000): Promise<void> {
  await host.exchange(`${line}\r\n`, `${line}\r\r\n${answer}`, timeoutMs);
}

/** The examples' first three steps: AT+RESTORE, AT+CWMODE=1, AT+CWJAP (the lab's AP for Espressif's). */
async function examplePrelude(host: TestHost): Promise<void> {
  await echoed(host, 'AT+RESTORE', '\r\nOK\r\n');
  await host.expect('\r\nready\r\n');
  await echoed(host, 'AT+CWMODE=1', '\r\nOK\r\n');
  await echoed(host, `AT+CWJAP="${LAB.ssid}","${LAB.password}"`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
}

describe("Espressif's HTTP examples page (v2.4.2.0), replayed against loopback servers", () => {
  it('HEAD: one +HTTPCLIENT line per response header, `Key: value` with its length', async () => {
    const server = await lab((socket) => socket.write(rawResponse('200 OK', httpbinHead(329))));
    const { host } = await startBench(cleanup);
    await examplePrelude(host);
    // The page shows a space after the comma, but its lengths count none (35 = "Date: ...GMT"), and
    // the firmware's format is "%s:%d,%s%s%s\r\n" with ": ": no space.
    await echoed(
      host,
      `AT+HTTPCLIENT=1,0,"http://127.0.0.1:${server.port}/get",,,1`,
      pieces('HTTPCLIENT', httpbinHead(329)) + '\r\nOK\r\n',
    );
    const request = server.requests[0];
    expect(request.method).toBe('HEAD');
    expect(request.path).toBe('/get');
    expect(header(request, 'Host')).toBe(`127.0.0.1:${server.port}`);
    expect(header(request, 'User-Agent')).toBe('ESP32 HTTP Client/1.0');
    expect(header(request, 'Connection')).toBeUndefined();
  });

  it('GET over SSL: the body in 512-byte pieces, binary bytes as they are', async () => {
    const image = randomBytes(1536);
    const server = await lab((socket) => {
      socket.write(rawResponse('200 OK', ['Content-Type: image/jpeg', `Content-Length: ${image.length}`]));
      // The head came alone (the page's first piece is a full 512), then the picture.
      setTimeout(() => socket.write(image), 50);
    }, true);
    const { host } = await startBench(cleanup);
    await examplePrelude(host);
    await echoed(
      host,
      `AT+HTTPCLIENT=2,0,"https://127.0.0.1:${server.port}/sites/all/themes/espressif/images/about-us/solution-platform.jpg",,,2`,
      pieces('HTTPCLIENT', [image.subarray(0, 512), image.subarray(512, 1024), image.subarray(1024)]) + '\r\nOK\r\n',
    );
    expect(server.requests[0].method).toBe('GET');
  });

  it('POST with <"data"> in the command (application/json): 282 + 173 bytes', async () => {
    const body = HTTP_EXAMPLE_PIECES.POST_FORM.join('');
    const server = await lab(httpbin(body));
    const { host } = await startBench(cleanup);
    await examplePrelude(host);
    await echoed(
      host,
      `AT+HTTPCLIENT=3,1,"http://127.0.0.1:${server.port}/post",,,1,"{\\"form\\":{\\"purpose\\":\\"test\\"}}"`,
      pieces('HTTPCLIENT', HTTP_EXAMPLE_PIECES.POST_FORM) + '\r\nOK\r\n',
    );
    const request = server.requests[0];
    expect(request.method).toBe('POST');
    expect(request.body.toString()).toBe('{"form":{"purpose":"test"}}');
    expect(header(request, 'Content-Type')).toBe('application/json');
    expect(header(request, 'Content-Length')).toBe('27');
  });

  it('AT+HTTPCPOST: OK, the prompt, 427 bytes, then 281 + 512 + 512 + 45 bytes and SEND OK', async () => {
    const body = HTTP_EXAMPLE_PIECES.HTTPCPOST.join('');
    const server = await lab(httpbin(body));
    const { host } = await startBench(cleanup);
    await examplePrelude(host);
    await echoed(
      host,
      `AT+HTTPCPOST="http://127.0.0.1:${server.port}/post",427,2,"connection: keep-alive","content-type: application/json"`,
      '\r\nOK\r\n\r\n>',
    );
    expect(HTTPCPOST_EXAMPLE_DATA.length).toBe(427);
    await host.exchange(HTTPCPOST_EXAMPLE_DATA, pieces('HTTPCPOST', HTTP_EXAMPLE_PIECES.HTTPCPOST) + '\r\nSEND OK\r\n');
    const request = server.requests[0];
    expect(request.body.toString()).toBe(HTTPCPOST_EXAMPLE_DATA);
    expect(header(request, 'Content-Type')).toBe('application/json');
    expect(header(request, 'Content-Length')).toBe('427');
    expect(header(request, 'connection')).toBe('keep-alive');
  });

  it('PUT with a query string: 282 + 140 bytes', async () => {
    const server = await lab(httpbin(HTTP_EXAMPLE_PIECES.PUT.join('')));
    const { host } = await startBench(cleanup);
    await examplePrelude(host);
    await echoed(
      host,
      `AT+HTTPCLIENT=4,0,"http://127.0.0.1:${server.port}/put?user=foo",,,1`,
      pieces('HTTPCLIENT', HTTP_EXAMPLE_PIECES.PUT) + '\r\nOK\r\n',
    );
    const request = server.requests[0];
    expect(`${request.method} ${request.path}`).toBe('PUT /put?user=foo');
    expect(header(request, 'Content-Length')).toBe('0');
    expect(header(request, 'Content-Type')).toBe('application/x-www-form-urlencoded');
  });

  it('DELETE on an https URL with transport_type 1 (the URL wins): 282 + 114 bytes', async () => {
    const server = await lab(httpbin(HTTP_EXAMPLE_PIECES.DELETE.join('')), true);
    const { host } = await startBench(cleanup);
    await examplePrelude(host);
    await echoed(
      host,
      `AT+HTTPCLIENT=5,0,"https://127.0.0.1:${server.port}/delete",,,1`,
      pieces('HTTPCLIENT', HTTP_EXAMPLE_PIECES.DELETE) + '\r\nOK\r\n',
    );
    expect(server.requests[0].method).toBe('DELETE');
  });
});

describe('AT+HTTPCLIENT: statuses, transfer codings and faults', () => {
  it('prints the body of an error status, then ERR CODE 0x010a7000+status (AT+SYSLOG=1) and ERROR; stays usable', async () => {
    const server = await lab((socket) => socket.write(rawResponse('404 NOT FOUND', ['Content-Length: 9'], 'not here\n')));
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange(
      `AT+HTTPCLIENT=2,0,"http://127.0.0.1:${server.port}/missing",,,1\r\n`,
      '+HTTPCLIENT:9,not here\n\r\nERR CODE:0x010a7194\r\n\r\nERROR\r\n',
    );
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });

  it('does not follow a redirect: the 302 answer is the answer', async () => {
    const server = await lab((socket) => socket.write(rawResponse('302 FOUND', ['Location: /elsewhere', 'Content-Length: 5'], 'moved')));
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(`AT+HTTPCLIENT=2,0,"http://127.0.0.1:${server.port}/old",,,1\r\n`, '+HTTPCLIENT:5,moved\r\n\r\nOK\r\n');
    expect(server.requests.map((request) => request.path)).toEqual(['/old']);
  });

  it('gives one piece per chunk of a chunked body, framing removed', async () => {
    const server = await lab((socket) =>
      socket.write(rawResponse('200 OK', ['Transfer-Encoding: chunked'], '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n')),
    );
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(
      `AT+HTTPCLIENT=2,0,"http://peer.lab:${server.port}/chunks",,,1\r\n`,
      '+HTTPCLIENT:5,hello\r\n+HTTPCLIENT:6, world\r\n\r\nOK\r\n',
    );
  });

  it('uses host and path when the URL is empty, over <transport_type>', async () => {
    const server = await lab((socket) => socket.write(rawResponse('200 OK', ['Content-Length: 2'], 'hi')), true);
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(`AT+HTTPCLIENT=2,0,"","127.0.0.1:${server.port}","/p?q=1",2\r\n`, '+HTTPCLIENT:2,hi\r\n\r\nOK\r\n');
    expect(server.requests[0].path).toBe('/p?q=1');
  });

  it('ends a truncated chunked body with what came, and OK (esp_http_client stops at the failed read)', async () => {
    const server = await lab((socket) => {
      socket.write(rawResponse('200 OK', ['Transfer-Encoding: chunked'], '5\r\nhello\r\n6\r\n wo'));
      setTimeout(() => socket.end(), 30);
    });
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(
      `AT+HTTPCLIENT=2,0,"http://127.0.0.1:${server.port}/cut",,,1\r\n`,
      '+HTTPCLIENT:5,hello\r\n+HTTPCLIENT:3, wo\r\n\r\nOK\r\n',
    );
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });

  it('a server that stalls mid-body: what came, then OK after the 5 s network timeout (module clock)', async () => {
    const clock = new ManualClock();
    const server = await lab((socket) => socket.write(rawResponse('200 OK', ['Content-Length: 100'], 'first part')));
    const { host } = await startBench(cleanup, { clock });
    await joinLab(host);
    host.send(`AT+HTTPCLIENT=2,0,"http://127.0.0.1:${server.port}/slow",,,1\r\n`);
    await host.expect('+HTTPCLIENT:10,first part\r\n', 10_000);
    await host.exchange('AT\r\n', '\r\nbusy p...\r\n');
    const before = clock.now();
    await host.expect('\r\nOK\r\n', 10_000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(4000);
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });

  it('a server that never answers: ERR CODE 0x010a7000 and ERROR after the timeout; a refused connect the same', async () => {
    const clock = new ManualClock();
    const server = await lab(() => undefined);
    const { host } = await startBench(cleanup, { clock });
    await joinLab(host);
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+HTTPCLIENT=2,0,"http://127.0.0.1:${server.port}/",,,1\r\n`, 'ERR CODE:0x010a7000\r\n\r\nERROR\r\n', 10_000);
    expect(server.requests).toHaveLength(1);
    const closed = await lab(() => undefined);
    const deadPort = closed.port;
    await closed.close();
    await host.exchange(`AT+HTTPCLIENT=2,0,"http://127.0.0.1:${deadPort}/",,,1\r\n`, 'ERR CODE:0x010a7000\r\n\r\nERROR\r\n', 10_000);
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });

  it('refuses bad parameters and requests without an IP address', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+HTTPCLIENT=2,0,"http://127.0.0.1:1/",,,1\r\n', 'ERR CODE:0x010a7000\r\n\r\nERROR\r\n');
    await host.exchange('AT+HTTPCLIENT=6,0,"http://127.0.0.1/",,,1\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+HTTPCLIENT=2,4,"http://127.0.0.1/",,,1\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+HTTPCLIENT=2,0,"ftp://127.0.0.1/",,,1\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+HTTPCLIENT=2,0,"",,,1\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+HTTPCLIENT=2,0,"http://127.0.0.1/"\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
  });

  it('keeps to the outbound policy of the world', async () => {
    const server = await lab((socket) => socket.write(rawResponse('200 OK', ['Content-Length: 2'], 'hi')));
    const world = parseWorldConfig({ timing: { scale: 0.01 }, outbound: { deny: ['127.0.0.1'] } });
    const { host } = await startBench(cleanup, { world });
    await joinLab(host);
    await host.exchange(`AT+HTTPCLIENT=2,0,"http://127.0.0.1:${server.port}/",,,1\r\n`, '\r\nERROR\r\n');
    expect(server.requests).toHaveLength(0);
  });
});

describe('AT+HTTPGETSIZE, AT+HTTPCGET, AT+HTTPURLCFG', () => {
  it('HTTPGETSIZE: the Content-Length of a GET, `+HTTPGETSIZE:<size>`', async () => {
    const server = await lab((socket) => socket.write(rawResponse('200 OK', ['Content-Length: 4096'], 'x'.repeat(4096))));
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(`AT+HTTPGETSIZE="http://127.0.0.1:${server.port}/big"\r\n`, '+HTTPGETSIZE:4096\r\n\r\nOK\r\n');
    expect(server.requests[0].method).toBe('GET');
  });

  it('HTTPCGET: pieces of at most <rx size> (the head fills the first read)', async () => {
    const body = Buffer.from('abcdefghij'.repeat(30));
    const response = rawResponse('200 OK', [`Content-Length: ${body.length}`], body);
    const headLength = response.length - body.length;
    const server = await lab((socket) => socket.write(response));
    const { host } = await startBench(cleanup);
    await joinLab(host);
    const rx = 128;
    const expected: Buffer[] = [];
    let offset = 0;
    for (let read = 0; read * rx < response.length; read += 1) {
      const end = Math.min((read + 1) * rx, response.length) - headLength;
      if (end > offset) {
        expected.push(body.subarray(offset, end));
        offset = end;
      }
    }
    expect(expected[0].length).toBe(rx - headLength);
    await host.exchange(`AT+HTTPCGET="http://127.0.0.1:${server.port}/file",2048,${rx},5000\r\n`, pieces('HTTPCGET', expected) + '\r\nOK\r\n');
  });

  it('HTTPURLCFG: a long URL after the prompt, SET OK, used by an empty <"url">, cleared with 0', async () => {
    const server = await lab((socket, request) => socket.write(rawResponse('200 OK', ['Content-Length: 2'], request.path.length > 200 ? 'ok' : 'no')));
    const { host } = await startBench(cleanup);
    await joinLab(host);
    const url = `http://127.0.0.1:${server.port}/${'long/'.repeat(60)}end`;
    await host.exchange('AT+HTTPURLCFG?\r\n', '+HTTPURLCFG:0,\r\n\r\nOK\r\n');
    await host.exchange(`AT+HTTPURLCFG=${url.length}\r\n`, '\r\nOK\r\n\r\n>');
    await host.exchange(url, '\r\nSET OK\r\n');
    await host.exchange('AT+HTTPURLCFG?\r\n', `+HTTPURLCFG:${url.length},${url}\r\n\r\nOK\r\n`);
    await host.exchange('AT+HTTPCLIENT=2,0,"",,,1\r\n', '+HTTPCLIENT:2,ok\r\n\r\nOK\r\n');
    await host.exchange('AT+HTTPCGET=""\r\n', '+HTTPCGET:2,ok\r\n\r\nOK\r\n');
    await host.exchange('AT+HTTPURLCFG=5\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+HTTPURLCFG=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+HTTPURLCFG?\r\n', '+HTTPURLCFG:0,\r\n\r\nOK\r\n');
  });

  it('HTTPCPOST: a header count that does not match the headers is refused before the prompt; SEND FAIL without an answer', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+HTTPCPOST="http://127.0.0.1:1/post",4,2,"a: b"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+HTTPCPOST="http://127.0.0.1:1/post",4\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('abcd', '\r\nSEND FAIL\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });
});

describe('a large download', () => {
  it('reaches the host whole through HTTPCGET pieces of <rx size>, at the pace the host reads', async () => {
    const body = randomBytes(300 * 1024);
    const server = await lab((socket) => socket.write(rawResponse('200 OK', [`Content-Length: ${body.length}`], body)));
    const { host } = await startBench(cleanup);
    await joinLab(host);
    host.send(`AT+HTTPCGET="http://127.0.0.1:${server.port}/big",2048,10240\r\n`);
    await host.waitFor((pending) => pending.subarray(-6).toString() === '\r\nOK\r\n', 'the whole body and OK', 20_000);
    const parser = new HostResponseParser(ESP32_AT_2X);
    parser.push(host.pending);
    const pieces: Buffer[] = [];
    for (let event = parser.next(); event !== undefined; event = parser.next()) {
      if (event.type === 'piece') pieces.push(Buffer.from(event.data));
    }
    expect(Buffer.concat(pieces).equals(body)).toBe(true);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(10240);
  });
});

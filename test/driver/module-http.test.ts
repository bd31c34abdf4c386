/**
 * `open(device).http` and `copro http`: the module's own HTTP client driven through the driver, on
 * an in-process `emu:` module, against loopback HTTP servers.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runHttp } from '../../cli/commands/http.js';
import { OSError, errno } from '../../src/errors.js';
import type { Coprocessor } from '../../src/open.js';
import { openDevice } from '../../src/tools/cli-device.js';
import { HttpLab, header, rawResponse, type Responder } from '../helpers/http-lab.js';
import { FAST_WORLD } from './emulator-harness.js';

/** The HTTP client is under test, not the radio: the lab AP's join at 1 % of its time. */
const FAST = { world: FAST_WORLD };

const opened: Coprocessor[] = [];
const servers: HttpLab[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((copro) => copro.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function lab(respond: Responder): Promise<HttpLab> {
  const server = await HttpLab.start(respond);
  servers.push(server);
  return server;
}

async function module(): Promise<Coprocessor> {
  const copro = await openDevice({ device: 'emu:', baud: 115200, emulator: FAST });
  opened.push(copro);
  return copro;
}

const ok = (body: string | Buffer, headers: string[] = []): Responder => (socket) =>
  socket.write(rawResponse('200 OK', [...headers, `Content-Length: ${Buffer.byteLength(body)}`], body));

class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

describe('open(device).http', () => {
  it('GETs a body in the pieces the module prints, binary safe', async () => {
    const body = Buffer.from(Array.from({ length: 1500 }, (_, i) => i % 256));
    const server = await lab(ok(body));
    const copro = await module();
    const pieces: number[] = [];
    const answer = await copro.http.request(`http://127.0.0.1:${server.port}/bin`, { onPiece: (piece) => pieces.push(piece.length) });
    expect(answer.body.equals(body)).toBe(true);
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(1500);
    expect(Math.max(...pieces)).toBeLessThanOrEqual(512);
  });

  it('HEAD gives the response header lines', async () => {
    const server = await lab((socket) => socket.write(rawResponse('200 OK', ['X-Thing: 1', 'Content-Length: 7'])));
    const copro = await module();
    const answer = await copro.http.request(`http://127.0.0.1:${server.port}/`, { method: 'HEAD' });
    expect(answer.headerLines).toEqual(['X-Thing: 1', 'Content-Length: 7']);
    expect(answer.body.length).toBe(0);
  });

  it('POSTs a short body in the command line, and a body with line breaks through AT+HTTPCPOST', async () => {
    const server = await lab(ok('done'));
    const copro = await module();
    const url = `http://127.0.0.1:${server.port}/post`;
    await copro.http.request(url, { method: 'POST', body: '{"a":"b,c"}', contentType: 'application/json', headers: ['X-One: 1'] });
    const lines = 'line one\r\nline two\n'.repeat(20);
    const answer = await copro.http.request(url, { method: 'POST', body: lines, contentType: 'text/xml' });
    expect(answer.body.toString()).toBe('done');
    const [short, long] = server.requests;
    expect(short.body.toString()).toBe('{"a":"b,c"}');
    expect(header(short, 'Content-Type')).toBe('application/json');
    expect(header(short, 'X-One')).toBe('1');
    expect(long.body.toString()).toBe(lines);
    expect(header(long, 'Content-Type')).toBe('text/xml');
  });

  it('presets a URL too long for the command line with AT+HTTPURLCFG', async () => {
    const server = await lab((socket, request) => socket.write(rawResponse('200 OK', ['Content-Length: 3'], request.path.length > 300 ? 'yes' : 'no!')));
    const copro = await module();
    const answer = await copro.http.request(`http://127.0.0.1:${server.port}/${'x'.repeat(400)}`);
    expect(answer.body.toString()).toBe('yes');
    expect(await copro.http.size(`http://127.0.0.1:${server.port}/${'y'.repeat(300)}`)).toBe(3);
  });

  it('rejects an error status with OSError EIO', async () => {
    const server = await lab((socket) => socket.write(rawResponse('500 OOPS', ['Content-Length: 0'])));
    const copro = await module();
    const error = await copro.http.request(`http://127.0.0.1:${server.port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OSError);
    expect((error as OSError).errno).toBe(errno.EIO);
    // The module stays usable.
    expect(copro.wlan.isconnected()).toBe(true);
  });
});

describe('modules without an HTTP client of their own', () => {
  it('NonOS 1.7 and nina-fw: EOPNOTSUPP, nothing sent', async () => {
    for (const options of [{ device: 'emu:esp8266-at-1.7', baud: 115200 }, { device: 'emu:', baud: 115200, protocol: 'nina' as const }]) {
      const copro = await openDevice(options, false);
      opened.push(copro);
      const error = await copro.http.request('http://127.0.0.1:1/').catch((e: unknown) => e);
      expect((error as OSError).errno).toBe(errno.EOPNOTSUPP);
    }
  });
});

describe('copro http', () => {
  it('writes the body of a GET to stdout, and POSTs --data with -H headers', async () => {
    const server = await lab((socket, request) => socket.write(rawResponse('200 OK', ['Content-Length: 5'], request.method === 'GET' ? 'hello' : 'taken')));
    const stdout = new Sink();
    const stderr = new Sink();
    await runHttp('get', `http://127.0.0.1:${server.port}/hi`, { device: 'emu:', baud: 115200, emulator: FAST }, { stdout, stderr });
    expect(stdout.text).toBe('hello');
    const posted = new Sink();
    await runHttp('POST', `http://127.0.0.1:${server.port}/in`, { device: 'emu:', baud: 115200, emulator: FAST, data: 'k=v', header: ['X-Two: 2'], type: 'form' }, { stdout: posted, stderr });
    expect(posted.text).toBe('taken');
    expect(server.requests[1].body.toString()).toBe('k=v');
    expect(header(server.requests[1], 'X-Two')).toBe('2');
    expect(stderr.text).toBe('');
  });
});

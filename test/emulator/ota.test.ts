/**
 * AT+CIUPDATE (at_ota_cmd.c, v2.4): the module asks the OTA server for its newest version and downloads
 * `<name>.bin`, the requests byte for byte as the firmware writes them, progress as `+CIPUPDATE:<n>`;
 * the system image boots as the new version (AT+GMR), a custom partition lands in the flash. The
 * server is a raw TCP server on loopback that the world names as the firmware's OTA server.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import { Cleanup, LAB, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const TOKEN = 'dd93253c287f725de50d4071a05dd28b72056ca7';
const HEADERS =
  'Connection: keep-alive\r\nCache-Control: no-cache\r\n' +
  'User-Agent: Mozilla/5.0 (Windows NT 5.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/30.0.1599.101 Safari/537.36 \r\n' +
  `Accept: */*\r\nAuthorization: token ${TOKEN}\r\nAccept-Encoding: gzip,deflate,sdch\r\nAccept-Language: zh-CN,zh;q=0.8\r\n\r\n`;

interface OtaServer {
  readonly port: number;
  readonly requests: string[];
}

/** Answers the version query and the download; `image(name)` gives the bytes of `<name>.bin` (null: close early). */
async function startOtaServer(image: (file: string) => Buffer | 'cut'): Promise<OtaServer> {
  const requests: string[] = [];
  const server: Server = createServer((socket: Socket) => {
    let text = '';
    socket.on('data', (data) => {
      text += data.toString('latin1');
      if (!text.endsWith('\r\n\r\n')) return;
      requests.push(text);
      if (text.includes('is_format_simple=true')) {
        socket.end('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"rom_version": "v2.4.3.0", "status": 200}');
        return;
      }
      const file = /filename=([^ ]+)\.bin/.exec(text)?.[1] ?? '';
      const body = image(file);
      if (body === 'cut') {
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n\xe9partial');
        return;
      }
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1');
      socket.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, requests };
}

/** A system image: the ESP image magic 0xE9, then filler. */
const SYSTEM_IMAGE = Buffer.concat([Buffer.from([0xe9]), Buffer.alloc(6000, 0x5a)]);

function worldFor(port: number) {
  return parseWorldConfig({ timing: { scale: 0.01 }, ota: { server: `127.0.0.1:${port}` } });
}

describe('AT+CIUPDATE', () => {
  it('upgrades the firmware from the server: the version query, the download, the restart into the new version', async () => {
    const ota = await startOtaServer((file) => (file === 'ota' ? SYSTEM_IMAGE : Buffer.alloc(0)));
    const { host } = await startBench(cleanup, { world: worldFor(ota.port) });
    await joinLab(host);
    await host.exchange('AT+CIUPDATE?\r\n', '+CIUPDATE:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIUPDATE\r\n', '+CIPUPDATE:1\r\n+CIPUPDATE:2\r\n+CIPUPDATE:3\r\n+CIPUPDATE:4\r\n\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    expect(ota.requests).toEqual([
      `GET /v1/device/rom/?is_format_simple=true HTTP/1.0\r\nHost: 127.0.0.1:${ota.port}\r\n${HEADERS}`,
      `GET /v1/device/rom/?action=download_rom&version=v2.4.3.0&filename=ota.bin HTTP/1.1\r\nHost: 127.0.0.1:${ota.port}\r\n${HEADERS}`,
    ]);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    const [first, ...rest] = DEFAULT_PROFILE.gmrLines;
    const upgraded = [first?.replace(/^AT version:[^(]*/, 'AT version:2.4.3.0') ?? '', ...rest];
    expect(upgraded[0]).toMatch(/^AT version:2\.4\.3\.0\(/);
    await host.exchange('AT+GMR\r\n', `${upgraded.map((line) => `${line}\r\n`).join('')}\r\nOK\r\n`);
  });

  it('writes a custom partition without a restart, non-blocking: OK first, then the progress', async () => {
    const cert = Buffer.concat([Buffer.from([0xf1, 0xf1]), Buffer.from('client CA')]);
    const ota = await startOtaServer((file) => (file === 'client_ca' ? cert : Buffer.alloc(0)));
    const { host } = await startBench(cleanup, { world: worldFor(ota.port) });
    await joinLab(host);
    await host.exchange('AT+CIUPDATE=0,"v2.4.3.0","client_ca",1\r\n', '\r\nOK\r\n+CIPUPDATE:1\r\n+CIPUPDATE:4\r\n');
    await host.exchange('AT+SYSFLASH=2,"client_ca",0,12\r\n', `+SYSFLASH:12,\xf1\xf1client CA\xff\r\nOK\r\n`);
    await host.exchange('AT+CIUPDATE?\r\n', '+CIUPDATE:4\r\n\r\nOK\r\n');
  });

  it('fails as the firmware does: a bad image, a cut download, no such partition, no station', async () => {
    const ota = await startOtaServer((file) => (file === 'ota' ? 'cut' : Buffer.from('not a certificate')));
    const { host } = await startBench(cleanup, { world: worldFor(ota.port) });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    // The server's address is given as an IP: found; the connection cannot be made without a station.
    await host.exchange('AT+CIUPDATE=0,"v2.4.3.0"\r\n', '+CIPUPDATE:1\r\n\r\nERROR\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CIUPDATE=0,"v2.4.3.0"\r\n', '+CIPUPDATE:1\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIUPDATE=0,"v2.4.3.0","mqtt_ca"\r\n', '+CIPUPDATE:1\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIUPDATE=0,"v2.4.3.0","nowhere"\r\n', '+CIPUPDATE:1\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIUPDATE=0,"v2.4.3.0","client_ca",1\r\n', '\r\nOK\r\n+CIPUPDATE:1\r\n+CIPUPDATE:-1\r\n');
    await host.exchange('AT+CIUPDATE?\r\n', '+CIUPDATE:-1\r\n\r\nOK\r\n');
    await host.exchange('AT+CIUPDATE=2\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIUPDATE=0,"v1",,2\r\n', '\r\nERROR\r\n');
  });
});

import { describe, expect, it } from 'vitest';
import {
  ESP8266_AT_17,
  HostResponseParser,
  type HostEvent,
} from '../../firmware-protocol/index.js';
import { bytes, drainHost, parseHost, plain } from './helpers.js';

const OK: HostEvent = { type: 'final', result: 'OK' };
const ERROR: HostEvent = { type: 'final', result: 'ERROR' };
const line = (text: string): HostEvent => ({ type: 'line', text });
const info = (name: string, text: string): HostEvent => ({ type: 'info', name, text });
const urc = (u: Extract<HostEvent, { type: 'urc' }>['urc']): HostEvent => ({ type: 'urc', urc: u });
const ipd = (link: number | null, data: string, remote: { ip: string; port: number } | null = null): HostEvent => ({
  type: 'ipd',
  link,
  data: bytes(data),
  remote,
});
const recvData = (data: string, remote: { ip: string; port: number } | null = null): HostEvent => ({
  type: 'recv-data',
  data: bytes(data),
  remote,
});

function expectEvents(wire: string, expected: HostEvent[], profile = undefined as typeof ESP8266_AT_17 | undefined) {
  expect(plain(parseHost(wire, profile))).toEqual(plain(expected));
}

describe('HostResponseParser: basic commands (esp-at.md §2)', () => {
  it('reads OK, with and without the echo', () => {
    expectEvents('\r\nOK\r\n', [OK]);
    expectEvents('AT\r\r\n\r\nOK\r\n', [line('AT'), OK]);
    expectEvents('ATE0\r\r\n\r\nOK\r\n', [line('ATE0'), OK]);
  });

  it('reads GMR text lines', () => {
    expectEvents(
      'AT version:2.4.0.0(4c6eb5e - ESP32 - May 20 2022 03:12:58)\r\nSDK version:v4.2.2-dirty\r\n' +
        'compile time(5c2b3e8):May 20 2022 11:04:25\r\nBin version:2.4.0(WROOM-32)\r\n\r\nOK\r\n',
      [
        line('AT version:2.4.0.0(4c6eb5e - ESP32 - May 20 2022 03:12:58)'),
        line('SDK version:v4.2.2-dirty'),
        line('compile time(5c2b3e8):May 20 2022 11:04:25'),
        line('Bin version:2.4.0(WROOM-32)'),
        OK,
      ],
    );
  });

  it('reads information lines and ERR CODE', () => {
    expectEvents('+CWMODE:1\r\n\r\nOK\r\n', [info('CWMODE', '1'), OK]);
    expectEvents('+UART_CUR:115200,8,1,0,0\r\n\r\nOK\r\n', [info('UART_CUR', '115200,8,1,0,0'), OK]);
    expectEvents('ERR CODE:0x01090000\r\n\r\nERROR\r\n', [line('ERR CODE:0x01090000'), ERROR]);
  });

  it('reads ready and the restart warning', () => {
    expectEvents('\r\nOK\r\n\r\nready\r\n', [OK, urc({ kind: 'ready' })]);
    expectEvents('\r\nWill force to restart!!!\r\n', [urc({ kind: 'will-restart' })]);
  });
});

describe('HostResponseParser: Wi-Fi (esp-at.md §3)', () => {
  it('reads a CWJAP success with its URCs before OK', () => {
    expectEvents('WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n', [
      urc({ kind: 'wifi-connected' }),
      urc({ kind: 'wifi-got-ip' }),
      OK,
    ]);
    expectEvents('WIFI DISCONNECT\r\nWIFI CONNECTED\r\n', [urc({ kind: 'wifi-disconnect' }), urc({ kind: 'wifi-connected' })]);
  });

  it('reads CWJAP failures: ERROR in 2.x, FAIL in 1.7', () => {
    expectEvents('+CWJAP:1\r\n\r\nERROR\r\n', [info('CWJAP', '1'), ERROR]);
    expectEvents('+CWJAP:3\r\n\r\nFAIL\r\n', [info('CWJAP', '3'), { type: 'final', result: 'FAIL' }], ESP8266_AT_17);
  });

  it('reads CWJAP?, CWLAP, CIFSR, CIPSTA? and CWSTATE answers', () => {
    expectEvents('No AP\r\n\r\nOK\r\n', [line('No AP'), OK]);
    expectEvents('+CWJAP_CUR:"ssid","aa:bb:cc:dd:ee:ff",6,-40\r\n\r\nOK\r\n', [
      info('CWJAP_CUR', '"ssid","aa:bb:cc:dd:ee:ff",6,-40'),
      OK,
    ]);
    expectEvents('+CWLAP:(3,"MyNet",-45,"ca:d7:19:d8:a6:44",6,-1,-1,4,4,7,0)\r\n\r\nOK\r\n', [
      info('CWLAP', '(3,"MyNet",-45,"ca:d7:19:d8:a6:44",6,-1,-1,4,4,7,0)'),
      OK,
    ]);
    expectEvents('+CIFSR:STAIP,"192.168.1.42"\r\n+CIFSR:STAMAC,"24:0a:c4:00:00:01"\r\n\r\nOK\r\n', [
      info('CIFSR', 'STAIP,"192.168.1.42"'),
      info('CIFSR', 'STAMAC,"24:0a:c4:00:00:01"'),
      OK,
    ]);
    expectEvents('+CIPSTA:ip:"192.168.1.42"\r\n+CIPSTA:gateway:"192.168.1.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n\r\nOK\r\n', [
      info('CIPSTA', 'ip:"192.168.1.42"'),
      info('CIPSTA', 'gateway:"192.168.1.1"'),
      info('CIPSTA', 'netmask:"255.255.255.0"'),
      OK,
    ]);
    expectEvents('+CWSTATE:2,"ssid"\r\n\r\nOK\r\n', [info('CWSTATE', '2,"ssid"'), OK]);
  });

  it('recognises a URC in the middle of an information list', () => {
    expectEvents('+CIFSR:STAIP,"10.0.0.2"\r\nWIFI DISCONNECT\r\n1,CLOSED\r\n+CIFSR:STAMAC,"x"\r\n\r\nOK\r\n', [
      info('CIFSR', 'STAIP,"10.0.0.2"'),
      urc({ kind: 'wifi-disconnect' }),
      urc({ kind: 'closed', link: 1 }),
      info('CIFSR', 'STAMAC,"x"'),
      OK,
    ]);
  });
});

describe('HostResponseParser: TCP/IP (esp-at.md §4)', () => {
  it('reads CIPSTART answers', () => {
    expectEvents('CONNECT\r\n\r\nOK\r\n', [urc({ kind: 'connect', link: null }), OK]);
    expectEvents('0,CONNECT\r\n\r\nOK\r\n', [urc({ kind: 'connect', link: 0 }), OK]);
    expectEvents('ALREADY CONNECTED\r\n\r\nERROR\r\n', [line('ALREADY CONNECTED'), ERROR]);
    expectEvents('no ip\r\n\r\nERROR\r\n', [line('no ip'), ERROR], ESP8266_AT_17);
    expectEvents('DNS Fail\r\n\r\nERROR\r\n', [line('DNS Fail'), ERROR], ESP8266_AT_17);
    expectEvents('\r\nERROR\r\nCLOSED\r\n', [ERROR, urc({ kind: 'closed', link: null })], ESP8266_AT_17);
  });

  it('reads a CIPSEND exchange: OK, prompt, Recv, SEND OK (2.x)', () => {
    expectEvents('\r\nOK\r\n\r\n>', [OK, { type: 'prompt' }]);
    expectEvents('\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n', [
      { type: 'recv-bytes', count: 4 },
      { type: 'final', result: 'SEND OK' },
    ]);
    expectEvents('\r\nSEND FAIL\r\n', [{ type: 'final', result: 'SEND FAIL' }]);
  });

  it('reads the 1.7 prompt with its trailing space', () => {
    expectEvents('AT+CIPSEND=0,4\r\r\n\r\nOK\r\n> \r\nRecv 4 bytes\r\n\r\nSEND OK\r\n', [
      line('AT+CIPSEND=0,4'),
      OK,
      { type: 'prompt' },
      { type: 'recv-bytes', count: 4 },
      { type: 'final', result: 'SEND OK' },
    ], ESP8266_AT_17);
  });

  it('emits the prompt as soon as > arrives', () => {
    const parser = new HostResponseParser(ESP8266_AT_17);
    parser.push(bytes('\r\nOK\r\n>'));
    expect(drainHost(parser)).toEqual([OK, { type: 'prompt' }]);
    parser.push(bytes(' '));
    expect(drainHost(parser)).toEqual([]);
    parser.push(bytes('\r\nSEND OK\r\n'));
    expect(drainHost(parser)).toEqual([{ type: 'final', result: 'SEND OK' }]);
  });

  it('reads CIPCLOSE, CIPSTATUS, CIPSTATE, CIPDOMAIN, CIPDINFO, CIPRECVLEN answers', () => {
    expectEvents('0,CLOSED\r\n\r\nOK\r\n', [urc({ kind: 'closed', link: 0 }), OK]);
    expectEvents('CLOSED\r\n\r\nOK\r\n', [urc({ kind: 'closed', link: null }), OK]);
    expectEvents('UNLINK\r\n\r\nERROR\r\n', [line('UNLINK'), ERROR], ESP8266_AT_17);
    expectEvents('STATUS:3\r\n+CIPSTATUS:0,"TCP","10.0.0.1",80,50000,0\r\n\r\nOK\r\n', [
      line('STATUS:3'),
      info('CIPSTATUS', '0,"TCP","10.0.0.1",80,50000,0'),
      OK,
    ]);
    expectEvents('+CIPSTATE:0,"TCP","10.0.0.1",80,50000,0\r\n\r\nOK\r\n', [
      info('CIPSTATE', '0,"TCP","10.0.0.1",80,50000,0'),
      OK,
    ]);
    expectEvents('+CIPDOMAIN:"93.184.216.34"\r\n\r\nOK\r\n', [info('CIPDOMAIN', '"93.184.216.34"'), OK]);
    expectEvents('+CIPDOMAIN:93.184.216.34\r\n\r\nOK\r\n', [info('CIPDOMAIN', '93.184.216.34'), OK], ESP8266_AT_17);
    expectEvents('+CIPDINFO:true\r\n\r\nOK\r\n', [info('CIPDINFO', 'true'), OK]);
    expectEvents('+CIPRECVLEN:100,,,,,\r\n\r\nOK\r\n', [info('CIPRECVLEN', '100,,,,,'), OK]);
  });

  it('reads the four active +IPD forms and the NonOS unquoted remote', () => {
    expectEvents('\r\n+IPD,5:hello', [ipd(null, 'hello')]);
    expectEvents('\r\n+IPD,1,5:hello', [ipd(1, 'hello')]);
    expectEvents('\r\n+IPD,5,"10.0.0.9",8080:hello', [ipd(null, 'hello', { ip: '10.0.0.9', port: 8080 })]);
    expectEvents('\r\n+IPD,2,5,"10.0.0.9",8080:hello', [ipd(2, 'hello', { ip: '10.0.0.9', port: 8080 })]);
    expectEvents('\r\n+IPD,0,3,"fe80::1:2",53:a:b', [ipd(0, 'a:b', { ip: 'fe80::1:2', port: 53 })]);
    expectEvents(
      '0,CONNECT\r\n\r\n+IPD,0,14,192.168.1.3,5285:GET / HTTP/1.1',
      [urc({ kind: 'connect', link: 0 }), ipd(0, 'GET / HTTP/1.1', { ip: '192.168.1.3', port: 5285 })],
      ESP8266_AT_17,
    );
  });

  it('never interprets +IPD payload bytes', () => {
    expectEvents('\r\n+IPD,0,12:\r\nOK\r\n+IPD,1\r\n\r\nOK\r\n', [ipd(0, '\r\nOK\r\n+IPD,1'), OK]);
    expectEvents('\r\n+IPD,0,1:>\r\nOK\r\n', [ipd(0, '>'), OK]);
    expectEvents('\r\n+IPD,0,0:\r\nOK\r\n', [ipd(0, ''), OK]);
  });

  it('recognises a URC glued to the end of a payload', () => {
    expectEvents('\r\n+IPD,0,2:hi0,CLOSED\r\n', [ipd(0, 'hi'), urc({ kind: 'closed', link: 0 })]);
    expectEvents('\r\n+IPD,0,2:hi\r\n+IPD,1,1:x', [ipd(0, 'hi'), ipd(1, 'x')]);
  });

  it('reads +IPD while waiting for the prompt and for SEND OK', () => {
    expectEvents('\r\nOK\r\n\r\n+IPD,0,3:abc\r\n>', [OK, ipd(0, 'abc'), { type: 'prompt' }]);
    expectEvents('\r\nRecv 2 bytes\r\n\r\n+IPD,0,2:OK\r\nSEND OK\r\n', [
      { type: 'recv-bytes', count: 2 },
      ipd(0, 'OK'),
      { type: 'final', result: 'SEND OK' },
    ]);
  });

  it('reads passive notices', () => {
    expectEvents('\r\n+IPD,0,100\r\n', [urc({ kind: 'ipd-notice', link: 0, length: 100 })]);
    expectEvents('\r\n+IPD,100\r\n', [urc({ kind: 'ipd-notice', link: null, length: 100 })]);
  });

  it('reads +CIPRECVDATA in both styles, with and without the remote', () => {
    expectEvents('+CIPRECVDATA:5,hello\r\nOK\r\n', [recvData('hello'), OK]);
    expectEvents('+CIPRECVDATA:4,"ab"\r\n\r\nOK\r\n', [recvData('"ab"'), OK]);
    expectEvents('+CIPRECVDATA,5:he,lo\r\nOK\r\n', [recvData('he,lo'), OK], ESP8266_AT_17);
    const parser = new HostResponseParser(ESP8266_AT_17);
    parser.setRecvDataRemote(true);
    parser.push(bytes('+CIPRECVDATA:3,"10.0.0.1",7,abc\r\nOK\r\n'));
    expect(plain(drainHost(parser))).toEqual(plain([recvData('abc', { ip: '10.0.0.1', port: 7 }), OK]));
  });

  it('passes raw bytes in passthrough mode', () => {
    const parser = new HostResponseParser(ESP8266_AT_17);
    parser.push(bytes('\r\nOK\r\n\r\n>'));
    expect(drainHost(parser)).toEqual([OK, { type: 'prompt' }]);
    parser.enterPassthrough();
    parser.push(bytes('\r\nOK\r\n+IPD,1:x'));
    expect(plain(drainHost(parser))).toEqual(plain([{ type: 'passthrough', bytes: bytes('\r\nOK\r\n+IPD,1:x') }]));
    parser.leavePassthrough();
    parser.push(bytes('\r\nOK\r\n'));
    expect(drainHost(parser)).toEqual([OK]);
  });
});

describe('HostResponseParser: quirks (esp-at.md §7) and the §8 script', () => {
  it('reads busy p..., busy s... and a URC before the echo', () => {
    expectEvents('\r\nbusy p...\r\n', [urc({ kind: 'busy', which: 'p' })]);
    expectEvents('busy s...\r\n', [urc({ kind: 'busy', which: 's' })], ESP8266_AT_17);
    expectEvents('1,CONNECT\r\nAT+CIPSEND=0,98\r\r\n', [urc({ kind: 'connect', link: 1 }), line('AT+CIPSEND=0,98')]);
  });

  it('reads the other documented messages as information lines or plain lines', () => {
    expectEvents(
      '+LINK_CONN:0,1,"TCP",1,"10.0.0.5",50000,333\r\n+CIPSERVER:1,333,"TCP",0\r\nHave 1 Connections\r\n' +
        '\r\n+QUITT\r\nNO CERT FOUND\r\nWIFI GOT IPv6 LL\r\n+STA_CONNECTED:"aa:bb:cc:dd:ee:ff"\r\n' +
        '\r\nSEND Canceled\r\n+ERRNO:0x7001\r\n',
      [
        info('LINK_CONN', '0,1,"TCP",1,"10.0.0.5",50000,333'),
        info('CIPSERVER', '1,333,"TCP",0'),
        line('Have 1 Connections'),
        line('+QUITT'),
        line('NO CERT FOUND'),
        // Declared as a URC now (AT+CIPV6).
        { type: 'urc', urc: { kind: 'wifi-got-ipv6', scope: 'LL' } },
        urc({ kind: 'sta-connected', mac: 'aa:bb:cc:dd:ee:ff' }),
        line('SEND Canceled'),
        info('ERRNO', '0x7001'),
      ],
    );
  });

  it('reads the whole minimal emulator script', () => {
    const module =
      '\r\nOK\r\n' +
      '\r\nOK\r\n' +
      'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n' +
      '\r\nOK\r\n' +
      '0,CONNECT\r\n\r\nOK\r\n' +
      '\r\nOK\r\n\r\n>' +
      '\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n' +
      '\r\n+IPD,0,2:hi' +
      '0,CLOSED\r\n' +
      '\r\nERROR\r\n';
    expectEvents(module, [
      OK,
      OK,
      urc({ kind: 'wifi-connected' }),
      urc({ kind: 'wifi-got-ip' }),
      OK,
      OK,
      urc({ kind: 'connect', link: 0 }),
      OK,
      OK,
      { type: 'prompt' },
      { type: 'recv-bytes', count: 5 },
      { type: 'final', result: 'SEND OK' },
      ipd(0, 'hi'),
      urc({ kind: 'closed', link: 0 }),
      ERROR,
    ]);
  });

  it('treats an absurd +IPD length as a plain line and resynchronises', () => {
    expectEvents('\r\n+IPD,0,2147483647:junk\r\n\r\nOK\r\n', [line('+IPD,0,2147483647:junk'), OK]);
    expectEvents('\r\n+IPD,0,x:junk\r\n0,CLOSED\r\n', [line('+IPD,0,x:junk'), urc({ kind: 'closed', link: 0 })]);
  });

  it('truncates an over-long line and keeps its buffer bounded', () => {
    const parser = new HostResponseParser(ESP8266_AT_17, { maxLineLength: 64 });
    parser.push(bytes(`+CWLAP:${'z'.repeat(10_000)}`));
    expect(drainHost(parser)).toEqual([]);
    expect(parser.bufferedLength).toBeLessThanOrEqual(64);
    parser.push(bytes('\r\n\r\nOK\r\n'));
    expect(drainHost(parser)).toEqual([info('CWLAP', 'z'.repeat(57)), OK]);
  });
});

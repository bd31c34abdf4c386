import { describe, expect, it } from 'vitest';
import {
  CommandFormatError,
  ESP32_AT_2X,
  ESP8266_AT_17,
  HostResponseParser,
  PROFILES,
  PROFILE_IDS,
  busy,
  errCode,
  errorWord,
  finalResult,
  formatCommand,
  formatReply,
  formatUrc,
  infoLine,
  ipd,
  ipdNotice,
  okPrompt,
  recvBytes,
  recvData,
  textLines,
  type AtParam,
  type Urc,
} from '../../firmware-protocol/index.js';
import { bytes, drainHost, parseHost, parseModule, plain, text } from './helpers.js';

describe('module-output exact bytes', () => {
  it('writes the core-library strings', () => {
    expect(text(finalResult('OK'))).toBe('\r\nOK\r\n');
    expect(text(finalResult('SEND FAIL'))).toBe('\r\nSEND FAIL\r\n');
    expect(text(infoLine('CWMODE', '1'))).toBe('+CWMODE:1\r\n');
    expect(text(busy('p'))).toBe('\r\nbusy p...\r\n');
    expect(text(formatUrc({ kind: 'ready' }))).toBe('\r\nready\r\n');
    expect(text(formatUrc({ kind: 'connect', link: 3 }))).toBe('3,CONNECT\r\n');
    expect(text(formatUrc({ kind: 'closed', link: null }))).toBe('CLOSED\r\n');
    expect(text(formatUrc({ kind: 'wifi-got-ip' }))).toBe('WIFI GOT IP\r\n');
    expect(text(recvBytes(5))).toBe('\r\nRecv 5 bytes\r\n');
    expect(text(ipdNotice(0, 100))).toBe('\r\n+IPD,0,100\r\n');
    expect(text(ipdNotice(null, 7))).toBe('\r\n+IPD,7\r\n');
  });

  it('writes the prompt per profile', () => {
    expect(text(okPrompt(ESP32_AT_2X))).toBe('\r\nOK\r\n\r\n>');
    expect(text(okPrompt(ESP8266_AT_17))).toBe('\r\nOK\r\n> ');
  });

  it('writes +IPD, +CIPRECVDATA and +CIPDOMAIN per profile', () => {
    const remote = { ip: '10.0.0.9', port: 8080 };
    expect(text(ipd(ESP32_AT_2X, 0, bytes('hi')))).toBe('\r\n+IPD,0,2:hi');
    expect(text(ipd(ESP32_AT_2X, null, bytes('hi'), remote))).toBe('\r\n+IPD,2,"10.0.0.9",8080:hi');
    expect(text(ipd(ESP8266_AT_17, 1, bytes('hi'), remote))).toBe('\r\n+IPD,1,2,10.0.0.9,8080:hi');
    expect(text(recvData(ESP32_AT_2X, bytes('abc')))).toBe('+CIPRECVDATA:3,abc');
    expect(text(recvData(ESP32_AT_2X, bytes('abc'), remote))).toBe('+CIPRECVDATA:3,"10.0.0.9",8080,abc');
    expect(text(recvData(ESP8266_AT_17, bytes('abc')))).toBe('+CIPRECVDATA,3:abc');
    expect(formatReply(ESP32_AT_2X, 'CIPDOMAIN', 'address', { ip: '1.2.3.4' })).toBe('+CIPDOMAIN:"1.2.3.4"\r\n');
    expect(formatReply(ESP8266_AT_17, 'CIPDOMAIN', 'address', { ip: '1.2.3.4' })).toBe('+CIPDOMAIN:1.2.3.4\r\n');
  });

  it('writes ERR CODE lines and error words', () => {
    expect(text(errCode('unsupported'))).toBe('ERR CODE:0x01090000\r\n');
    expect(text(errCode('busy'))).toBe('ERR CODE:0x010b0000\r\n');
    expect(text(errCode('param-parse', 0x12))).toBe('ERR CODE:0x01080012\r\n');
    expect(text(errCode('too-long'))).toBe('ERR CODE:0x01010000\r\n');
    expect(text(errorWord(ESP8266_AT_17, 'noIp'))).toBe('no ip\r\n');
    expect(errorWord(ESP32_AT_2X, 'noIp')).toHaveLength(0);
  });
});

describe('module output parsed by the host parser gives the values back', () => {
  const urcs: Urc[] = [
    { kind: 'ready' },
    { kind: 'connect', link: null },
    { kind: 'connect', link: 4 },
    { kind: 'closed', link: null },
    { kind: 'closed', link: 0 },
    { kind: 'wifi-connected' },
    { kind: 'wifi-got-ip' },
    { kind: 'wifi-disconnect' },
    { kind: 'ipd-notice', link: 2, length: 5760 },
    { kind: 'ipd-notice', link: null, length: 1 },
    { kind: 'busy', which: 'p' },
    { kind: 'busy', which: 's' },
    { kind: 'will-restart' },
  ];

  it.each(urcs.map((u) => [u.kind, u] as const))('round-trips the %s URC', (_kind, u) => {
    expect(parseHost([formatUrc(u)])).toEqual([{ type: 'urc', urc: u }]);
  });

  it.each(PROFILE_IDS)('round-trips data, prompt and lines in %s', (id) => {
    const profile = PROFILES[id];
    const payload = bytes('\r\nOK\r\n"+IPD,1:>\x00\xff');
    const remote = { ip: '192.168.4.2', port: 65535 };
    const wire = Buffer.concat([
      textLines(profile.gmrLines),
      finalResult('OK'),
      okPrompt(profile),
      recvBytes(payload.length),
      finalResult('SEND OK'),
      ipd(profile, 3, payload, remote),
      ipd(profile, null, payload),
      recvData(profile, payload),
      finalResult('OK'),
      bytes(formatReply(profile, 'CIPDOMAIN', 'address', { ip: '1.2.3.4' })),
      finalResult(profile.joinFailResult),
    ]);
    expect(plain(parseHost([wire], profile))).toEqual(
      plain([
        ...profile.gmrLines.map((t) => ({ type: 'line', text: t })),
        { type: 'final', result: 'OK' },
        { type: 'final', result: 'OK' },
        { type: 'prompt' },
        { type: 'recv-bytes', count: payload.length },
        { type: 'final', result: 'SEND OK' },
        { type: 'ipd', link: 3, data: payload, remote },
        { type: 'ipd', link: null, data: payload, remote: null },
        { type: 'recv-data', data: payload, remote: null },
        { type: 'final', result: 'OK' },
        { type: 'info', name: 'CIPDOMAIN', text: profile.layout.quoteDomainAnswer ? '"1.2.3.4"' : '1.2.3.4' },
        { type: 'final', result: profile.joinFailResult },
      ]),
    );
  });

  it('round-trips +CIPRECVDATA with the remote when the consumer says so', () => {
    const parser = new HostResponseParser(ESP32_AT_2X);
    parser.setRecvDataRemote(true);
    const remote = { ip: 'fe80::1', port: 9 };
    parser.push(recvData(ESP32_AT_2X, bytes('"x",1,'), remote));
    expect(plain(drainHost(parser))).toEqual(plain([{ type: 'recv-data', data: bytes('"x",1,'), remote }]));
  });
});

describe('formatCommand', () => {
  function paramsOf(wire: Uint8Array): readonly AtParam[] {
    const events = parseModule([wire]).filter((e) => e.type === 'command');
    expect(events).toHaveLength(1);
    const [event] = events;
    if (event.type !== 'command') throw new Error('not a command');
    return event.command.params;
  }

  it('writes the four forms and the basic commands', () => {
    expect(text(formatCommand('AT', 'exec'))).toBe('AT\r\n');
    expect(text(formatCommand('ATE0', 'exec'))).toBe('ATE0\r\n');
    expect(text(formatCommand('GMR', 'exec'))).toBe('AT+GMR\r\n');
    expect(text(formatCommand('CWMODE', 'query'))).toBe('AT+CWMODE?\r\n');
    expect(text(formatCommand('CWMODE_CUR', 'test', [], 'esp8266-at-1.7'))).toBe('AT+CWMODE_CUR=?\r\n');
    expect(text(formatCommand('CIPSTART', 'set', [0, 'TCP', '10.0.0.1', 80]))).toBe(
      'AT+CIPSTART=0,"TCP","10.0.0.1",80\r\n',
    );
  });

  it('drops trailing omitted values and keeps middle ones empty', () => {
    expect(text(formatCommand('CWJAP', 'set', ['ssid', 'pw', undefined, 1, undefined, undefined]))).toBe(
      'AT+CWJAP="ssid","pw",,1\r\n',
    );
    expect(text(formatCommand('CWMODE', 'set', [1, undefined]))).toBe('AT+CWMODE=1\r\n');
  });

  it('escapes strings, and the module parser gives the same values back', () => {
    const ssid = 'a"b,c\\d';
    const wire = formatCommand('CWJAP', 'set', [ssid, 'p,w']);
    expect(text(wire)).toBe('AT+CWJAP="a\\"b\\,c\\\\d","p\\,w"\r\n');
    expect(paramsOf(wire)).toEqual([
      { kind: 'string', value: ssid },
      { kind: 'string', value: 'p,w' },
    ]);
    const utf8 = formatCommand('CWJAP', 'set', ['café', 'x']);
    const [first] = paramsOf(utf8);
    expect(first.kind === 'string' && Buffer.from(first.value, 'latin1').toString('utf8')).toBe('café');
  });

  it('throws typed errors for unknown commands, forms and bad values', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(CommandFormatError);
        return (error as CommandFormatError).code;
      }
      return 'no error';
    };
    expect(code(() => formatCommand('FAKE', 'exec'))).toBe('unknown-command');
    expect(code(() => formatCommand('CWSTATE', 'query', [], 'esp8266-at-1.7'))).toBe('unknown-command');
    expect(code(() => formatCommand('GMR', 'query'))).toBe('unsupported-form');
    expect(code(() => formatCommand('CWMODE', 'set', ['1']))).toBe('bad-values');
    expect(code(() => formatCommand('CWMODE', 'set', [9]))).toBe('bad-values');
    expect(code(() => formatCommand('CWMODE', 'set', [Number.NaN]))).toBe('bad-values');
    expect(code(() => formatCommand('CWMODE', 'set', [1.5]))).toBe('bad-values');
    expect(code(() => formatCommand('CIPSTART', 'set', ['TCP', 'h']))).toBe('bad-values');
    expect(code(() => formatCommand('CWJAP', 'set', ['a\r\nAT+RST', 'x']))).toBe('unencodable');
    expect(code(() => formatCommand('CWJAP', 'set', ['ü'.repeat(17), 'x']))).toBe('bad-values');
    try {
      formatCommand('CWMODE', 'set', [9]);
    } catch (error) {
      expect((error as CommandFormatError).mismatch).toBe('param-invalid');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { commandPiece } from '../../firmware-protocol/at/module-output.js';
import { ESP32_AT_2X } from '../../firmware-protocol/at/profiles/index.js';
import type { HostEvent } from '../../firmware-protocol/at/types.js';

function events(bytes: Uint8Array, chunk: number): HostEvent[] {
  const parser = new HostResponseParser(ESP32_AT_2X);
  const out: HostEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunk) {
    parser.push(bytes.subarray(i, i + chunk));
    for (let event = parser.next(); event !== undefined; event = parser.next()) out.push(event);
  }
  return out;
}

describe('HTTP client pieces (messages.ts pieceHeader)', () => {
  it('are printed `+HTTPCLIENT:<len>,<bytes>\\r\\n` exactly', () => {
    expect(Buffer.from(commandPiece('HTTPCLIENT', Buffer.from('Date: Sun, 26 Sep 2021 06:59:13 GMT'))).toString('latin1')).toBe(
      '+HTTPCLIENT:35,Date: Sun, 26 Sep 2021 06:59:13 GMT\r\n',
    );
    expect(Buffer.from(commandPiece('HTTPCPOST', Buffer.alloc(0))).toString('latin1')).toBe('+HTTPCPOST:0,\r\n');
  });

  it('are read by count by the host, binary bytes and CR LF inside included, however the bytes are split', () => {
    const binary = Buffer.from([0xff, 0xd8, 0x0d, 0x0a, 0x2b, 0x49, 0x50, 0x44, 0x2c, 0x0d, 0x0a, 0x00]);
    const wire = Buffer.concat([
      commandPiece('HTTPCLIENT', binary),
      commandPiece('HTTPCGET', Buffer.from('OK\r\n')),
      Buffer.from('\r\nOK\r\n'),
    ]);
    for (const chunk of [1, 3, 7, wire.length]) {
      expect(events(wire, chunk)).toEqual([
        { type: 'piece', command: 'HTTPCLIENT', data: new Uint8Array(binary) },
        { type: 'piece', command: 'HTTPCGET', data: new Uint8Array(Buffer.from('OK\r\n')) },
        { type: 'final', result: 'OK' },
      ]);
    }
  });

  it('ends AT+HTTPURLCFG with the SET OK final result', () => {
    expect(events(Buffer.from('\r\nSET OK\r\n'), 2)).toEqual([{ type: 'final', result: 'SET OK' }]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  MAX_FRAME_LENGTH,
  NINA_COMMANDS,
  NinaCode,
  NinaFormatError,
  NinaReplyParser,
  NinaRequestParser,
  findNinaCommand,
  formatErrorReply,
  formatReply,
  formatRequest,
  ninaFields as f,
} from '../../firmware-protocol/nina/index.js';
import { hex, plainEvents, replyEvents, requestEvents } from './nina-helpers.js';

/** Worked frames built from nina-fw / WiFiNINA code (peers.md §1.4). */
const VECTORS = {
  connStatusRequest: hex('E0 20 00 EE'),
  connStatusReply: hex('E0 A0 01 01 03 EE'),
  startClient: hex('E0 2D 04 04 5D B8 D8 22 02 00 50 01 00 01 00 EE'),
  startClientOk: hex('E0 AD 01 01 01 EE'),
  startClientFailed: hex('E0 AD 00 EE'),
  sendData: hex('E0 44 02 00 01 00 00 02 68 69 EE FF'),
  sendDataReply: hex('E0 C4 01 02 02 00 EE'),
  getDataBuf: hex('E0 45 02 00 01 00 00 02 DC 05 EE FF'),
  getDataBufReply: hex('E0 C5 01 00 03 61 62 63 EE'),
};

describe('NINA command table', () => {
  it('is one table with unique codes below 0x80', () => {
    const codes = NINA_COMMANDS.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => c >= 0 && c < 0x80)).toBe(true);
  });

  it('marks the 16-bit parameter lengths nina-fw decodes', () => {
    const requests16 = NINA_COMMANDS.filter((c) => c.requestLength === 16).map((c) => c.name);
    const replies16 = NINA_COMMANDS.filter((c) => c.replyLength === 16).map((c) => c.name);
    expect(requests16).toEqual(['SET_ENT', 'SEND_DATA_TCP', 'GET_DATABUF_TCP', 'INSERT_DATABUF', 'SOCKET_SEND', 'SOCKET_SENDTO']);
    expect(replies16).toEqual(['GET_DATABUF_TCP', 'SOCKET_RECV', 'SOCKET_RECVFROM']);
  });

  it('knows the ids hosts use, and that STOP_SERVER_TCP has no firmware handler', () => {
    expect(NinaCode.SET_PASSPHRASE).toBe(0x11);
    expect(NinaCode.GET_SOCKET).toBe(0x3f);
    expect(NinaCode.START_CLIENT_TCP).toBe(0x2d);
    expect(findNinaCommand(0xad)?.name).toBe('START_CLIENT_TCP');
    expect(findNinaCommand(0x38)?.inFirmware).toBe(false);
    expect(findNinaCommand(0x13)).toBeUndefined();
  });
});

describe('request formatter (host side)', () => {
  it('builds the worked frames, padded to 4 with 0xFF', () => {
    expect(formatRequest(NinaCode.GET_CONN_STATUS)).toEqual(VECTORS.connStatusRequest);
    const startClient = formatRequest(NinaCode.START_CLIENT_TCP, [f.ipv4Bytes('93.184.216.34'), f.u16be(80), f.u8(0), f.u8(0)]);
    expect(startClient).toEqual(VECTORS.startClient);
    expect(formatRequest(NinaCode.SEND_DATA_TCP, [f.u8(0), f.textBytes('hi')])).toEqual(VECTORS.sendData);
    expect(formatRequest(NinaCode.GET_DATABUF_TCP, [f.u8(0), f.u16le(1500)])).toEqual(VECTORS.getDataBuf);
  });

  it('pads with a chosen byte or per-position filler', () => {
    expect(formatRequest(NinaCode.GET_SOCKET, [f.u8(7)], { pad: 0x00 })).toEqual(hex('E0 3F 01 01 07 EE 00 00'));
    expect(formatRequest(NinaCode.GET_SOCKET, [f.u8(7)], { pad: (i) => [0xe0, 0xee][i] })).toEqual(hex('E0 3F 01 01 07 EE E0 EE'));
  });

  it('refuses what cannot be framed', () => {
    expect(() => formatRequest(0x80)).toThrow(NinaFormatError);
    expect(() => formatRequest(NinaCode.SET_NET, [new Uint8Array(256)])).toThrow(NinaFormatError);
    expect(formatRequest(NinaCode.SEND_DATA_TCP, [f.u8(0), new Uint8Array(256)]).length).toBe(268);
  });
});

describe('reply formatter (module side)', () => {
  it('builds unpadded replies with the table widths', () => {
    expect(formatReply(NinaCode.GET_CONN_STATUS, [f.u8(3)])).toEqual(VECTORS.connStatusReply);
    expect(formatReply(NinaCode.START_CLIENT_TCP, [f.u8(1)])).toEqual(VECTORS.startClientOk);
    expect(formatReply(NinaCode.START_CLIENT_TCP, [])).toEqual(VECTORS.startClientFailed);
    expect(formatReply(NinaCode.SEND_DATA_TCP, [f.u16le(2)])).toEqual(VECTORS.sendDataReply);
    expect(formatReply(NinaCode.GET_DATABUF_TCP, [f.textBytes('abc')])).toEqual(VECTORS.getDataBufReply);
    expect(formatErrorReply()).toEqual(hex('EF 00 EE'));
  });
});

describe('request parser (module side)', () => {
  it('decodes the worked requests with 8- and 16-bit lengths', () => {
    const events = requestEvents(new NinaRequestParser(), [
      VECTORS.connStatusRequest,
      VECTORS.startClient,
      VECTORS.sendData,
      VECTORS.getDataBuf,
    ]);
    expect(plainEvents(events)).toEqual([
      { type: 'request', command: 0x20, params: [], length: 4 },
      { type: 'request', command: 0x2d, params: [[93, 184, 216, 34], [0, 80], [0], [0]], length: 16 },
      { type: 'request', command: 0x44, params: [[0], [0x68, 0x69]], length: 11 },
      { type: 'request', command: 0x45, params: [[0], [0xdc, 0x05]], length: 11 },
    ]);
  });

  it.each([
    ['0xFF', 'FF FF'],
    ['0x00', '00 00'],
    ['stale bytes holding START and END', 'E0 EE'],
    ['a stale START', 'EE E0'],
  ])('skips padding of %s by count, never scanning it', (_name, pad) => {
    const frame = hex(`E0 3F 01 01 07 EE ${pad}`);
    const events = requestEvents(new NinaRequestParser(), [frame, VECTORS.connStatusRequest]);
    expect(events.map((e) => e.type)).toEqual(['request', 'request']);
    expect(events[1]).toMatchObject({ command: 0x20 });
  });

  it('marks a run that does not start with START once, then resyncs on the next START', () => {
    const parser = new NinaRequestParser();
    const events = requestEvents(parser, [hex('01 02 EE'), hex('FF 7F'), VECTORS.connStatusRequest, hex('42')]);
    expect(events).toEqual([
      { type: 'garbage', firstByte: 0x01 },
      { type: 'request', command: 0x20, params: [], length: 4 },
      { type: 'garbage', firstByte: 0x42 },
    ]);
    expect(parser.skippedBytes).toBe(6);
  });

  it('reports a frame whose END is wrong and keeps in step', () => {
    const events = requestEvents(new NinaRequestParser(), [hex('E0 20 00 55'), VECTORS.connStatusRequest]);
    expect(events).toEqual([
      { type: 'malformed', command: 0x20, reason: 'end', length: 4 },
      { type: 'request', command: 0x20, params: [], length: 4 },
    ]);
  });

  it('skips an oversize frame whole without keeping it', () => {
    const big = formatRequest(NinaCode.SEND_DATA_TCP, [f.u8(0), new Uint8Array(5000).fill(0xe0)]);
    const parser = new NinaRequestParser();
    parser.push(big.subarray(0, 3000));
    expect(parser.next()).toBeUndefined();
    expect(parser.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME_LENGTH);
    const events = requestEvents(parser, [big.subarray(3000), VECTORS.connStatusRequest]);
    expect(events).toEqual([
      { type: 'malformed', command: 0x44, reason: 'oversize', length: 5009 },
      { type: 'request', command: 0x20, params: [], length: 4 },
    ]);
  });

  it('delivers a request at END, before its padding arrives', () => {
    const parser = new NinaRequestParser();
    parser.push(hex('E0 3F 00 EE E0'));
    expect(parser.next()).toMatchObject({ type: 'request', command: 0x3f });
    // The frame was 4 bytes: no padding, so the E0 begins the next frame.
    expect(parser.next()).toBeUndefined();
    expect(parser.idle).toBe(false);
  });
});

describe('reply parser (host side)', () => {
  it('decodes replies, 16-bit data lengths included, and the error reply', () => {
    const events = replyEvents(new NinaReplyParser(), [
      VECTORS.connStatusReply,
      VECTORS.startClientFailed,
      VECTORS.sendDataReply,
      VECTORS.getDataBufReply,
      formatErrorReply(),
    ]);
    expect(plainEvents(events)).toEqual([
      { type: 'reply', command: 0x20, replyFlag: true, params: [[3]] },
      { type: 'reply', command: 0x2d, replyFlag: true, params: [] },
      { type: 'reply', command: 0x44, replyFlag: true, params: [[2, 0]] },
      { type: 'reply', command: 0x45, replyFlag: true, params: [[0x61, 0x62, 0x63]] },
      { type: 'error-reply' },
    ]);
  });

  it("tolerates nina-fw's zero padding after END, reporting it", () => {
    const events = replyEvents(new NinaReplyParser(), [hex('E0 A0 01 01 03 EE 00 00'), hex('EF 00 EE 00'), VECTORS.connStatusReply]);
    expect(events.map((e) => e.type)).toEqual(['reply', 'skipped', 'error-reply', 'skipped', 'reply']);
  });
});

describe('fields', () => {
  it('encodes per-field byte orders', () => {
    expect(f.u16be(0x1234)).toEqual(hex('12 34'));
    expect(f.u16le(0x1234)).toEqual(hex('34 12'));
    expect(f.i32le(-45)).toEqual(hex('D3 FF FF FF'));
    expect(f.readI32le(hex('D3 FF FF FF'))).toBe(-45);
    expect(f.macBytesReversed('24:0a:c4:c0:90:01')).toEqual(hex('01 90 C0 C4 0A 24'));
    expect(f.macFromReversed(hex('01 90 C0 C4 0A 24'))).toBe('24:0a:c4:c0:90:01');
    expect(f.cString('2.0.0')).toEqual(hex('32 2E 30 2E 30 00'));
    expect(f.bytesText(f.cString('2.0.0'))).toBe('2.0.0');
    expect(f.ipv4Text(f.ipv4Bytes('192.168.10.42'))).toBe('192.168.10.42');
    expect(() => f.readU16le(hex('01'))).toThrow(RangeError);
  });
});

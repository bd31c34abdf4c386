import { afterEach, describe, expect, it } from 'vitest';
import { NinaCode, formatRequest, ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { joinLab, startNinaBench, type NinaBench } from './harness.js';

describe('NINA module on a byte stream: framing and errors', () => {
  let bench: NinaBench | undefined;
  afterEach(async () => {
    await bench?.close();
    bench = undefined;
  });

  it('answers a request that arrives one byte at a time', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    for (const byte of formatRequest(NinaCode.GET_FW_VERSION)) await h.raw(Uint8Array.of(byte));
    expect(await h.next()).toMatchObject({ type: 'reply', command: NinaCode.GET_FW_VERSION });
  });

  it('answers one error reply for a run of garbage, however it is split', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await h.raw(Uint8Array.of(0x00, 0x11));
    await h.raw(Uint8Array.of(0x22, 0xee, 0xff));
    expect(await h.next()).toEqual({ type: 'error-reply' });
    await h.raw(formatRequest(NinaCode.GET_SOCKET));
    expect(await h.next()).toMatchObject({ type: 'reply', command: NinaCode.GET_SOCKET });
    expect(await h.silentFor(50)).toBe(true);
  });

  it('answers a frame whose END byte is wrong with the error reply and stays in step', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await h.raw(Uint8Array.of(0xe0, 0x20, 0x00, 0x42));
    expect(await h.next()).toEqual({ type: 'error-reply' });
    expect(await h.byte('GET_CONN_STATUS')).toBe(0);
  });

  it('answers a request too long for the 4092-byte buffer with the error reply, and skips it whole', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    const huge = new Uint8Array(5000).fill(0xe0);
    expect(await h.request('SEND_DATA_TCP', [f.u8(0), huge])).toEqual({ type: 'error-reply' });
    expect(await h.byte('GET_SOCKET')).toBe(0);
  });

  it('answers a command byte with the reply flag set, and an unknown one, with the error reply', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await h.raw(Uint8Array.of(0xe0, 0xa0, 0x00, 0xee));
    expect(await h.next()).toEqual({ type: 'error-reply' });
    await h.raw(formatRequest(0x70, [f.u8(1), f.u8(0)])); // BSD socket API: not emulated
    expect(await h.next()).toEqual({ type: 'error-reply' });
  });

  it('keeps bytes sent while a scan runs and answers them afterwards, in order', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await h.raw(Buffer.concat([formatRequest(NinaCode.SCAN_NETWORKS), formatRequest(NinaCode.GET_CONN_STATUS, [], { pad: 0x00 })]));
    const scan = await h.next(5000);
    const status = await h.next();
    expect(scan).toMatchObject({ type: 'reply', command: NinaCode.SCAN_NETWORKS });
    expect(status).toMatchObject({ type: 'reply', command: NinaCode.GET_CONN_STATUS, params: [Uint8Array.of(2)] });
  });

  it('answers a failed lookup with 0 and then 255.255.255.255', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    expect(await h.byte('REQ_HOST_BY_NAME', [f.textBytes('unknown.example')])).toBe(0);
    expect(f.ipv4Text((await h.call('GET_HOST_BY_NAME'))[0])).toBe('255.255.255.255');
    expect(await h.byte('REQ_HOST_BY_NAME', [f.textBytes('localhost')])).toBe(1);
    expect(f.ipv4Text((await h.call('GET_HOST_BY_NAME'))[0])).toBe('127.0.0.1');
  });
});

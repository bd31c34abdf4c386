import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { sntpAnswer } from '../../firmware-protocol/sntp.js';
import { ConnectionStatus, ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { startEchoServer, type EchoServer } from '../e2e/fixtures.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { joinLab, startNinaBench, type NinaBench } from './harness.js';

const text = f.textBytes;

describe('NINA station: status as nina-fw reports it', () => {
  let bench: NinaBench | undefined;
  let echo: EchoServer | undefined;
  afterEach(async () => {
    await bench?.close();
    await echo?.close();
    bench = echo = undefined;
  });

  it('reports NO_SSID_AVAIL while connecting, then CONNECTED', async () => {
    // On fake time: the join cannot end between SET_PASSPHRASE and the status query, however loaded the machine.
    bench = await startNinaBench(undefined, new ManualClock());
    const h = bench.host;
    expect(await h.byte('SET_PASSPHRASE', [text('copro-lab'), text('labpass123')])).toBe(1);
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.NO_SSID_AVAIL);
    expect(await h.join('copro-lab', 'labpass123')).toBe(ConnectionStatus.CONNECTED);
    expect(await h.byte('GET_REASON_CODE')).toBe(0);
  });

  it('ends a wrong passphrase in CONNECT_FAILED with reason 202, an unknown SSID with 201', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    expect(await h.join('copro-lab', 'wrong-pass')).toBe(ConnectionStatus.CONNECT_FAILED);
    expect(await h.byte('GET_REASON_CODE')).toBe(202);
    expect(await h.join('nobody-here', 'whatever1')).toBe(ConnectionStatus.CONNECT_FAILED);
    expect(await h.byte('GET_REASON_CODE')).toBe(201);
    expect(f.ipv4Text((await h.call('GET_IPADDR', [f.u8(0xff)]))[0])).toBe('0.0.0.0');
  });

  it('accepts SET_NET for an open network name and refuses an SSID longer than 32 bytes', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    expect(await h.byte('SET_NET', [text('copro-lab')])).toBe(1);
    expect(await h.request('SET_NET', [new Uint8Array(33).fill(0x41)])).toEqual({ type: 'error-reply' });
  });

  it('DISCONNECT leaves the AP (DISCONNECTED) and every client socket dies with it', async () => {
    echo = await startEchoServer();
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    expect(await h.byte('START_CLIENT_TCP', [f.ipv4Bytes('127.0.0.1'), f.u16be(echo.port), f.u8(0), f.u8(0)])).toBe(1);
    expect(await h.byte('DISCONNECT', [f.u8(0xff)])).toBe(1);
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.DISCONNECTED);
    expect(await h.byte('GET_CLIENT_STATE_TCP', [f.u8(0)])).toBe(0);
    expect(await h.byte('DISCONNECT')).toBe(1); // A sends no dummy parameter: answered the same
  });

  it('SCAN_NETWORKS restarts the WiFi driver: an association ends, status becomes SCAN_COMPLETED', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    const ssids = await h.call('SCAN_NETWORKS', [], 5000);
    expect(ssids).toHaveLength(1);
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.SCAN_COMPLETED);
    expect((await h.call('GET_CURR_SSID', [f.u8(0xff)]))[0]).toHaveLength(0);
    // An index with no network reads nina-fw's zeroed record.
    expect(f.readI32le((await h.call('GET_IDX_RSSI', [f.u8(7)]))[0])).toBe(0);
  });

  it('answers the accepted-but-ineffective setters as nina-fw does', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    expect(await h.byte('SET_HOSTNAME', [text('copro')])).toBe(1);
    expect(await h.byte('SET_DNS_CONFIG', [f.u8(1), f.ipv4Bytes('1.1.1.1'), f.ipv4Bytes('8.8.8.8')])).toBe(1);
    expect(await h.byte('SET_POWER_MODE', [f.u8(1)])).toBe(1);
    // SET_IP_CONFIG is not emulated: the error reply says so rather than pretend.
    expect(await h.request('SET_IP_CONFIG', [f.u8(1), f.ipv4Bytes('10.0.0.2'), f.ipv4Bytes('10.0.0.1'), f.ipv4Bytes('255.0.0.0')])).toEqual({
      type: 'error-reply',
    });
  });

  it('resets on the reset line: association and sockets gone, status IDLE', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    bench.emulator.host!.control({ type: 'reset' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.IDLE);
    expect(f.ipv4Text((await h.call('GET_IPADDR', [f.u8(0xff)]))[0])).toBe('0.0.0.0');
  });

  it("answers GET_TIME with 0 until its SNTP client (0.pool.ntp.org, asked once joined) has the time; a reset loses it", async () => {
    const serverTime = Date.UTC(2024, 1, 29, 12, 0, 0);
    const ntp = createSocket('udp4');
    ntp.on('message', (_request, from) => ntp.send(sntpAnswer(serverTime), from.port, from.address));
    await new Promise<void>((resolve) => ntp.bind(0, '127.0.0.1', resolve));
    try {
      bench = await startNinaBench(parseWorldConfig({ timing: { scale: 0.01 }, ntp: { '0.pool.ntp.org': `127.0.0.1:${ntp.address().port}` } }));
      const h = bench.host;
      const time = async (): Promise<number> => f.readU32le((await h.call('GET_TIME'))[0]);
      expect(await time()).toBe(0);
      await joinLab(h);
      let seconds = 0;
      for (let i = 0; i < 100 && seconds === 0; i++) {
        seconds = await time();
        if (seconds === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(Math.abs(seconds - serverTime / 1000)).toBeLessThan(30);
      bench.emulator.host!.control({ type: 'reset' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await time()).toBe(0);
    } finally {
      await new Promise<void>((resolve) => ntp.close(() => resolve()));
    }
  });

  it('keeps GET_TIME at 0 when no SNTP server answers (no pool.ntp.org in a world without DNS)', async () => {
    bench = await startNinaBench();
    const h = bench.host;
    await joinLab(h);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(f.readU32le((await h.call('GET_TIME'))[0])).toBe(0);
  });
});

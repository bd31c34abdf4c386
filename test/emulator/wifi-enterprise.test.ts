/**
 * AT+CWJEAP (Wi-Fi_AT_Commands.rst v2.4): a WPA2-Enterprise AP in the radio world accepts the accounts
 * its `eap` list names; the module reads its client certificate, key and CA from the wpa2_* flash
 * partitions; a refused join answers `+CWJEAP:Timeout` and ERROR once `<jeap_timeout>` has passed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { Cleanup, LAB, startBench, type TestHost } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const CORP = {
  ssid: 'corp-net',
  rssi: -50,
  channel: 11,
  bssid: 'ca:d7:19:d8:a6:51',
  ip: '10.20.0.42',
  gateway: '10.20.0.1',
  netmask: '255.255.0.0',
  eap: [
    { method: 'peap', identity: 'anon@corp', username: 'alice', password: 's3cret' },
    { method: 'tls', identity: 'device-17@corp' },
  ],
};
const WORLD = parseWorldConfig({
  timing: { scale: 0.01 },
  accessPoints: [{ ssid: LAB.ssid, password: LAB.password, rssi: -45, channel: 6, bssid: 'ca:d7:19:d8:a6:44', ip: '192.168.10.42', gateway: '192.168.10.1', netmask: '255.255.255.0' }, CORP],
});

/** A module with echo off. */
async function bench(profile: 'esp32-at-2.x' | 'esp32c3-at-4.1' = 'esp32-at-2.x'): Promise<TestHost> {
  const { host } = await startBench(cleanup, { world: WORLD, profile });
  await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  return host;
}

describe('AT+CWJEAP: WPA2-Enterprise', () => {
  it('joins with an account the AP accepts (PEAP), reports it, and lists the AP as WPA2-Enterprise (ecn 5)', async () => {
    const host = await bench();
    await host.exchange('AT+CWLAP="corp-net"\r\n', '+CWLAP:(5,"corp-net",-50,"ca:d7:19:d8:a6:51",11,-1,-1,4,4,7,0)\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJEAP?\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWJEAP="corp-net",1,"anon@corp","alice","s3cret",0\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJEAP?\r\n', '+CWJEAP:"corp-net",1,"anon@corp","alice","s3cret",0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTA?\r\n', '+CIPSTA:ip:"10.20.0.42"\r\n+CIPSTA:gateway:"10.20.0.1"\r\n+CIPSTA:netmask:"255.255.0.0"\r\n\r\nOK\r\n');
    // A passphrase join (CWJAP) cannot enter an enterprise network; it forgets the CWJEAP settings.
    await host.exchange('AT+CWJAP="corp-net","whatever1"\r\n', 'WIFI DISCONNECT\r\n+CWJAP:2\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJEAP?\r\n', '\r\nOK\r\n');
  });

  it('answers a refused account only when <jeap_timeout> has passed: +CWJEAP:Timeout, ERR CODE 0x8016', async () => {
    const host = await bench();
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    host.send('AT+CWJEAP="corp-net",1,"anon@corp","alice","wrong",0,3\r\n');
    // 3 s at the world's pace (1/100): nothing before 30 ms.
    await host.expectSilence(15);
    await host.expect('+CWJEAP:Timeout\r\nERR CODE:0x00008016\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJEAP="nobody",2,"anon@corp","alice","s3cret",0,3\r\n', '+CWJEAP:Timeout\r\nERR CODE:0x00008016\r\n\r\nERROR\r\n');
    // As after a failed AT+CWJAP: disconnected.
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:4,""\r\n\r\nOK\r\n');
  });

  it('EAP-TLS needs the client certificate bit and the certificate and key in the wpa2_* partitions', async () => {
    const host = await bench();
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    // "TLS mode will use client certificate. Please make sure it is enabled."
    await host.exchange('AT+CWJEAP="corp-net",0,"device-17@corp",,,0\r\n', 'ERR CODE:0x0000801f\r\n\r\nERROR\r\n');
    // The partitions start erased: no certificate to load.
    await host.exchange('AT+CWJEAP="corp-net",0,"device-17@corp",,,1\r\n', 'ERR CODE:0x0000800b\r\n\r\nERROR\r\n');
    await host.exchange('AT+SYSFLASH=1,"wpa2_cert",0,4\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('CERT', '\r\nOK\r\n');
    await host.exchange('AT+CWJEAP="corp-net",0,"device-17@corp",,,1\r\n', 'ERR CODE:0x0000800d\r\n\r\nERROR\r\n');
    await host.exchange('AT+SYSFLASH=1,"wpa2_key",0,3\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('KEY', '\r\nOK\r\n');
    // Bit 1 (verify the server) needs the CA too.
    await host.exchange('AT+CWJEAP="corp-net",0,"device-17@corp",,,3\r\n', 'ERR CODE:0x00008008\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJEAP="corp-net",0,"device-17@corp",,,1\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJEAP?\r\n', '+CWJEAP:"corp-net",0,"device-17@corp","","",1\r\n\r\nOK\r\n');
  });

  it('on ESP-AT 4.1 reads the wpa2_* namespaces of the manufacturing NVS the host writes with AT+SYSMFG', async () => {
    const host = await bench('esp32c3-at-4.1');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWJEAP="corp-net",0,"device-17@corp",,,1\r\n', 'ERR CODE:0x0000800b\r\n\r\nERROR\r\n');
    // mfg_nvs.py names a one-file namespace's key after the namespace.
    await host.exchange('AT+SYSMFG=2,"wpa2_cert","wpa2_cert",8,4\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('CERT', '\r\nOK\r\n');
    await host.exchange('AT+SYSMFG=2,"wpa2_key","wpa2_key.0",8,3\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('KEY', '\r\nOK\r\n');
    await host.exchange('AT+CWJEAP="corp-net",0,"device-17@corp",,,3\r\n', 'ERR CODE:0x00008008\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJEAP="corp-net",0,"device-17@corp",,,1\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
  });

  it('refuses bad parameters with the WPA2 Enterprise error codes', async () => {
    const host = await bench();
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    // PEAP and TTLS need the phase-2 username and password.
    await host.exchange('AT+CWJEAP="corp-net",1,"anon@corp",,"s3cret",0\r\n', 'ERR CODE:0x0000801a\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJEAP="corp-net",2,"anon@corp","alice",,0\r\n', 'ERR CODE:0x0000801c\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJEAP="corp-net",3,"anon@corp","alice","s3cret",0\r\n', 'ERR CODE:0x00008024\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJEAP="corp-net",1,"anon@corp","alice","s3cret",4\r\n', 'ERR CODE:0x0000801e\r\n\r\nERROR\r\n');
    // A missing <security> cannot be read; one parameter too many is the count error.
    await host.exchange('AT+CWJEAP="corp-net",1,"anon@corp"\r\n', 'ERR CODE:0x0000801d\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJEAP="corp-net",1,"anon@corp","alice","s3cret",0,15,9\r\n', 'ERR CODE:0x00008020\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWJEAP="corp-net",1,"anon@corp","alice","s3cret",0\r\n', 'ERR CODE:0x00008022\r\n\r\nERROR\r\n');
  });
});

describe('an enterprise AP in the world file', () => {
  it('has accounts and no passphrase, and announces an enterprise kind', () => {
    const ap = { ...CORP };
    expect(() => parseWorldConfig({ accessPoints: [{ ...ap, password: 'labpass123' }] })).toThrow(/enterprise network \(eap\) has no passphrase/);
    expect(() => parseWorldConfig({ accessPoints: [{ ...ap, security: 'wpa2-psk' }] })).toThrow(/an AP with eap accounts is one of/);
    expect(() => parseWorldConfig({ accessPoints: [{ ...ap, eap: [{ method: 'leap', identity: 'x' }] }] })).toThrow(/method: must be one of tls, peap, ttls/);
    expect(() => parseWorldConfig({ accessPoints: [{ ...ap, eap: [{ method: 'peap', identity: 'x' }] }] })).toThrow(/username/);
    expect(parseWorldConfig({ accessPoints: [{ ...ap, security: 'wpa3-enterprise' }] }).accessPoints[0]?.security).toBe('wpa3-enterprise');
  });
});

import { afterEach, describe, it } from 'vitest';
import { Cleanup, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** The softAP commands of ESP-AT v2.4, byte for byte (formats from the v2.4.2.0 core library's strings). */
describe('softAP commands (Wi-Fi_AT_Commands.rst)', () => {
  it('starts in AT+CWMODE=2 with the factory AP: SSID from the softAP MAC, open, its address and DHCP range', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWSAP?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPAP?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWSAP?\r\n', '+CWSAP:"ESP_C09002","",1,0,4,0\r\n\r\nOK\r\n');
    await host.exchange(
      'AT+CIPAP?\r\n',
      '+CIPAP:ip:"192.168.4.1"\r\n+CIPAP:gateway:"192.168.4.1"\r\n+CIPAP:netmask:"255.255.255.0"\r\n\r\nOK\r\n',
    );
    await host.exchange('AT+CWDHCPS?\r\n', '+CWDHCPS:120,192.168.4.2,192.168.4.101\r\n\r\nOK\r\n');
    await host.exchange('AT+CWAPPROTO?\r\n', '+CWAPPROTO:7\r\n\r\nOK\r\n');
    await host.exchange('AT+CWSTAPROTO?\r\n', '+CWSTAPROTO:7\r\n\r\nOK\r\n');
    await host.exchange('AT+CWLIF\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIFSR\r\n', '+CIFSR:APIP,"192.168.4.1"\r\n+CIFSR:APMAC,"24:0a:c4:c0:90:02"\r\n\r\nOK\r\n');
  });

  it('replays the TCP-IP example: CWMODE=3, CWSAP set, CIPAP?', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('AT+CWMODE=3\r\n', 'AT+CWMODE=3\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPMUX=1\r\n', 'AT+CIPMUX=1\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWSAP="ESP32_softAP","1234567890",5,3\r\n', 'AT+CWSAP="ESP32_softAP","1234567890",5,3\r\r\n\r\nOK\r\n');
    await host.exchange(
      'AT+CIPAP?\r\n',
      'AT+CIPAP?\r\r\n+CIPAP:ip:"192.168.4.1"\r\n+CIPAP:gateway:"192.168.4.1"\r\n+CIPAP:netmask:"255.255.255.0"\r\n\r\nOK\r\n',
    );
    await host.exchange('AT+CWSAP?\r\n', 'AT+CWSAP?\r\r\n+CWSAP:"ESP32_softAP","1234567890",5,3,4,0\r\n\r\nOK\r\n');
  });

  it('sets the address, the DHCP range and the protocols; the range follows the address until set', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPAP="192.168.5.1","192.168.5.1","255.255.255.0"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWDHCPS?\r\n', '+CWDHCPS:120,192.168.5.2,192.168.5.101\r\n\r\nOK\r\n');
    await host.exchange('AT+CWDHCPS=1,3,"192.168.5.10","192.168.5.15"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWDHCPS?\r\n', '+CWDHCPS:3,192.168.5.10,192.168.5.15\r\n\r\nOK\r\n');
    await host.exchange('AT+CWDHCPS=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWDHCPS?\r\n', '+CWDHCPS:120,192.168.5.2,192.168.5.101\r\n\r\nOK\r\n');
    await host.exchange('AT+CWAPPROTO=3\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWAPPROTO?\r\n', '+CWAPPROTO:3\r\n\r\nOK\r\n');
    await host.exchange('AT+CWSTAPROTO=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWSTAPROTO?\r\n', '+CWSTAPROTO:1\r\n\r\nOK\r\n');
  });

  it('answers bad input as the firmware does, with its ERR CODE under AT+SYSLOG=1', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    // Not in softAP mode: the command fails.
    await host.exchange('AT+CWSAP="a","12345678",1,3\r\n', 'ERR CODE:0x010a0000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
    // WEP, a short passphrase, channel and max conn out of range, a missing parameter.
    await host.exchange('AT+CWSAP="a","12345678",1,1\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWSAP="a","1234567",1,3\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWSAP="a","12345678",14,3\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWSAP="a","12345678",1,3,11\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWDHCPS=1,3,"192.168.9.10","192.168.9.15"\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWDHCPS=1,3\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWDHCPS=1,2881,"192.168.4.10","192.168.4.15"\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPAP="192.168.4.300"\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWAPPROTO=2\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWQIF="zz"\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWQIF="aa:bb:cc:dd:ee:ff"\r\n', '\r\nOK\r\n');
    // Without its DHCP server the softAP's range cannot be asked.
    await host.exchange('AT+CWDHCP=0,2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWDHCPS?\r\n', 'ERR CODE:0x010a0000\r\n\r\nERROR\r\n');
  });

  it('keeps AT+CWSAP across a reset when AT+SYSSTORE=1 and not when 0', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWSAP="kept","12345678",6,3,2,1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSSTORE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWSAP="lost","12345678",6,3\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWSAP?\r\n', '+CWSAP:"lost","12345678",6,3,2,0\r\n\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWSAP?\r\n', '+CWSAP:"kept","12345678",6,3,2,1\r\n\r\nOK\r\n');
  });
});

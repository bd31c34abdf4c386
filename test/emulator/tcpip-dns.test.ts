import { afterEach, describe, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { Cleanup, LAB, LAB_AP, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A lab AP whose DHCP offers two DNS servers of its own (option 6), not the gateway. */
const TWO_DNS_WORLD = parseWorldConfig({
  timing: { scale: 0.01 },
  accessPoints: [{ ...LAB_AP, dns: ['192.168.10.53', '192.168.10.54'] }],
});

describe('AT+CIPDNS as ESP-AT v2.4 reports it (TCP-IP_AT_Commands: AT+CIPDNS)', () => {
  it('reports 208.67.222.222 and 8.8.8.8 before a join, the DHCP server in the first slot after', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:0,"208.67.222.222","8.8.8.8"\r\n\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:0,"192.168.10.1","8.8.8.8"\r\n\r\nOK\r\n');
    // lwIP keeps what DHCP set when the link goes down.
    await host.exchange('AT+CWQAP\r\n', '\r\nOK\r\nWIFI DISCONNECT\r\n');
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:0,"192.168.10.1","8.8.8.8"\r\n\r\nOK\r\n');
  });

  it('reports both servers a DHCP offer carries', async () => {
    const { host } = await startBench(cleanup, { world: TWO_DNS_WORLD });
    await joinLab(host);
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:0,"192.168.10.53","192.168.10.54"\r\n\r\nOK\r\n');
  });

  it('takes manual servers (IPv6 too), falls back to the defaults without any, and refuses the same server twice', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CIPDNS=1,"208.67.222.222","114.114.114.114","8.8.8.8"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:1,"208.67.222.222","114.114.114.114","8.8.8.8"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS=1,"240c::6666","2001:4860:4860::8888","240e:5a::6666"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:1,"240c::6666","2001:4860:4860::8888","240e:5a::6666"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS=1,"1.1.1.1","1.1.1.1"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPDNS=1,"1.1.1.1","9.9.9.9","1.1.1.1"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:1,"240c::6666","2001:4860:4860::8888","240e:5a::6666"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:1,"208.67.222.222","8.8.8.8"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDNS?\r\n', '+CIPDNS:0,"192.168.10.1","8.8.8.8"\r\n\r\nOK\r\n');
  });

  it('keeps NonOS 1.7 to one IPv4 line per server', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp8266-at-1.7' });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS_CUR?\r\n', '+CIPDNS_CUR:208.67.222.222\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPDNS_CUR=1,"240c::6666"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPDNS_CUR=1,"1.1.1.1","9.9.9.9"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDNS_CUR?\r\n', '+CIPDNS_CUR:1.1.1.1\r\n+CIPDNS_CUR:9.9.9.9\r\n\r\nOK\r\n');
  });
});

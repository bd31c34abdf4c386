import { afterEach, describe, expect, it } from 'vitest';
import { ESP32_AT_2X } from '../../firmware-protocol/at/profiles.js';
import { Cleanup, joinLab, sleep, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('basic commands (esp-at.md §1, §2)', () => {
  it('boots with ready and answers AT with its echo: AT\\r\\r\\n\\r\\nOK\\r\\n', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
  });

  it("prints ATE0's own echo, then stops echoing", async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\n');
    await host.exchange('ATE1\r\n', '\r\nOK\r\n');
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
  });

  it('echoes a partial line without executing it, then runs it once completed', async () => {
    const { host } = await startBench(cleanup);
    host.send('AT+G');
    await host.expect('AT+G');
    await host.expectSilence(30);
    host.send('MR\r\n');
    await host.expect(`MR\r\r\n${ESP32_AT_2X.gmrLines.map((line) => `${line}\r\n`).join('')}\r\nOK\r\n`);
  });

  it('answers unknown commands, unsupported forms and bad parameters with ERROR', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+FAKE\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+GMR?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=9\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE="x"\r\n', '\r\nERROR\r\n');
    await host.exchange('at\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=1,,,,\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWJAP="unterminated\r\n', '\r\nERROR\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });

  it('prefixes ERROR with the right ERR CODE when AT+SYSLOG=1', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG?\r\n', '+SYSLOG:0\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+FAKE\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
    // A form the firmware registers no function for: a bare ERROR, no ERR CODE (v2.4 has no test forms).
    await host.exchange('AT+GMR=?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+RST=1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+SYSRAM=1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+FAKE=?\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=9\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWMODE="1"\r\n', 'ERR CODE:0x01050000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=1,1,1\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    await host.exchange('aT\r\n', 'ERR CODE:0x01030000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=1x\r\n', 'ERR CODE:0x01080000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=1\r\n', 'ERR CODE:0x010a0000\r\n\r\nERROR\r\n');
    await host.exchange(`AT+${'X'.repeat(300)}\r\n`, 'ERR CODE:0x01010000\r\n\r\nERROR\r\n');
  });

  it('answers busy p... to a second line that came in the same chunk as a command (esp-at #105)', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('AT\r\nAT\r\n', 'AT\r\r\n\r\nOK\r\nAT\r\r\n\r\nbusy p...\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT\r\n\r\n', '\r\nOK\r\n\r\nbusy p...\r\n');
    await host.exchange('AT+SYSLOG=1\r\nAT+GMR\r\n', '\r\nOK\r\nERR CODE:0x010b0000\r\n\r\nbusy p...\r\n');
    await host.exchange('AT\r\n', '\r\nOK\r\n');
  });

  it('ignores an empty line when idle', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    host.send('\r\n');
    await host.expectSilence(30);
  });

  it('reports GMR lines of the profile', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp8266-at-1.7' });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    host.send('AT+GMR\r\n');
    const text = await host.readThrough('\r\nOK\r\n');
    expect(text).toMatch(/^AT version:1\.7\.4\.0/);
  });

  it('accepts, validates and reports UART_CUR (the rate the ESP32 divider gives, RTS flow control by default) / UART_DEF', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+UART_CUR?\r\n', '+UART_CUR:115201,8,1,0,1\r\n\r\nOK\r\n');
    await host.exchange('AT+UART_CUR=921600,8,1,0,3\r\n', '\r\nOK\r\n');
    await host.exchange('AT+UART_CUR?\r\n', '+UART_CUR:922190,8,1,0,3\r\n\r\nOK\r\n');
    await host.exchange('AT+UART_DEF?\r\n', '+UART_DEF:115200,8,1,0,1\r\n\r\nOK\r\n');
    await host.exchange('AT+UART_CUR=50,8,1,0,0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+UART_DEF=230400,8,1,2,0\r\n', '\r\nOK\r\n');
    // A reboot keeps UART_DEF (flash) and forgets UART_CUR (RAM): UART_CUR comes back as UART_DEF.
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('AT+UART_CUR?\r\n', 'AT+UART_CUR?\r\r\n+UART_CUR:230423,8,1,2,0\r\n\r\nOK\r\n');
  });
});

describe('persistence: AT+SYSSTORE, AT+RST, AT+RESTORE', () => {
  it('reports SYSRAM and SYSMSG', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    host.send('AT+SYSRAM?\r\n');
    expect(await host.readThrough('\r\nOK\r\n')).toMatch(/^\+SYSRAM:\d+,\d+\r\n\r\nOK\r\n$/);
    await host.exchange('AT+SYSMSG?\r\n', '+SYSMSG:0\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSMSG=3\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSMSG?\r\n', '+SYSMSG:3\r\n\r\nOK\r\n');
  });

  it('keeps CWMODE across AT+RST with SYSSTORE=1, not with SYSSTORE=0; RESTORE brings factory values', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSSTORE?\r\n', '+SYSSTORE:1\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE=3\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSSTORE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWMODE?\r\n', '+CWMODE:2\r\n\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE?\r\n', '+CWMODE:3\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSSTORE?\r\n', '+SYSSTORE:0\r\n\r\nOK\r\n');
    await host.exchange('AT+RESTORE\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('AT+CWMODE?\r\n', 'AT+CWMODE?\r\r\n+CWMODE:1\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSSTORE?\r\n', 'AT+SYSSTORE?\r\r\n+SYSSTORE:1\r\n\r\nOK\r\n');
  });

  it('answers busy p... while rebooting, and a hardware reset prints ready without OK', async () => {
    const { emu, host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    emu.host!.control({ type: 'reset' });
    await host.expect('\r\nready\r\n');
    // Echo is back on after any reset.
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
    await sleep(1);
  });

  it('rejoins the stored AP after a reset (CWAUTOCONN=1)', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\n');
    await host.exchange('AT+CWAUTOCONN=0\r\n', 'AT+CWAUTOCONN=0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', 'AT+RST\r\r\n\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.expectSilence(50);
  });
});

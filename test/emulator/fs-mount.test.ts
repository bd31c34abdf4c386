import { afterEach, describe, it } from 'vitest';
import { Cleanup, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('AT+FSMOUNT: mount and unmount the FAT partition (FS_AT_Commands.rst v4.1.1.0; at_setup_cmd_fsmount)', () => {
  it("plays the page's example, and AT+FS mounts the partition itself; files outlive an unmount", async () => {
    const { host } = await startBench(cleanup, { profile: 'esp32c3-at-4.1' });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    // Unmounting an unmounted partition only logs "already unmounted": OK.
    await host.exchange('AT+FSMOUNT=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+FSMOUNT=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+FSMOUNT=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+FS=0,1,"kept.txt",0,3\r\n', '>');
    await host.exchange('abc', '\r\nOK\r\n');
    await host.exchange('AT+FSMOUNT=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+FS=0,2,"kept.txt",0,10\r\n', '+FS:3,abc\r\nOK\r\n');
    await host.exchange('AT+FSMOUNT=0\r\n', '\r\nOK\r\n');
  });

  it('answers malformed and out-of-range forms with ERROR, and the ERR CODE under AT+SYSLOG=1', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp32c3-at-4.1' });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+FSMOUNT=2\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+FSMOUNT=-1\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+FSMOUNT="1"\r\n', 'ERR CODE:0x01050000\r\n\r\nERROR\r\n');
    await host.exchange('AT+FSMOUNT=1,1\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    // Set only: the forms with no function are a bare ERROR (dispatch.ts).
    await host.exchange('AT+FSMOUNT?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+FSMOUNT\r\n', '\r\nERROR\r\n');
  });

  it('is not in the firmwares before 3.x: ESP32 2.x and ESP8266 2.2 answer it as an unknown command', async () => {
    for (const profile of ['esp32-at-2.x', 'esp8266-rtos-at-2.2'] as const) {
      const { host } = await startBench(cleanup, { profile });
      await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
      await host.exchange('AT+FSMOUNT=1\r\n', '\r\nERROR\r\n');
    }
  });
});

describe('AT+SYSTEMP on the ESP8266 (documented "[ESP32-S2 Only]")', () => {
  it('is answered as an unknown command, as libesp8266_at_core.a (no SYSTEMP) does', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp8266-rtos-at-2.2' });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSTEMP?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSTEMP?\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
  });
});

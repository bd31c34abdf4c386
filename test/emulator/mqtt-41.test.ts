/**
 * The later firmwares' MQTT additions (MQTT_AT_Commands.rst v4.1.1.0): AT+MQTTLONGCLIENTID,
 * AT+MQTTLONGUSERNAME, AT+MQTTLONGPASSWORD (the text after a prompt; also ESP-AT 2.2 on the ESP8266)
 * and AT+MQTTSNI (4.1), against a real broker on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TestBroker } from '../helpers/mqtt-broker.js';
import { makeTestPki } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const OK = '\r\nOK\r\n';

describe('AT+MQTTLONG… and AT+MQTTSNI', () => {
  for (const profile of ['esp32c3-at-4.1', 'esp8266-rtos-at-2.2'] as const) {
    it(`${profile}: a client id and credentials longer than one command line reach the broker`, async () => {
      const clientId = `device-${'x'.repeat(300)}`;
      const broker = await TestBroker.start({ credentials: { username: 'u'.repeat(200), password: 'p'.repeat(100) } });
      cleanup.add(() => broker.close());
      const { host } = await startBench(cleanup, { profile });
      await joinLab(host);
      // Before AT+MQTTUSERCFG: not configured (AT_MQTT_NO_CONFIGURED).
      await host.exchange('AT+MQTTLONGCLIENTID=0,5\r\n', '\r\nERROR\r\n');
      await host.exchange('AT+MQTTUSERCFG=0,1,"short","","",0,0,""\r\n', OK);
      await host.exchange(`AT+MQTTLONGCLIENTID=0,${clientId.length}\r\n`, '\r\nOK\r\n\r\n>');
      await host.exchange(clientId, OK);
      await host.exchange('AT+MQTTLONGUSERNAME=0,200\r\n', '\r\nOK\r\n\r\n>');
      await host.exchange('u'.repeat(200), OK);
      await host.exchange('AT+MQTTLONGPASSWORD=0,100\r\n', '\r\nOK\r\n\r\n>');
      await host.exchange('p'.repeat(100), OK);
      await host.exchange('AT+MQTTLONGPASSWORD=0,1025\r\n', '\r\nERROR\r\n');
      await host.exchange(`AT+MQTTCONN=0,"127.0.0.1",${broker.port},0\r\n`, `+MQTTCONNECTED:0,1,"127.0.0.1","${broker.port}","",0\r\n${OK}`, 10_000);
      expect(broker.connects[0]?.clientId).toBe(clientId);
      expect(broker.connects[0]?.username).toBe('u'.repeat(200));
    });
  }

  it('AT+MQTTSNI (4.1 only) is refused before AT+MQTTUSERCFG and taken after it', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp32c3-at-4.1' });
    await joinLab(host);
    await host.exchange('AT+MQTTSNI=0,"broker.example"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+MQTTUSERCFG=0,2,"c3","","",0,0,""\r\n', OK);
    await host.exchange('AT+MQTTSNI=0,"broker.example"\r\n', OK);
    const esp32 = await startBench(cleanup);
    await joinLab(esp32.host);
    await esp32.host.exchange('AT+MQTTSNI=0,"broker.example"\r\n', '\r\nERROR\r\n');
    await esp32.host.exchange('AT+MQTTLONGCLIENTID=0,5\r\n', '\r\nERROR\r\n');
  });

  it("AT+MQTTSNI's name is the SNI of the broker connection's ClientHello (none for an address without it)", async () => {
    const pki = await makeTestPki();
    const broker = await TestBroker.start({ transport: 'tls', identity: pki.server });
    cleanup.add(() => broker.close());
    const { host } = await startBench(cleanup, { profile: 'esp32c3-at-4.1' });
    await joinLab(host);
    await host.exchange('AT+MQTTUSERCFG=0,2,"c3","","",0,0,""\r\n', OK);
    await host.exchange(`AT+MQTTCONN=0,"127.0.0.1",${broker.port},0\r\n`, `+MQTTCONNECTED:0,2,"127.0.0.1","${broker.port}","",0\r\n${OK}`, 10_000);
    await host.exchange('AT+MQTTCLEAN=0\r\n', OK);
    await host.exchange('AT+MQTTUSERCFG=0,2,"c3","","",0,0,""\r\n', OK);
    await host.exchange('AT+MQTTSNI=0,"broker.example"\r\n', OK);
    await host.exchange(`AT+MQTTCONN=0,"127.0.0.1",${broker.port},0\r\n`, `+MQTTCONNECTED:0,2,"127.0.0.1","${broker.port}","",0\r\n${OK}`, 10_000);
    expect(broker.servernames).toEqual(['broker.example']);
  });
});

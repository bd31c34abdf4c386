import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, joinLab } from '../emulator/harness.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { TestBroker } from '../helpers/mqtt-broker.js';
import { startFaultBench } from './bench.js';

/**
 * The network faults reach the module's MQTT client as they reach its links: it runs on the same
 * (faulty) stack. Fake time for the module; the broker is real, on loopback.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const OK = '\r\nOK\r\n';

async function broker(): Promise<TestBroker> {
  const started = await TestBroker.start();
  cleanup.add(() => started.close());
  return started;
}

describe('network faults on the MQTT client', () => {
  it('tcp-reset: +MQTTDISCONNECTED; with <reconnect> 1 it is back after the reconnect interval', async () => {
    const server = await broker();
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    await joinLab(host);
    await host.exchange('AT+MQTTUSERCFG=0,1,"copro","","",0,0,""\r\n', OK);
    await host.exchange(`AT+MQTTCONN=0,"127.0.0.1",${server.port},1\r\n`, `+MQTTCONNECTED:0,1,"127.0.0.1","${server.port}","",1\r\n${OK}`, 10_000);
    expect(faults.apply(`tcp-reset:port=${server.port}`)).toBe('tcp-reset: 1 link reset');
    await host.expect('+MQTTDISCONNECTED:0\r\n');
    await host.expect(`+MQTTCONNECTED:0,1,"127.0.0.1","${server.port}","",1\r\n`, 15_000);
    await host.exchange('AT+MQTTPUB=0,"after","reset",1,0\r\n', OK, 10_000);
    expect(server.published.map((p) => p.topic)).toEqual(['after']);
  });

  it('dns-fail: the broker name does not resolve: +MQTTDISCONNECTED then ERROR; the next try connects', async () => {
    const server = await broker();
    const { host, faults } = await startFaultBench(cleanup, { clock: new ManualClock() });
    await joinLab(host);
    await host.exchange('AT+MQTTUSERCFG=0,1,"copro","","",0,0,""\r\n', OK);
    faults.apply('dns-fail@#1');
    await host.exchange(`AT+MQTTCONN=0,"peer.lab",${server.port},0\r\n`, '+MQTTDISCONNECTED:0\r\n\r\nERROR\r\n', 10_000);
    await host.exchange(`AT+MQTTCONN=0,"peer.lab",${server.port},0\r\n`, `+MQTTCONNECTED:0,1,"peer.lab","${server.port}","",0\r\n${OK}`, 10_000);
    expect(faults.status().injected['dns-fail']).toBe(1);
  });
});

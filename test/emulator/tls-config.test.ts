import { afterEach, beforeAll, describe, it } from 'vitest';
import { makeTestPki, TlsPeer, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench, type TestHost, setModuleClock } from './harness.js';

/**
 * The SSL client configuration commands on the wire (2.x core library formats: every link id in
 * CIPSSLCCONF?, unquoted names in CIPSSLCCN?/CIPSSLCSNI?/CIPSSLCALPN?), their checks against the
 * certificate store, and what survives a reset.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function module(store: Parameters<typeof tlsWorld>[0], mux: boolean): Promise<TestHost> {
  const world = tlsWorld(store);
  cleanup.add(() => world.dispose());
  const { host } = await startBench(cleanup, { world: world.world });
  await joinLab(host, { mux });
  await setModuleClock(host);
  return host;
}

const FACTORY_CCONF =
  '+CIPSSLCCONF:0,0,0,0\r\n+CIPSSLCCONF:1,0,0,0\r\n+CIPSSLCCONF:2,0,0,0\r\n+CIPSSLCCONF:3,0,0,0\r\n+CIPSSLCCONF:4,0,0,0\r\n\r\nOK\r\n';

describe('AT+CIPSSLCCONF', () => {
  it('reports every link id, sets one or all (id 5), and checks the store entries it names', async () => {
    const host = await module({ caCerts: [pki.ca.cert] }, true);
    await host.exchange('AT+CIPSSLCCONF?\r\n', FACTORY_CCONF);
    await host.exchange('AT+CIPSSLCCONF=2,2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF=5,2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF=4,0\r\n', '\r\nOK\r\n');
    await host.exchange(
      'AT+CIPSSLCCONF?\r\n',
      '+CIPSSLCCONF:0,2,0,0\r\n+CIPSSLCCONF:1,2,0,0\r\n+CIPSSLCCONF:2,2,0,0\r\n+CIPSSLCCONF:3,2,0,0\r\n+CIPSSLCCONF:4,0,0,0\r\n\r\nOK\r\n',
    );
    // The store has one CA and no client certificate.
    await host.exchange('AT+CIPSSLCCONF=0,2,0,1\r\n', 'NO CA FOUND\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCCONF=0,1,0,0\r\n', 'NO CERT FOUND\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCCONF=0,3\r\n', 'NO CERT FOUND\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCCONF=0,4\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCCONF?\r\n', '+CIPSSLCCONF:0,2,0,0\r\n+CIPSSLCCONF:1,2,0,0\r\n+CIPSSLCCONF:2,2,0,0\r\n+CIPSSLCCONF:3,2,0,0\r\n+CIPSSLCCONF:4,0,0,0\r\n\r\nOK\r\n');
  });

  it('addresses CA and PKI entries by index', async () => {
    const server = await TlsPeer.start({ identity: pki.server });
    cleanup.add(() => server.close());
    // CA 0 is somebody else's; CA 1 issued the server certificate.
    const host = await module({ caCerts: [pki.selfSigned.cert, pki.ca.cert], clientCerts: [pki.client, pki.client] }, false);
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, '\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCCONF=3,1,1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF=3,2,1\r\n', 'NO CERT FOUND\r\n\r\nERROR\r\n');
  });

  it('is kept in flash under AT+SYSSTORE=1 (not under 0); names and ALPN are RAM only', async () => {
    const host = await module({ caCerts: [pki.ca.cert] }, false);
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCSNI="peer.lab"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF?\r\n', FACTORY_CCONF.replace('+CIPSSLCCONF:0,0,0,0', '+CIPSSLCCONF:0,2,0,0'));
    await host.exchange('AT+CIPSSLCSNI?\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSSTORE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF?\r\n', FACTORY_CCONF.replace('+CIPSSLCCONF:0,0,0,0', '+CIPSSLCCONF:0,2,0,0'));
  });
});

describe('AT+CIPSSLCCN, AT+CIPSSLCSNI, AT+CIPSSLCALPN', () => {
  it('set per link, print unquoted per link that has one, and apply id 5 to every idle link', async () => {
    const host = await module({}, true);
    await host.exchange('AT+CIPSSLCSNI?\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCSNI=1,"peer.lab"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCN=3,"copro.local"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCSNI?\r\n', '+CIPSSLCSNI:1,peer.lab\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCN?\r\n', '+CIPSSLCCN:3,copro.local\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCALPN=5,1,"mqtt"\r\n', '\r\nOK\r\n');
    await host.exchange(
      'AT+CIPSSLCALPN?\r\n',
      '+CIPSSLCALPN:0,mqtt\r\n+CIPSSLCALPN:1,mqtt\r\n+CIPSSLCALPN:2,mqtt\r\n+CIPSSLCALPN:3,mqtt\r\n+CIPSSLCALPN:4,mqtt\r\n\r\nOK\r\n',
    );
    await host.exchange('AT+CIPSSLCALPN=2,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCALPN=1,2,"h2"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCALPN=1,1,"h2","http/1.1"\r\n', '\r\nERROR\r\n');
    await host.exchange(
      'AT+CIPSSLCALPN?\r\n',
      '+CIPSSLCALPN:0,mqtt\r\n+CIPSSLCALPN:1,mqtt\r\n+CIPSSLCALPN:3,mqtt\r\n+CIPSSLCALPN:4,mqtt\r\n\r\nOK\r\n',
    );
    // An empty name clears it.
    await host.exchange('AT+CIPSSLCSNI=1,""\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCSNI?\r\n', '\r\nOK\r\n');
  });

  it('takes no link id in single-link mode (the setting is link 0s) and refuses changes to a connected link', async () => {
    const server = await TlsPeer.start({ identity: pki.server });
    cleanup.add(() => server.close());
    const host = await module({}, false);
    await host.exchange('AT+CIPSSLCSNI=0,"peer.lab"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCSNI="peer.lab"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCSNI?\r\n', '+CIPSSLCSNI:0,peer.lab\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCSNI="other.lab"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCALPN=1,"h2"\r\n', '\r\nERROR\r\n');
    // CIPSSLCCONF may change at any time: it applies to the next connection.
    await host.exchange('AT+CIPSSLCCONF=0\r\n', '\r\nOK\r\n');
  });
});

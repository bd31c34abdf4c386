import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/emulator.js';
import { makeTestPki, tlsWorld, type Pem, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench, waitUntil, type TestHost } from './harness.js';

/**
 * AT+CIPSERVER=1,<port>,"SSL"[,<CA enable>] (TCP-IP_AT_Commands.rst v2.4.2.0): the module's SSL
 * server with its server_cert/server_key (the world's `tls` serverCertFile/serverKeyFile; 4.1: the
 * manufacturing NVS), checking clients against server_ca with `<CA enable>` 1. Clients are real
 * node:tls clients on loopback.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const OK = '\r\nOK\r\n';

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function module(store: { server?: Pem; serverCa?: string }, profile?: 'esp32c3-at-4.1'): Promise<{ emu: RunningEmulator; host: TestHost }> {
  const world = tlsWorld(store);
  cleanup.add(() => world.dispose());
  const bench = await startBench(cleanup, { world: world.world, ...(profile ? { profile } : {}) });
  await joinLab(bench.host, { mux: true });
  return bench;
}

interface Client {
  readonly socket: TLSSocket;
  received: string;
  readonly outcome: Promise<'secure' | string>;
}

/** A TLS client of the module's server that trusts the test CA; `cert` presents a client certificate. */
function client(emu: RunningEmulator, cert?: Pem): Client {
  const { ip, port } = emu.stack.openServers[0].hostEndpoint;
  const socket = tlsConnect({ host: ip, port, ca: [pki.ca.cert], servername: 'peer.lab', ...(cert ? { cert: cert.cert, key: cert.key } : {}) });
  const state: Client = {
    socket,
    received: '',
    outcome: new Promise((resolve) => {
      socket.once('secureConnect', () => resolve('secure'));
      socket.once('error', (error) => resolve(error.message));
    }),
  };
  socket.on('data', (chunk: Buffer) => (state.received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  cleanup.add(() => socket.destroy());
  return state;
}

describe('the module as an SSL server', () => {
  it('serves TLS with its certificate: the client verifies it, CONNECT after the handshake, data both ways', async () => {
    const { emu, host } = await module({ server: pki.server });
    await host.exchange('AT+CIPSERVER=1,8070,"SSL"\r\n', OK);
    await host.exchange('AT+CIPSERVER?\r\n', `+CIPSERVER:1,8070,"SSL",0\r\n${OK}`);
    const pc = client(emu);
    expect(await pc.outcome).toBe('secure');
    await host.expect('0,CONNECT\r\n');
    const localPort = pc.socket.localPort;
    await host.exchange('AT+CIPSTATE?\r\n', `+CIPSTATE:0,"SSL","127.0.0.1",${localPort},8070,1\r\n${OK}`);
    await host.exchange('AT+CIPSEND=0,4\r\n', `${OK}\r\n>`);
    await host.exchange('test', '\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n');
    await waitUntil(() => pc.received === 'test', 'the client to get test');
    pc.socket.write('back');
    await host.expect('\r\n+IPD,0,4:back');
    await host.exchange('AT+CIPCLOSE=0\r\n', `0,CLOSED\r\n${OK}`);
    await host.exchange('AT+CIPSERVER=0\r\n', OK);
  });

  it('<CA enable> 1: a client without a certificate from server_ca never connects; one with it does', async () => {
    const { emu, host } = await module({ server: pki.server, serverCa: pki.ca.cert });
    await host.exchange('AT+CIPSERVER=1,8070,"SSL",1\r\n', OK);
    const anonymous = client(emu);
    expect(await anonymous.outcome).not.toBe('secure');
    await host.expectSilence(40);
    const mutual = client(emu, pki.client);
    expect(await mutual.outcome).toBe('secure');
    await host.expect('0,CONNECT\r\n');
  });

  it('refuses an SSL server the module has no certificate for, or no CA to check clients with', async () => {
    const bare = await module({});
    await bare.host.exchange('AT+CIPSERVER=1,8070,"SSL"\r\n', '\r\nERROR\r\n');
    const noCa = await module({ server: pki.server });
    await noCa.host.exchange('AT+CIPSERVER=1,8070,"SSL",1\r\n', '\r\nERROR\r\n');
    await noCa.host.exchange('AT+CIPSERVER=1,8070,"SSL",0\r\n', OK);
  });

  it('ESP-AT 4.1 takes the identity from the manufacturing NVS (server_cert, server_key)', async () => {
    const { emu, host } = await module({ server: pki.server }, 'esp32c3-at-4.1');
    await host.exchange('AT+SYSMFG=1,"server_cert"\r\n', `+SYSMFG:"server_cert","server_cert",8\r\n${OK}`);
    await host.exchange('AT+CIPSERVER=1,8070,"SSL"\r\n', OK);
    expect(await client(emu).outcome).toBe('secure');
    await host.expect('0,CONNECT\r\n');
    await host.exchange('AT+CIPSERVER=0,1\r\n', `0,CLOSED\r\n${OK}`);
    await host.exchange('AT+SYSMFG=0,"server_key"\r\n', OK);
    await host.exchange('AT+CIPSERVER=1,8070,"SSL"\r\n', '\r\nERROR\r\n');
  });
});

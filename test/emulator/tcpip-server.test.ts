import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/emulator.js';
import { Cleanup, joinLab, sleep, startBench, waitUntil } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Client {
  readonly socket: Socket;
  received: string;
  closed: boolean;
}

/** A client of the module's server, connecting where the host can reach it. */
async function dial(emu: RunningEmulator): Promise<Client> {
  const { ip, port } = emu.stack.openServers[0].hostEndpoint;
  const socket = connect({ host: ip, port });
  const client: Client = { socket, received: '', closed: false };
  socket.on('data', (chunk) => (client.received += chunk.toString('latin1')));
  socket.on('close', () => (client.closed = true));
  socket.on('error', () => undefined);
  cleanup.add(() => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return client;
}

describe('server (esp-at.md §4 CIPSERVER / CIPSERVERMAXCONN / CIPSTO)', () => {
  it('needs CIPMUX=1, accepts two clients on the lowest ids, refuses the third, exchanges data', async () => {
    const { emu, host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CIPSERVER=1,0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSERVER=1,18333\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPMUX=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSERVER?\r\n', '+CIPSERVER:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSERVERMAXCONN=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSERVER=1,18333\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSERVER?\r\n', '+CIPSERVER:1,18333,"TCP",0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSERVERMAXCONN=3\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSERVERMAXCONN?\r\n', '+CIPSERVERMAXCONN:2\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPMUX=0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSERVER=1,18334\r\n', '\r\nERROR\r\n');

    const first = await dial(emu);
    await host.expect('0,CONNECT\r\n');
    const second = await dial(emu);
    await host.expect('1,CONNECT\r\n');
    const third = await dial(emu);
    await waitUntil(() => third.closed, 'the third client to be refused');
    await host.expectSilence(20);

    second.socket.write('GET /');
    await host.expect('\r\n+IPD,1,5:GET /');
    await host.exchange('AT+CIPSEND=1,2\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('ok', '\r\nRecv 2 bytes\r\n\r\nSEND OK\r\n');
    await waitUntil(() => second.received === 'ok', 'the reply at the client');
    const status = `+CIPSTATUS:0,"TCP","127.0.0.1",${first.socket.localPort},18333,1\r\n`;
    host.send('AT+CIPSTATUS\r\n');
    expect(await host.readThrough('\r\nOK\r\n')).toContain(status);

    first.socket.end();
    await host.expect('0,CLOSED\r\n');
    await dial(emu);
    await host.expect('0,CONNECT\r\n');
    await host.exchange('AT+CIPSERVER=0,1\r\n', '0,CLOSED\r\n1,CLOSED\r\n\r\nOK\r\n');
    await waitUntil(() => second.closed, 'the clients to be closed');
    await host.exchange('AT+CIPSERVER=0\r\n', '\r\nERROR\r\n');
  });

  it('keeps clients when the server is deleted without close_all', async () => {
    const { emu, host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPSERVER=1,18335\r\n', '\r\nOK\r\n');
    const client = await dial(emu);
    await host.expect('0,CONNECT\r\n');
    await host.exchange('AT+CIPSERVER=0\r\n', '\r\nOK\r\n');
    client.socket.write('still here');
    await host.expect('\r\n+IPD,0,10:still here');
  });

  it('closes accepted links idle for AT+CIPSTO seconds', async () => {
    const { emu, host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPSTO?\r\n', '+CIPSTO:180\r\n\r\nOK\r\n');
    // 2 s at world scale 0.01 = 20 ms.
    await host.exchange('AT+CIPSTO=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSERVER=1,18336\r\n', '\r\nOK\r\n');
    const client = await dial(emu);
    await host.expect('0,CONNECT\r\n');
    await host.expect('0,CLOSED\r\n', 2000);
    await waitUntil(() => client.closed, 'the idle client to be closed');
    await sleep(1);
  });
});

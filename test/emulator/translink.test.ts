import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, TcpPeer, joinLab, sleep, startBench, waitUntil } from './harness.js';

/**
 * AT+SAVETRANSLINK (TCP-IP_AT_Commands.rst v2.4.2.0): from the next power-up the module is in
 * passthrough to the saved remote (opened once the saved AP gives an address), without a command
 * from the host; `+++` returns to command mode; 0 forgets it.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const OK = '\r\nOK\r\n';

/** `+++` with the guard silences around it. */
async function escape(send: (text: string) => void): Promise<void> {
  await sleep(60);
  send('+++');
  await sleep(60);
}

describe('AT+SAVETRANSLINK', () => {
  it('boots into passthrough to the saved TCP remote, silently; +++ leaves it; 0 forgets it', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+SAVETRANSLINK=1,"",80\r\n', '\r\nERROR\r\n');
    await host.exchange(`AT+SAVETRANSLINK=1,"127.0.0.1",0\r\n`, '\r\nERROR\r\n');
    await host.exchange(`AT+SAVETRANSLINK=1,"127.0.0.1",${peer.port},"TCP"\r\n`, OK);
    // Saved, but not used before the next power-up.
    await host.expectSilence(50);
    expect(peer.sockets.length).toBe(0);
    await host.exchange('AT+RST\r\n', OK);
    await host.expect('\r\nready\r\n', 5000);
    await peer.waitForClients(1);
    // No WIFI lines, no CONNECT: in passthrough only AT+SYSMSG bit 2 prints them.
    await host.expectSilence(30);
    host.send('from the host');
    expect((await peer.waitForBytes(0, 13)).toString()).toBe('from the host');
    peer.sockets[0].write('from the peer');
    await host.expect('from the peer');
    await escape((text) => host.send(text));
    // Command mode (echo is back on after the reset).
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange('AT+CIPMODE?\r\n', `+CIPMODE:1\r\n${OK}`);
    await host.exchange(`AT+SAVETRANSLINK=0,"127.0.0.1",${peer.port}\r\n`, OK);
    await host.exchange('AT+RST\r\n', OK);
    await host.expect('\r\nready\r\n', 5000);
    await host.expect('WIFI CONNECTED\r\nWIFI GOT IP\r\n', 5000);
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange('AT+CIPMODE?\r\n', `+CIPMODE:0\r\n${OK}`);
  });

  it('keeps trying until the remote is there, and takes the UDP form with a local port', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CIPRECONNINTV=1\r\n', OK);
    // A port nobody listens on yet: the attempts go on.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await host.exchange(`AT+SAVETRANSLINK=1,"127.0.0.1",${port},"TCP",60\r\n`, OK);
    await host.exchange('AT+SAVETRANSLINK=1,"127.0.0.1",9000,"UDP",2233\r\n', OK);
    await host.exchange('AT+SAVETRANSLINK=1,"127.0.0.1",9000,"UDP","x"\r\n', '\r\nERROR\r\n');
    await host.exchange(`AT+SAVETRANSLINK=1,"127.0.0.1",${port},"TCP",60\r\n`, OK);
    await host.exchange('AT+RST\r\n', OK);
    await host.expect('\r\nready\r\n', 5000);
    await sleep(300);
    const late = await TcpPeer.start(cleanup, undefined, undefined, port);
    await waitUntil(() => late.sockets.length === 1, 'the saved link, once its server is up', 5000);
  });
});

/**
 * What only the NINA back end does. The usocket/WLAN behaviour it shares with ESP-AT is tested once,
 * for both protocols, by test/driver/emulator.integration.test.ts; this file covers nina-fw's own
 * facts, inferring a reset nina-fw never announces, the TLS options it cannot honour, and the
 * request/reply bookkeeping.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { OSError, errno } from '../../src/errors.js';
import type { HostPort } from '../../src/host-port/types.js';
import { NinaClient, openNinaEmulatorHostPort } from '../../src/nina/index.js';
import { open } from '../../src/open.js';
import { echoServer, FAST_WORLD, freePort, startRig, stopAll } from '../driver/emulator-harness.js';
import { NO_DNS } from './harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  await stopAll();
});

async function errOf(p: Promise<unknown>): Promise<OSError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OSError) return err;
    throw err;
  }
  throw new Error('expected an OSError');
}

const text = (b: Uint8Array | null): string => Buffer.from(b ?? new Uint8Array(0)).toString();

describe('the NINA back end', () => {
  it("reports nina-fw's facts: version, 10 sockets, scan entries, no DNS server to show", async () => {
    const { copro } = await startRig('pair', undefined, false, { protocol: 'nina' });
    expect(copro.backend.info).toMatchObject({ name: 'NINA nina-fw 2.0.0', maxLinks: 10, ipv6: false });
    expect(await copro.wlan.scan()).toEqual([['copro-lab', 'ca:d7:19:d8:a6:44', 6, -45, 3, false]]);
    await copro.wlan.connect('copro-lab', 'labpass123');
    // GET_DNS_CONFIG is not emulated (error reply): the DNS entry stays 0.0.0.0.
    expect(await copro.wlan.ifconfig()).toEqual(['192.168.10.42', '255.255.255.0', '192.168.10.1', '0.0.0.0']);
  });

  it("opens with open(): emu: in process, a PTY by path, traced as NINA frames", async () => {
    const inProcess = await open('emu:', { protocol: 'nina', emulator: { world: FAST_WORLD, network: NO_DNS } });
    cleanups.push(() => inProcess.close());
    expect(inProcess.backend.info.name).toBe('NINA nina-fw 2.0.0');

    const { port } = await echoServer();
    const transport = await openPtyTransport();
    cleanups.push(() => transport.close());
    const emulator = await startEmulator({ protocol: 'nina', world: FAST_WORLD, network: NO_DNS, transport });
    cleanups.push(() => emulator.close());
    const trace: string[] = [];
    const copro = await open(transport.address, { protocol: 'nina', trace: (line) => trace.push(line) });
    cleanups.push(() => copro.close());
    expect(trace[0]).toBe('> GET_FW_VERSION');
    await copro.wlan.connect('copro-lab', 'labpass123');
    const s = copro.usocket.socket();
    s.settimeout(5);
    await s.connect((await copro.usocket.getaddrinfo('copro.local', port))[0][4]);
    await s.sendall('via open()');
    expect(text(await s.read(10))).toBe('via open()');
    await s.close();
    expect(trace).toContain('< START_CLIENT_TCP 01');
  });

  it('fails a UDP socket the module forgot in a reset once its number is handed out again, and leaves the new owner alone', async () => {
    const rig = await startRig('pair', undefined, true, { protocol: 'nina' });
    const { usocket, wlan } = rig.copro;
    const { port } = await echoServer();
    const udp = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
    udp.settimeout(5);
    await udp.bind(['0.0.0.0', await freePort()]); // socket number 0
    await rig.reset();
    // Nobody waits on it and a UDP number has no state to ask: nothing is noticed yet.
    await wlan.connect('copro-lab', 'labpass123');
    const tcp = usocket.socket();
    tcp.settimeout(5);
    await tcp.connect(['127.0.0.1', port]); // GET_SOCKET answers 0: the module forgot it
    const err = await errOf(udp.recvfrom(10));
    expect(err.errno).toBe(errno.ECONNABORTED);
    expect(err.message).toMatch(/restarted: it forgot socket 0/);
    await udp.close(); // must not stop socket 0, which is the TCP connection's now
    await tcp.sendall('still mine');
    expect(text(await tcp.read(10))).toBe('still mine');
    await tcp.close();
  });

  it('refuses the TLS options nina-fw cannot honour before touching the module', async () => {
    const { copro } = await startRig('pair', undefined, true, { protocol: 'nina' });
    const { usocket, ssl } = copro;
    const attempt = (options: Parameters<typeof ssl.wrap_socket>[1]) =>
      errOf(ssl.wrap_socket(usocket.socket(), options).connect(['127.0.0.1', 443]));
    expect(await attempt({ cert_reqs: ssl.CERT_REQUIRED, certfile: 0 })).toMatchObject({ errno: errno.EOPNOTSUPP });
    expect(await attempt({ cert_reqs: ssl.CERT_REQUIRED, alpn: ['h2'] })).toMatchObject({ errno: errno.EOPNOTSUPP });
    const otherCa = await attempt({ cert_reqs: ssl.CERT_REQUIRED, ca_certs: 1 });
    expect(otherCa.errno).toBe(errno.EOPNOTSUPP);
    expect(otherCa.message).toMatch(/one root store/);
  });
});

/**
 * A NinaClient on an in-process NINA module whose line loses the client's first request whole (as a reset
 * mid-request loses it): the module never answers it. `trace` null: the client runs without a trace sink.
 */
async function clientLosingFirstRequest(trace: string[] | null): Promise<NinaClient> {
  const port = await openNinaEmulatorHostPort('emu:', { world: FAST_WORLD, network: NO_DNS });
  cleanups.push(() => port.close());
  let dropNext = true;
  const lossy: HostPort = {
    ...port,
    write: async (bytes) => {
      if (dropNext) {
        dropNext = false;
        return;
      }
      await port.write(bytes);
    },
  };
  const client = new NinaClient(lossy, trace ? (line) => trace.push(line) : undefined, () => undefined);
  cleanups.push(async () => client.shutdown(new OSError(errno.EBADF)));
  return client;
}

describe('NinaClient', () => {
  it('keeps later replies in step when the module never answers a request', async () => {
    const trace: string[] = [];
    const client = await clientLosingFirstRequest(trace);
    expect(await errOf(client.call('GET_CONN_STATUS', [], 100))).toMatchObject({ errno: errno.ETIMEDOUT });
    const [version] = await client.call('GET_FW_VERSION');
    expect(f.bytesText(version)).toBe('2.0.0');
    expect(f.readU8((await client.call('GET_CONN_STATUS'))[0])).toBe(0);
    expect(trace).toContain('! GET_CONN_STATUS: abandoned, never answered; forgotten');
  });

  it('stays in step when the next request is the same command, with and without a trace', async () => {
    for (const trace of [[], null]) {
      // Without a trace sink too: forgetting the lost request must not depend on the trace being there.
      const client = await clientLosingFirstRequest(trace);
      expect(await errOf(client.call('GET_CONN_STATUS', [], 100))).toMatchObject({ errno: errno.ETIMEDOUT });
      // A poll loop asks the same again: its reply is its own, not taken for the lost one's.
      expect(f.readU8((await client.call('GET_CONN_STATUS', [], 1000))[0])).toBe(0);
      expect(f.readU8((await client.call('GET_CONN_STATUS', [], 1000))[0])).toBe(0);
      if (trace) {
        expect(trace).toContain('! resynchronising after a timeout: GET_FW_VERSION before the next request');
        expect(trace).toContain('! GET_CONN_STATUS: abandoned, never answered; forgotten');
      }
    }
  });
});

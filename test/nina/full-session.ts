import * as net from 'node:net';
import { expect } from 'vitest';
import { NinaCode, formatRequest, ninaFields as f, ConnectionStatus, NO_SOCKET } from '../../firmware-protocol/nina/index.js';
import { eventually, withTimeout } from '../helpers/deadline.js';
import type { NinaHostSession } from '../helpers/nina-host-session.js';
import type { EchoServer, UdpPeer } from '../e2e/fixtures.js';

export interface SessionPeers {
  readonly echo: EchoServer;
  readonly udp: UdpPeer;
  /** A port free on 127.0.0.1 for the module's server (reachable there: host-mapping.md). */
  readonly serverPort: number;
}

const text = (s: string): Uint8Array => f.textBytes(s);
const str = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const dummy = [f.u8(0xff)];

/** Polls AVAIL_DATA_TCP until it reports at least `want` bytes (bounded). */
export async function availableAtLeast(h: NinaHostSession, socket: number, want: number, timeoutMs = 3000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [avail] = await h.call('AVAIL_DATA_TCP', [f.u8(socket)]);
    const n = f.readU16le(avail);
    if (n >= want || Date.now() > deadline) return n;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Polls a listening socket's AVAIL_DATA_TCP (accept = 1) until a client number comes back (bounded). */
export async function acceptClient(h: NinaHostSession, server: number, timeoutMs = 3000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [avail] = await h.call('AVAIL_DATA_TCP', [f.u8(server), f.u8(1)]);
    const n = f.readU16le(avail);
    if (n !== NO_SOCKET || Date.now() > deadline) return n;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * One whole NINA session as a host library runs it, against loopback peers the test started:
 * identity, scan, join, status, DNS through the hosts table, TCP client, UDP with remote address,
 * server accept, error reply on garbage, padding variants, and silence when not asked.
 * Shared by the in-process pair test and the real-PTY test.
 */
export async function runFullSession(h: NinaHostSession, peers: SessionPeers): Promise<void> {
  // Identity and idle state.
  const [version] = await h.call('GET_FW_VERSION');
  expect(Array.from(version)).toEqual(Array.from(f.cString('2.0.0')));
  expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.IDLE);

  // Scan: one SSID per network, then per-index details.
  expect(await h.byte('START_SCAN_NETWORKS')).toBe(1);
  const ssids = await h.call('SCAN_NETWORKS', [], 5000);
  expect(ssids.map(str)).toEqual(['copro-lab']);
  expect(f.readI32le((await h.call('GET_IDX_RSSI', [f.u8(0)]))[0])).toBe(-45);
  expect(await h.byte('GET_IDX_ENCT', [f.u8(0)])).toBe(4);
  expect(f.macFromReversed((await h.call('GET_IDX_BSSID', [f.u8(0)]))[0])).toBe('ca:d7:19:d8:a6:44');
  expect(await h.byte('GET_IDX_CHANNEL', [f.u8(0)])).toBe(6);
  expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.SCAN_COMPLETED);

  // Join and status.
  expect(await h.join('copro-lab', 'labpass123')).toBe(ConnectionStatus.CONNECTED);
  const [ip, mask, gateway] = await h.call('GET_IPADDR', dummy);
  expect([f.ipv4Text(ip), f.ipv4Text(mask), f.ipv4Text(gateway)]).toEqual(['192.168.10.42', '255.255.255.0', '192.168.10.1']);
  expect(f.macFromReversed((await h.call('GET_MACADDR', dummy))[0])).toBe('24:0a:c4:c0:90:01');
  expect(str((await h.call('GET_CURR_SSID', dummy))[0])).toBe('copro-lab');
  expect(f.macFromReversed((await h.call('GET_CURR_BSSID', dummy))[0])).toBe('ca:d7:19:d8:a6:44');
  expect(f.readI32le((await h.call('GET_CURR_RSSI', dummy))[0])).toBe(-45);
  expect(await h.byte('GET_CURR_ENCT', dummy)).toBe(4);

  // DNS through the world's hosts table.
  expect(await h.byte('REQ_HOST_BY_NAME', [text('copro.local')])).toBe(1);
  expect(f.ipv4Text((await h.call('GET_HOST_BY_NAME'))[0])).toBe('127.0.0.1');

  // TCP client: connect, send, receive, close.
  const tcp = await h.byte('GET_SOCKET');
  expect(tcp).toBe(0);
  expect(await h.byte('START_CLIENT_TCP', [f.ipv4Bytes('127.0.0.1'), f.u16be(peers.echo.port), f.u8(tcp), f.u8(0)])).toBe(1);
  expect(await h.byte('GET_CLIENT_STATE_TCP', [f.u8(tcp)])).toBe(4);
  const [written] = await h.call('SEND_DATA_TCP', [f.u8(tcp), text('hello nina')]);
  expect(f.readU16le(written)).toBe(10);
  expect(await availableAtLeast(h, tcp, 10)).toBe(10);
  expect(str((await h.call('GET_DATABUF_TCP', [f.u8(tcp), f.u16le(1500)]))[0])).toBe('hello nina');
  const [rip, rport] = await h.call('GET_REMOTE_DATA', [f.u8(tcp)]);
  expect([f.ipv4Text(rip), f.readU16be(rport)]).toEqual(['127.0.0.1', peers.echo.port]);
  expect(await h.byte('STOP_CLIENT_TCP', [f.u8(tcp)])).toBe(1);
  expect(await h.byte('GET_CLIENT_STATE_TCP', [f.u8(tcp)])).toBe(0);
  expect(peers.echo.receivedBytes()).toBe(10);

  // UDP: bind, destination, stage, send; the answer comes with its sender.
  const udp = await h.byte('GET_SOCKET');
  expect(await h.byte('START_SERVER_TCP', [f.u16be(0), f.u8(udp), f.u8(1)])).toBe(1);
  expect(await h.byte('START_CLIENT_TCP', [f.ipv4Bytes('127.0.0.1'), f.u16be(peers.udp.port), f.u8(udp), f.u8(1)])).toBe(1);
  expect(await h.byte('INSERT_DATABUF', [f.u8(udp), text('ping')])).toBe(1);
  expect(await h.byte('SEND_UDP_DATA', [f.u8(udp)])).toBe(1);
  expect(await availableAtLeast(h, udp, 7)).toBe(7);
  const [uip, uport] = await h.call('GET_REMOTE_DATA', [f.u8(udp)]);
  expect([f.ipv4Text(uip), f.readU16be(uport)]).toEqual(['127.0.0.1', peers.udp.port]);
  expect(str((await h.call('GET_DATABUF_TCP', [f.u8(udp), f.u16le(1500)]))[0])).toBe('re:ping');
  expect(peers.udp.received.map((d) => d.data.toString())).toEqual(['ping']);
  expect(await h.byte('STOP_CLIENT_TCP', [f.u8(udp)])).toBe(1);

  // Server: listen, a peer connects and talks, accept hands out a socket number.
  const listening = await h.byte('GET_SOCKET');
  expect(await h.byte('START_SERVER_TCP', [f.u16be(peers.serverPort), f.u8(listening), f.u8(0)])).toBe(1);
  expect(await h.byte('GET_STATE_TCP', [f.u8(listening)])).toBe(1);
  const peer = net.connect(peers.serverPort, '127.0.0.1');
  const peerGot: Buffer[] = [];
  peer.on('data', (d) => peerGot.push(d));
  try {
    await withTimeout(new Promise<void>((resolve, reject) => peer.once('connect', resolve).once('error', reject)), 3000, 'peer connect');
    peer.write('from-peer');
    const client = await acceptClient(h, listening);
    expect(client).not.toBe(NO_SOCKET);
    expect(client).not.toBe(listening);
    expect(await availableAtLeast(h, client, 9)).toBe(9);
    expect(str((await h.call('GET_DATABUF_TCP', [f.u8(client), f.u16le(1500)]))[0])).toBe('from-peer');
    const [cip, cport] = await h.call('GET_REMOTE_DATA', [f.u8(client)]);
    expect([f.ipv4Text(cip), f.readU16be(cport)]).toEqual(['127.0.0.1', peer.localPort]);
    expect(f.readU16le((await h.call('SEND_DATA_TCP', [f.u8(client), text('to-peer')]))[0])).toBe(7);
    expect(await eventually(() => Buffer.concat(peerGot).toString() === 'to-peer', 3000)).toBe(true);
    expect(await h.byte('STOP_CLIENT_TCP', [f.u8(client)])).toBe(1);
  } finally {
    peer.destroy();
  }

  // Garbage where a frame must begin: one error reply for the run, then business as usual.
  await h.raw(Uint8Array.of(0x01, 0x02, 0x03, 0xee));
  expect(await h.next()).toEqual({ type: 'error-reply' });
  expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.CONNECTED);
  // A command nina-fw has no handler for.
  await h.raw(formatRequest(0x13));
  expect(await h.next()).toEqual({ type: 'error-reply' });

  // Padding: whatever fills it (0xFF, 0x00, stale bytes holding START and END) is skipped by count.
  for (const pad of [0xff, 0x00, (i: number) => [0xe0, 0xee, 0xe0][i]]) {
    const reply = await h.request('GET_IDX_CHANNEL', [f.u8(0)], { pad });
    expect(reply).toMatchObject({ type: 'reply', command: NinaCode.GET_IDX_CHANNEL });
  }

  // A NINA module speaks only when spoken to.
  expect(await h.silentFor(100)).toBe(true);
}

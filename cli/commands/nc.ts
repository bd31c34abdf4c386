/**
 * `copro nc`: netcat through the module. stdin → socket, socket → stdout, binary safe; TCP or
 * UDP (-u), client or server (-l PORT, on the module's own server), or TLS (--tls, nc-tls.ts). Progress goes to stderr,
 * and only when stderr is a terminal. Exits 0 when the peer closes (or after -q once stdin ends).
 */
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { isOSError } from '../../src/errors.js';
import type { Coprocessor } from '../../src/open.js';
import type { Sockaddr } from '../../src/usocket/inet.js';
import type { Socket } from '../../src/usocket/socket.js';
import { wrapSocket } from '../../src/usocket/ssl.js';
import { onSignals, openDevice, parsePort, withConfigLoaded, withDeviceOptions } from '../../src/tools/cli-device.js';
import type { DeviceOptions } from '../../src/tools/cli-device.js';
import { reportAndExit } from '../fail.js';
import { explainTlsFailure, planTls } from './nc-tls.js';
import type { NcTlsOptions, TlsPlan } from './nc-tls.js';

export interface NcOptions extends DeviceOptions, NcTlsOptions {
  readonly udp?: boolean;
  readonly listen?: number;
  /** Seconds to wait after stdin ends before closing; absent = wait for the peer. */
  readonly quit?: number;
}

export interface NcStreams {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
}

/** A UDP datagram the module sends in one piece. */
const DATAGRAM_MAX = 1460;

class Progress {
  private sent = 0;
  private received = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly stderr: NcStreams['stderr']) {}
  get live(): boolean {
    return this.stderr.isTTY === true;
  }
  say(text: string): void {
    if (this.live) this.stderr.write(`\r\x1b[Kcopro nc: ${text}\n`);
  }
  start(): void {
    if (this.live) this.timer = setInterval(() => this.draw(), 250);
  }
  count(direction: 'sent' | 'received', n: number): void {
    this[direction] += n;
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.live) this.stderr.write('\r\x1b[K');
  }
  private draw(): void {
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    this.stderr.write(`\r\x1b[K↑ ${kib(this.sent)}  ↓ ${kib(this.received)}`);
  }
}

function write(out: Writable, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/** True for the errors that just mean "we closed it ourselves". */
function closedByUs(err: unknown): boolean {
  return isOSError(err, 'EBADF');
}

async function pumpToStdout(sock: Socket, streams: NcStreams, progress: Progress, udp: boolean, onPeer: (a: Sockaddr) => void): Promise<void> {
  for (;;) {
    let data: Uint8Array;
    try {
      if (udp) {
        const [d, from] = await sock.recvfrom(4096);
        onPeer(from);
        data = d;
      } else data = await sock.recv(4096);
    } catch (err) {
      if (closedByUs(err)) return;
      throw err;
    }
    if (data.length === 0 && !udp) return;
    progress.count('received', data.length);
    await write(streams.stdout, data);
  }
}

async function pumpFromStdin(sock: Socket, streams: NcStreams, progress: Progress, udp: boolean, peer: () => Sockaddr | null): Promise<void> {
  for await (const chunk of streams.stdin as AsyncIterable<Buffer>) {
    if (!udp) {
      await sock.sendall(chunk);
      progress.count('sent', chunk.length);
      continue;
    }
    const to = peer();
    if (!to) continue; // UDP server: nobody to answer yet
    for (let i = 0; i < chunk.length; i += DATAGRAM_MAX) {
      const piece = chunk.subarray(i, i + DATAGRAM_MAX);
      await sock.sendto(piece, to);
      progress.count('sent', piece.length);
    }
  }
}

async function establish(
  copro: Coprocessor,
  host: string | undefined,
  port: number | undefined,
  opts: NcOptions,
  tls: TlsPlan | null,
  progress: Progress,
): Promise<{ sock: Socket; peer: Sockaddr | null }> {
  const { usocket } = copro;
  const type = opts.udp ? usocket.SOCK_DGRAM : usocket.SOCK_STREAM;
  if (opts.listen !== undefined) {
    const sock = usocket.socket(usocket.AF_INET, type);
    await sock.bind(['0.0.0.0', opts.listen]);
    if (opts.udp) {
      progress.say(`waiting for datagrams on the module's UDP port ${opts.listen}`);
      return { sock, peer: null };
    }
    await sock.listen(1);
    progress.say(`listening on the module's port ${opts.listen}`);
    const [conn, from] = await sock.accept();
    await sock.close();
    progress.say(`connection from ${from[0]}:${from[1]}`);
    return { sock: conn, peer: from };
  }
  if (host === undefined || port === undefined) throw new Error('nc needs HOST and PORT (or -l PORT)');
  const [[, , , , addr]] = await usocket.getaddrinfo(host, port, 0, type);
  const sock = usocket.socket(usocket.AF_INET, type);
  // TLS: the SNI defaults to `host`, which getaddrinfo() just resolved to `addr`.
  if (tls) wrapSocket(sock, tls.wrap);
  // UDP: connect() only fixes the destination (and opens the link, so replies can be read).
  try {
    await sock.connect(addr);
  } catch (err) {
    throw tls ? explainTlsFailure(err, opts.device) : err;
  }
  progress.say(`${opts.udp ? 'sending to' : tls ? 'TLS connected to' : 'connected to'} ${addr[0]}:${addr[1]} through ${copro.backend.info.name}`);
  return { sock, peer: addr };
}

export async function runNc(host: string | undefined, port: number | undefined, given: NcOptions, streams: NcStreams): Promise<void> {
  const progress = new Progress(streams.stderr);
  // --config first: --ca FILE / --cert FILE provision that world's store.
  const opts = await withConfigLoaded(given);
  const tls = planTls(opts, opts.device, opts);
  const copro = await openDevice(opts, true, tls?.emulator ? { emulator: tls.emulator } : {});
  let stopSignals = (): void => undefined;
  try {
    const { sock, peer: first } = await establish(copro, host, port, opts, tls, progress);
    let peer = first;
    progress.start();
    let finish!: () => void;
    const interrupted = new Promise<void>((resolve) => (finish = resolve));
    stopSignals = onSignals(finish);
    const fromNet = pumpToStdout(sock, streams, progress, opts.udp === true, (from) => (peer ??= from));
    const fromStdin = pumpFromStdin(sock, streams, progress, opts.udp === true, () => peer).then(async () => {
      if (opts.quit === undefined) return new Promise<void>(() => undefined); // wait for the peer
      await new Promise((r) => setTimeout(r, opts.quit! * 1000));
    });
    // The first of: the peer closed, stdin ended (+ -q delay), a signal, or an error.
    await Promise.race([fromNet, fromStdin, interrupted]);
    await sock.close();
    await fromNet.catch((err: unknown) => {
      if (!closedByUs(err)) throw err;
    });
  } finally {
    stopSignals();
    progress.stop();
    await copro.close();
  }
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds');
  return n;
}

export function registerNc(program: Command): void {
  withDeviceOptions(
    program
      .command('nc')
      .description('netcat through the module: stdin → socket → stdout (TCP, or UDP with -u; -l PORT listens on the module)')
      .argument('[host]', 'host name or address to connect to (resolved by the module)')
      .argument('[port]', 'port to connect to', parsePort)
      .option('-u, --udp', 'use UDP instead of TCP')
      .option('-l, --listen <port>', "listen on this port of the module's server instead of connecting", parsePort)
      .option('-q, --quit <seconds>', 'after stdin ends, wait this long and quit (default: wait for the peer)', parseSeconds)
      .option('--tls', "connect through a TLS link run by the module (verifies the server with the module's CA 0 unless --no-verify)")
      .option('--ca <n|file>', "verify with CA entry N of the module's store; a PEM FILE provisions the in-process emulator (emu:) as CA 0")
      .option('--no-verify', 'do not verify the server certificate')
      .option('--sni <name>', 'server name sent (SNI) and checked in the certificate (default: HOST when it is a name)')
      .option('--cert <n|file>', "present client certificate entry N of the module's store; a PEM FILE (with --key) provisions emu:")
      .option('--key <file>', 'the private key of --cert FILE (emu: only)')
      .option('--alpn <list>', 'ALPN protocols to offer, comma separated'),
  ).action(async (host: string | undefined, port: number | undefined, opts: NcOptions) => {
    try {
      await runNc(host, port, opts, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
      process.exit(0);
    } catch (err) {
      reportAndExit(err);
    }
  });
}

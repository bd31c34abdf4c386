/**
 * `copro nc --tls` (dist/cli/main.js, spawned) against a loopback TLS server started here: a file
 * goes both ways intact through an in-process emulator provisioned with `--ca FILE`, and through
 * the PTY of a separately running `copro emulate --config` whose store holds the CA (`--ca 0`).
 * Its failures are checked in-process (runNc, the line `copro` prints for them), on a radio 100×
 * faster. Build first: `npx tsc -p tsconfig.json`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import type { Server, TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { runNc } from '../../cli/commands/nc.js';
import { failureLine } from '../../cli/fail.js';
import { runCli } from '../helpers/cli-process.js';
import { FAST_WORLD } from './emulator-harness.js';
import { makeTestPki } from '../helpers/tls-lab.js';
import type { Pem, TestPki } from '../helpers/tls-lab.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');



/** A TLS echo server that ends each connection once `expected` bytes came in (so nc sees EOF). */
class EchoUntil {
  readonly sni: (string | null)[] = [];
  readonly received: Buffer[] = [];
  private readonly sockets = new Set<TLSSocket>();
  private constructor(readonly server: Server) {}

  static async start(identity: Pem, expected: number): Promise<EchoUntil> {
    const server = createServer({ cert: identity.cert, key: identity.key });
    const echo = new EchoUntil(server);
    server.on('secureConnection', (socket) => {
      echo.sockets.add(socket);
      echo.sni.push(typeof socket.servername === 'string' ? socket.servername : null);
      const parts: Buffer[] = [];
      let count = 0;
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        parts.push(chunk);
        count += chunk.length;
        socket.write(chunk);
        if (count >= expected) {
          echo.received.push(Buffer.concat(parts));
          socket.end();
        }
      });
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return echo;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function waitBanner(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no banner from copro emulate')), timeoutMs);
    child.stdout.once('data', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`copro emulate exited with ${code}`));
    });
  });
}

describe('copro nc --tls', () => {
  let pki: TestPki;
  let dir: string;
  let echo: EchoUntil | undefined;
  let daemon: ChildProcessWithoutNullStreams | undefined;
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: build with `npx tsc -p tsconfig.json` first');
    pki = await makeTestPki();
  });
  afterEach(async () => {
    if (daemon && daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((resolve) => daemon!.once('exit', resolve));
    }
    await echo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    echo = daemon = undefined;
  });
  const fresh = (): string => (dir = mkdtempSync(join(tmpdir(), 'copro-nc-tls-')));

  it('moves a file both ways through emu:, provisioned with --ca FILE, SNI from --sni', async () => {
    const ca = join(fresh(), 'ca.pem');
    writeFileSync(ca, pki.ca.cert);
    // --config: the radio 100× faster; --ca FILE provisions that world's store.
    const world = join(dir, 'world.json');
    writeFileSync(world, JSON.stringify({ timing: { scale: 0.01 } }));
    const file = randomBytes(150_000);
    echo = await EchoUntil.start(pki.server, file.length);
    const done = await runCli(['nc', '--tls', '--ca', ca, '--sni', 'peer.lab', '-d', 'emu:', '--config', world, '127.0.0.1', String(echo.port)], file, 30_000);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(echo.sni).toEqual(['peer.lab']);
    expect(sha(echo.received[0])).toBe(sha(file));
    expect(sha(done.stdout)).toBe(sha(file));
  }, 40_000);

  it('moves a file both ways through the PTY of copro emulate --config, verifying with --ca 0', async () => {
    const base = fresh();
    writeFileSync(join(base, 'lab-ca.pem'), pki.ca.cert);
    writeFileSync(
      join(base, 'world.json'),
      JSON.stringify({ timing: { scale: 0.01 }, hosts: { 'peer.lab': '127.0.0.1' }, tls: { caFiles: ['lab-ca.pem'] } }),
    );
    const link = join(base, 'tty');
    daemon = spawn(process.execPath, [CLI, 'emulate', '--link', link, '--config', join(base, 'world.json')], { stdio: 'pipe' });
    await waitBanner(daemon, 10_000);
    const joined = await runCli(['join', '-d', link, 'copro-lab', 'labpass123'], null, 20_000);
    expect(joined.code).toBe(0);
    const file = randomBytes(150_000);
    echo = await EchoUntil.start(pki.server, file.length);
    const done = await runCli(['nc', '--tls', '--ca', '0', '-d', link, 'peer.lab', String(echo.port)], file, 30_000);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(echo.sni).toEqual(['peer.lab']); // the HOST argument, resolved by the module
    expect(sha(echo.received[0])).toBe(sha(file));
    expect(sha(done.stdout)).toBe(sha(file));
  }, 60_000);

  it('says why in one line: an empty store, an untrusted server, a file for a real module', async () => {
    /** `copro nc ARGS…` in this process: the line it would print on stderr before exiting non-zero. */
    const failure = async (host: string, port: number, opts: Omit<Parameters<typeof runNc>[2], 'baud'>): Promise<string> => {
      const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
      io.stdin.end();
      const err = await runNc(host, port, { baud: 115200, emulator: { world: FAST_WORLD }, ...opts }, io).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      return failureLine(err);
    };
    echo = await EchoUntil.start(pki.rogueServer, 1);
    const noCa = await failure('127.0.0.1', echo.port, { tls: true, device: 'emu:' });
    expect(noCa).toMatch(/^copro: .*NO CA FOUND.*--ca FILE.*--no-verify\n$/);

    const ca = join(fresh(), 'ca.pem');
    writeFileSync(ca, pki.ca.cert);
    const untrusted = await failure('127.0.0.1', echo.port, { tls: true, ca, sni: 'peer.lab', device: 'emu:' });
    expect(untrusted).toMatch(/^copro: .*ECONNABORTED.*TLS handshake failed \(certificate not trusted.*\n$/);

    const real = await failure('127.0.0.1', 1, { tls: true, ca, device: '/dev/copro-no-such-tty' });
    expect(real).toMatch(/^copro: .*provisions the in-process emulator only.*--ca 0\n$/);
  }, 60_000);
});

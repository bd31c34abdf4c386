import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendControlRequest } from '../../emulator/control/control-client.js';
import type { ControlEndpoint } from '../../emulator/control/control-endpoint.js';
import { faultControlHandler } from '../../emulator/control/control-handler.js';
import { MAX_REQUEST_BYTES } from '../../emulator/control/control-protocol.js';
import { startControlServer } from '../../emulator/control/control-server.js';
import { Cleanup } from '../emulator/harness.js';
import { startFaultBench } from './bench.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'copro-ctl-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Sends raw bytes and collects what comes back until the server closes (bounded). */
function rawExchange(endpoint: ControlEndpoint & { kind: 'unix' }, payload: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(endpoint.path);
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${text}`));
    }, timeoutMs);
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.end(payload);
  });
}

describe('control channel (in process)', () => {
  async function serve() {
    const bench = await startFaultBench(cleanup, { seed: 5 });
    const path = join(tempDir(), 'unit.sock');
    const server = await startControlServer({
      endpoint: { kind: 'unix', path },
      handler: faultControlHandler(bench.faults, { name: 'unit', address: 'emu:pair', profile: 'esp32-at-2.x', pid: process.pid }),
      maxClients: 2,
    });
    cleanup.add(() => server.close());
    return { ...bench, server, endpoint: { kind: 'unix' as const, path } };
  }

  it('fires, arms, lists, reseeds and clears; the socket is private', async () => {
    const { host, endpoint } = await serve();
    expect(statSync(endpoint.path).mode & 0o777).toBe(0o600);
    expect(await sendControlRequest(endpoint, { op: 'fault', specs: ['reset', 'busy-p@#1'] })).toEqual({
      ok: true,
      results: ['reset: module resets, `ready` follows', 'armed busy-p@#1'],
    });
    await host.expect('\r\nready\r\n');
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nbusy p...\r\n');
    const listed = await sendControlRequest(endpoint, { op: 'list' });
    expect(listed).toMatchObject({
      ok: true,
      module: { name: 'unit', address: 'emu:pair' },
      status: { seed: 5, armed: [{ spec: 'busy-p@#1', fired: 1, spent: true }], injected: { reset: 1, 'busy-p': 1 } },
    });
    expect(await sendControlRequest(endpoint, { op: 'seed', seed: 9 })).toMatchObject({ ok: true, status: { seed: 9 } });
    expect(await sendControlRequest(endpoint, { op: 'clear' })).toEqual({ ok: true, cleared: ['busy-p@#1'] });
  });

  it('answers bad requests with an error, never by crashing', async () => {
    const { endpoint } = await serve();
    expect(await sendControlRequest(endpoint, { op: 'fault', specs: ['nonsense@@'] })).toMatchObject({ ok: false, error: expect.stringContaining('bad fault') });
    expect(await sendControlRequest(endpoint, { op: 'fault', specs: ['drop'] })).toMatchObject({ ok: false, error: expect.stringContaining('give a rate') });
    expect(await sendControlRequest(endpoint, { op: 'clear', kinds: ['nope'] })).toMatchObject({ ok: false });
    const lines = await rawExchange(endpoint, '{"op":"explode"}\nnot json\n[1]\n{"op":"seed","seed":-1}\n');
    const answers = lines.trim().split('\n').map((line) => JSON.parse(line) as { ok: boolean; error: string });
    expect(answers).toHaveLength(4);
    expect(answers.every((answer) => !answer.ok && answer.error.startsWith('bad request'))).toBe(true);
  }, 10_000);

  it('bounds what a client can send: an endless line is refused and the connection closed', async () => {
    const { endpoint } = await serve();
    const reply = await rawExchange(endpoint, Buffer.alloc(MAX_REQUEST_BYTES * 3, 0x61));
    expect(JSON.parse(reply.trim().split('\n')[0])).toEqual({ ok: false, error: `request longer than ${MAX_REQUEST_BYTES} bytes` });
    // The daemon still answers others.
    expect(await sendControlRequest(endpoint, { op: 'list' })).toMatchObject({ ok: true });
  });

  it('bounds the number of clients', async () => {
    const { endpoint } = await serve();
    const held = [createConnection(endpoint.path), createConnection(endpoint.path)];
    cleanup.add(() => held.forEach((socket) => socket.destroy()));
    await Promise.all(held.map((socket) => new Promise((resolve) => socket.once('connect', resolve))));
    const reply = await rawExchange(endpoint, '');
    expect(JSON.parse(reply.trim())).toEqual({ ok: false, error: 'too many control clients' });
  });

  it('replaces a stale socket file but never a live daemon\'s', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.sock');
    // A live listener on the path: refused.
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(path, resolve));
    const handler = () => ({ ok: true as const });
    await expect(startControlServer({ endpoint: { kind: 'unix', path }, handler })).rejects.toThrow(/already serves/);
    await new Promise<void>((resolve) => other.close(() => resolve()));
    // A socket file whose daemon was killed (nobody unlinked it): taken over.
    const child = spawn(process.execPath, ['-e', "require('net').createServer().listen(process.argv[1], () => console.log('up'))", path]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(lstatSync(path).isSocket()).toBe(true);
    const server = await startControlServer({ endpoint: { kind: 'unix', path }, handler });
    cleanup.add(() => server.close());
    expect(await sendControlRequest({ kind: 'unix', path }, { op: 'list' })).toEqual({ ok: true });
  });

  it('TCP control binds 127.0.0.1 by default', async () => {
    const server = await startControlServer({ endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 }, handler: () => ({ ok: true }) });
    cleanup.add(() => server.close());
    expect(server.endpoint).toMatchObject({ kind: 'tcp', host: '127.0.0.1' });
    expect(await sendControlRequest(server.endpoint, { op: 'list' })).toEqual({ ok: true });
  });
});

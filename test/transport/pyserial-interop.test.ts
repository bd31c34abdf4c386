import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openTcpTransport } from '../../emulator/transport/tcp-transport.js';
import type { TcpProtocol, TcpTransport } from '../../emulator/transport/tcp-transport.js';
import type { LineControlEvent } from '../../emulator/transport/types.js';
import { eventually } from '../helpers/deadline.js';

/**
 * Real pyserial (Debian's python3-serial, for /usr/bin/python3) against the TCP transport:
 * `serial_for_url('socket://…')` and `serial_for_url('rfc2217://…')` with no `ign_set_control`.
 * Skipped, saying why, when that interpreter cannot import serial.
 */
const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import serial; print(serial.__version__)'], { encoding: 'utf8', timeout: 10_000 });
const pyserialVersion = probe.status === 0 ? probe.stdout.trim() : null;
const skipReason =
  pyserialVersion === null
    ? `${PYTHON} cannot import serial (${(probe.error?.message ?? probe.stderr ?? '').trim().split('\n').pop()}); apt-get install python3-serial`
    : '';
if (skipReason) console.warn(`pyserial interop tests skipped: ${skipReason}`);

const PAYLOAD_HEX = '41540d0a00ff0311131aff0a0dfffe';

const SCRIPT = `
import json, sys, serial
url = sys.argv[1]
payload = bytes.fromhex(sys.argv[2])
s = serial.serial_for_url(url, baudrate=921600, timeout=3)
s.write(payload)
out = {'reply': s.read(len(payload)).hex()}
if url.startswith('rfc2217'):
    s.dtr = False   # RTS is on since open: EN goes low
    s.rts = False   # EN released: the module resets
    s.baudrate = 115200
    s.write(b'ping')
    out['ping'] = s.read(4).hex()
s.close()
print(json.dumps(out))
`;

interface ScriptResult {
  readonly reply: string;
  readonly ping?: string;
}

function runPyserial(url: string): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', SCRIPT, url, PAYLOAD_HEX], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`pyserial exited ${code}: ${stderr.trim()}`));
      try {
        resolve(JSON.parse(stdout) as ScriptResult);
      } catch {
        reject(new Error(`unexpected pyserial output: ${stdout} ${stderr}`));
      }
    });
  });
}

let transport: TcpTransport | null = null;
let controls: LineControlEvent[] = [];

/** A transport whose "module" echoes everything back, like a loopback plug. */
async function openEcho(protocol: TcpProtocol): Promise<TcpTransport> {
  controls = [];
  const t = await openTcpTransport({ port: 0, protocol });
  t.setSink({ onData: (bytes) => t.write(bytes), onControl: (event) => controls.push(event) });
  transport = t;
  return t;
}

afterEach(async () => {
  await transport?.close();
  transport = null;
});

describe(`pyserial ${pyserialVersion ?? '(not installed)'} against the TCP transport`, () => {
  it.skipIf(pyserialVersion === null)('socket:// carries every byte both ways', async () => {
    const t = await openEcho('raw');
    const result = await runPyserial(t.address);
    expect(result.reply).toBe(PAYLOAD_HEX);
    expect(await eventually(() => controls.some((e) => e.type === 'host-detached'), 2000)).toBe(true);
    expect(controls.map((e) => e.type)).toEqual(['host-attached', 'host-detached']);
  });

  it.skipIf(pyserialVersion === null)('rfc2217:// opens without ign_set_control, sets the baud, resets via DTR/RTS', async () => {
    const t = await openEcho('rfc2217');
    const result = await runPyserial(t.address);
    expect(result.reply).toBe(PAYLOAD_HEX);
    expect(result.ping).toBe(Buffer.from('ping').toString('hex'));
    expect(await eventually(() => controls.some((e) => e.type === 'host-detached'), 2000)).toBe(true);
    expect(controls).toEqual([
      { type: 'host-attached' },
      { type: 'baud', rate: 921600 },
      { type: 'reset' },
      { type: 'baud', rate: 115200 },
      { type: 'host-detached' },
    ]);
  });
});

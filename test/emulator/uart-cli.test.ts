import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { firstLine } from '../helpers/cli-process.js';
import { openHostSerial, type HostSerial } from '../helpers/host-serial.js';

/** `copro emulate --pace`: the daemon paces at the rate the host opened with; never on a real device. */

const CLI = join(process.cwd(), 'dist/cli/main.js');


function exitOf(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => reject(new Error('the daemon did not exit')), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

let child: ChildProcessWithoutNullStreams | undefined;
let serial: HostSerial | undefined;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build`');
});

afterEach(async () => {
  await serial?.close();
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await exitOf(child, 3000).catch(() => undefined);
  }
  child = serial = undefined;
});

describe('copro emulate --pace', () => {
  it('with --lenient-baud, answers at the line rate the host opened the PTY with', async () => {
    child = spawn(process.execPath, [CLI, 'emulate', '--pace', '--lenient-baud'], { stdio: 'pipe' });
    const line = await firstLine(child, 10_000);
    const path = /on (\/dev\/pts\/\d+)/.exec(line)?.[1];
    expect(path).toBeDefined();
    serial = await openHostSerial(path!, 9600);
    const started = performance.now();
    await serial.write('AT+GMR\r\n');
    const answer = await serial.readUntil('OK\r\n', 5000);
    const elapsedMs = performance.now() - started;
    expect(answer.toString()).toContain('AT version:');
    // The answer (echo included) crossed a 9600-baud wire, ≈ 1.04 ms a byte. The command's own
    // crossing overlaps with it (echo starts with the first bytes received), so it is not added.
    // The bound is loose (90 %: the pacer's ~1 ms ticks and timer skew); unpaced, this takes ~1 ms.
    expect(elapsedMs).toBeGreaterThanOrEqual(answer.length * (10_000 / 9600) * 0.9);
  });

  it('without it, runs at 115200 as a real module does: a host at 9600 gets no usable answer', async () => {
    child = spawn(process.execPath, [CLI, 'emulate', '--pace'], { stdio: 'pipe' });
    const line = await firstLine(child, 10_000);
    const path = /on (\/dev\/pts\/\d+)/.exec(line)?.[1];
    expect(path).toBeDefined();
    serial = await openHostSerial(path!, 9600);
    await serial.write('AT\r\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(serial.collector.take().includes('OK')).toBe(false);
  });

  it('refuses --pace with --device: a real UART paces itself', async () => {
    child = spawn(process.execPath, [CLI, 'emulate', '--pace', '--device', '/dev/null'], { stdio: 'pipe' });
    const { code, stderr } = await exitOf(child, 10_000);
    expect(code).not.toBe(0);
    expect(stderr).toContain('--pace does not apply to --device');
  });
});

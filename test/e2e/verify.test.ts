/**
 * `copro verify`: a transcript's host side against a fresh emulator in a world built from the
 * transcript. A session recorded from the 1.7 profile lists its differences from 2.x, classified;
 * a 2.x recording against 2.x lists none; so does every transcript in test/transcripts/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { formatHeader, formatRecord, TRANSCRIPT_VERSION } from '../../src/transcript/format.js';
import type { TranscriptRecord } from '../../src/transcript/format.js';
import { parseTranscript } from '../../src/transcript/reader.js';
import { verifyTranscript } from '../../src/verify/verifier.js';
import { AtHostSession } from '../helpers/at-host-session.js';
import { requireBuiltCli, runCli } from '../helpers/cli-process.js';
import { openHostSerial } from '../helpers/host-serial.js';
import { FAST_WORLD, startEchoServer } from './fixtures.js';
import { readTranscript, startPtyEmulator } from './tap-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'copro-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A session on the emulator's PTY, recorded by the emulator itself; the echo server is gone afterwards. */
async function record(profile: ProfileId): Promise<string> {
  const file = join(dir, `${profile}.jsonl`);
  const echo = await startEchoServer();
  const emu = await startPtyEmulator({ world: FAST_WORLD, link: join(dir, `${profile}-pty`), profile, record: file });
  const serial = await openHostSerial(emu.address, 115200);
  const h = new AtHostSession(serial);
  try {
    await h.ok('AT');
    await h.ok('ATE0');
    await h.ok('AT+CWMODE=1');
    const refused = await h.command('AT+CWJAP="copro-lab","not-the-key"', 10_000);
    expect(refused.final).not.toBe('OK');
    await h.ok('AT+CWJAP="copro-lab","labpass123"', 10_000);
    await h.ok('AT+CIFSR');
    await h.ok('AT+CIPDOMAIN="copro.local"');
    await h.ok(`AT+CIPSTART="TCP","127.0.0.1",${echo.port}`, 10_000);
    expect(await h.sendData('AT+CIPSEND=5', Buffer.from('hello'))).toBe('SEND OK');
    await h.next((e) => e.type === 'ipd', 5000, 'the echo');
    await h.ok('AT+CIPCLOSE');
  } finally {
    await serial.close();
    await emu.close();
    await echo.close();
  }
  return file;
}

function handTranscript(name: string, clock: 'none' | 'measured', records: Array<[number, 'host' | 'module', string]>): string {
  const file = join(dir, name);
  const header = formatHeader({ version: TRANSCRIPT_VERSION, tool: 'test', recorder: 'hand', created: '', protocol: 'at', baud: 115200, clock, source: 'this test' });
  const lines = records.map(([t, from, text]): TranscriptRecord => ({ t, kind: 'data', from, bytes: Buffer.from(text, 'latin1') }));
  writeFileSync(file, [header, ...lines.map(formatRecord)].join('\n'));
  return file;
}

describe('copro verify', () => {
  it('finds no difference between a 2.x recording and 2.x, and classifies those of a 1.7 recording against 2.x', async () => {
    requireBuiltCli();
    const modern = await record('esp32-at-2.x');
    const old = await record('esp8266-at-1.7');
    expect((await verifyTranscript(readTranscript(modern))).differences).toEqual([]);
    expect((await verifyTranscript(readTranscript(old))).differences).toEqual([]);

    const against = await verifyTranscript(readTranscript(old), { profile: 'esp32-at-2.x' });
    const found = against.differences.map((d) => `${d.kind} ${d.command}: ${d.detail}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'format AT+CWJAP="copro-lab","not-the-key": module: FAIL · copro: ERROR',
        'format AT+CIPDOMAIN="copro.local": module: +CIPDOMAIN:127.0.0.1 · copro: +CIPDOMAIN:"127.0.0.1"',
        'format AT+CIPSEND=5: same answer in other bytes: module "\\r\\nOK\\r\\n> \\r\\nRecv 5 bytes\\r\\n\\r\\nSEND OK\\r\\n" · copro "\\r\\nOK\\r\\n\\r\\n>\\r\\nRecv 5 bytes\\r\\n\\r\\nSEND OK\\r\\n"',
      ]),
    );
    expect(against.differences.every((d) => d.kind === 'format' || d.kind === 'value')).toBe(true);

    const cli = await runCli(['verify', old, '--profile', 'esp32-at-2.x'], null, 30_000);
    expect(cli.code).toBe(1);
    expect(cli.stdout.toString()).toMatch(/^copro verify: .*esp8266-at-1\.7\.jsonl against ESP-AT 2\.4 \(ESP32-WROOM-32\): \d+ exchanges, \d+ differences \(format \d+/);
    const same = await runCli(['verify', modern], null, 30_000);
    expect(same.stdout.toString()).toMatch(/: \d+ exchanges, no differences\n$/);
    expect(same.code).toBe(0);
  }, 120_000);

  it('says when copro lacks a command the module answered, and when an answer took far longer', async () => {
    const missing = handTranscript('missing.jsonl', 'none', [
      [0, 'host', 'ATE0\r\n'],
      [1, 'module', 'ATE0\r\r\n\r\nOK\r\n'],
      [2, 'host', 'AT+BLEINIT?\r\n'],
      [3, 'module', '+BLEINIT:0\r\n\r\nOK\r\n'],
    ]);
    const result = await verifyTranscript(readTranscript(missing));
    expect(result.differences).toEqual([
      { kind: 'missing-command', exchange: 2, command: 'AT+BLEINIT?', detail: "copro's esp32-at-2.x has no query form of AT+BLEINIT: it answered ERROR where the module answered OK" },
    ]);
    const slow = handTranscript('slow.jsonl', 'measured', [
      [0, 'host', 'ATE0\r\n'],
      [2, 'module', 'ATE0\r\r\n\r\nOK\r\n'],
      [10, 'host', 'AT+CWMODE=1\r\n'],
      [3010, 'module', '\r\nOK\r\n'],
    ]);
    const timing = await verifyTranscript(readTranscript(slow));
    expect(timing.differences).toHaveLength(1);
    expect(timing.differences[0]).toMatchObject({ kind: 'timing', command: 'AT+CWMODE=1' });
    expect(timing.differences[0].detail).toMatch(/^answered in \d+ ms; the module took 3000 ms$/);
  }, 30_000);

  it('finds no difference on any transcript in test/transcripts/', async () => {
    const folder = join(process.cwd(), 'test/transcripts');
    const files = readdirSync(folder).filter((name) => name.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const transcript = parseTranscript(readFileSync(join(folder, name), 'utf8'), name);
      expect(transcript.header.recorder).toBe('hand');
      expect(transcript.header.source).toMatch(/^espressif\/esp-at /);
      const result = await verifyTranscript(transcript);
      expect({ name, differences: result.differences }).toEqual({ name, differences: [] });
    }
  }, 60_000);
});

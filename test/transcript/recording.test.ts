import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../../emulator/world-config.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';
import { open } from '../../src/open.js';
import { bytesFrom, parseTranscript } from '../../src/transcript/reader.js';
import { AtHostSession } from '../helpers/at-host-session.js';
import { firstLine, requireBuiltCli, spawnCli, stopCli } from '../helpers/cli-process.js';
import { openHostSerial } from '../helpers/host-serial.js';

const dir = mkdtempSync(join(tmpdir(), 'copro-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The radio 100× faster: boot and join take milliseconds (what is recorded does not change). */
const FAST_TIMING = { ...DEFAULT_WORLD.timing, scale: 0.01 };

describe('recording', () => {
  it('open(device, { record }) writes the driver\'s side of the line, with the firmware it met', async () => {
    const file = join(dir, 'driver.jsonl');
    const copro = await open('emu:', { record: file, emulator: { world: { ...DEFAULT_WORLD, timing: FAST_TIMING } } });
    await copro.wlan.connect('copro-lab', 'labpass123');
    await copro.close();
    const transcript = parseTranscript(readFileSync(file, 'utf8'), file);
    expect(transcript.header).toMatchObject({ recorder: 'driver', device: 'emu:', protocol: 'at', clock: 'measured' });
    expect(bytesFrom(transcript, 'host').toString('latin1')).toContain('AT+CWJAP="copro-lab","labpass123"\r\n');
    expect(bytesFrom(transcript, 'module').toString('latin1')).toContain('WIFI GOT IP\r\n');
    expect(transcript.records).toContainEqual(expect.objectContaining({ kind: 'firmware', banner: DEFAULT_PROFILE.gmrLines, profile: DEFAULT_PROFILE.id }));
  });

  it('copro emulate --record writes the line as the emulator saw it, its own firmware in the header', async () => {
    requireBuiltCli();
    const file = join(dir, 'emulate.jsonl');
    const world = join(dir, 'world.json');
    writeFileSync(world, JSON.stringify({ timing: { scale: FAST_TIMING.scale } }));
    const daemon = spawnCli(['emulate', '--link', join(dir, 'tty'), '--control', 'none', '--config', world, '--record', file]);
    try {
      await firstLine(daemon, 10_000);
      const serial = await openHostSerial(join(dir, 'tty'), 115200);
      await new AtHostSession(serial).ok('AT+CWMODE?');
      await serial.close();
    } finally {
      await stopCli(daemon);
    }
    const transcript = parseTranscript(readFileSync(file, 'utf8'), file);
    expect(transcript.header).toMatchObject({ recorder: 'emulator', banner: DEFAULT_PROFILE.gmrLines, profile: DEFAULT_PROFILE.id, baud: 115200 });
    expect(bytesFrom(transcript, 'host').toString('latin1')).toBe('AT+CWMODE?\r\n');
    expect(bytesFrom(transcript, 'module').toString('latin1')).toBe('\r\nready\r\nAT+CWMODE?\r\r\n+CWMODE:1\r\n\r\nOK\r\n');
  }, 30_000);
});

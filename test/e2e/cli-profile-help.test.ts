import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROFILE_LIST } from '../../firmware-protocol/at/profiles.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');

describe('copro emulate --profile help', () => {
  it('lists every firmware profile, the default first, with its AT version line, and exits', async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build`');
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'emulate', '--profile', 'help'], { timeout: 20_000 });
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length).toBe(PROFILE_LIST.length);
    expect(lines[0]).toMatch(/^esp32-at-2\.x +ESP-AT 2\.4 \(ESP32-WROOM-32\) \(default\)  AT version:2\.4/);
    for (const [index, profile] of PROFILE_LIST.entries()) {
      expect(lines[index].startsWith(profile.id)).toBe(true);
      expect(lines[index]).toContain(profile.title);
    }
  });
});

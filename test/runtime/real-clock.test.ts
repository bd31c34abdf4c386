import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const DIST = join(process.cwd(), 'dist');

/** Runs an ES module script with nothing else keeping the process open; what it printed before exiting. */
function runScript(script: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );
}

const timerOnly = (clock: 'systemClock' | 'keepAliveClock'): string =>
  `const m = await import(${JSON.stringify(join(DIST, 'runtime/clock.js'))}); m.${clock}.setTimeout(() => console.log('fired'), 50);`;

describe('the real clocks', () => {
  beforeAll(() => {
    if (!existsSync(DIST)) throw new Error('dist/ is missing: run `npm test` (its pretest builds) or `npx tsc -p tsconfig.json`');
  });

  it("keepAliveClock's timers hold the process open until they fire; systemClock's do not", async () => {
    const [kept, background] = await Promise.all([runScript(timerOnly('keepAliveClock')), runScript(timerOnly('systemClock'))]);
    expect(kept).toBe('fired\n');
    expect(background).toBe('');
  });

  it('an emulator on real time keeps a script that awaits its `ready` running until it comes', async () => {
    const script = `const m = await import(${JSON.stringify(join(DIST, 'emulator/index.js'))});
      const emu = await m.startEmulator();
      await emu.ready;
      console.log('ready');
      await emu.close();`;
    expect(await runScript(script)).toBe('ready\n');
  });
});

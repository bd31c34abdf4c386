/**
 * `copro repl`: node:repl with the module's `usocket` and `wlan` in scope (plus `copro`,
 * `errno`, `OSError`), top-level await on, history in ~/.copro_repl_history.
 *
 *   copro> s = usocket.socket(); await s.connect((await usocket.getaddrinfo('copro.local', 80))[0][4])
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as repl from 'node:repl';
import type { Command } from 'commander';
import { OSError, errno } from '../../src/errors.js';
import { openDevice, withDeviceOptions } from '../../src/tools/cli-device.js';
import type { DeviceOptions } from '../../src/tools/cli-device.js';
import { reportAndExit } from '../fail.js';

export async function runRepl(opts: DeviceOptions): Promise<void> {
  const copro = await openDevice(opts);
  process.stdout.write(
    `copro repl on ${copro.device} (${copro.backend.info.name}): usocket, wlan, ssl, copro, errno, OSError are in scope; await works\n`,
  );
  const server = repl.start({ prompt: 'copro> ', useGlobal: false });
  Object.assign(server.context, { usocket: copro.usocket, wlan: copro.wlan, ssl: copro.ssl, copro, errno, OSError });
  server.setupHistory(join(homedir(), '.copro_repl_history'), () => undefined);
  await new Promise<void>((resolve) => server.on('exit', () => resolve()));
  await copro.close();
}

export function registerRepl(program: Command): void {
  withDeviceOptions(program.command('repl').description('interactive JavaScript with the module\'s usocket and wlan in scope')).action(
    async (opts: DeviceOptions) => {
      try {
        await runRepl(opts);
        process.exit(0);
      } catch (err) {
        reportAndExit(err);
      }
    },
  );
}

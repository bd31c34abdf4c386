#!/usr/bin/env node
/**
 * `copro` command line. Each subcommand lives in ./commands and registers itself here.
 * Every failure is one clear line on stderr and a non-zero exit, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/commands.js';
import { registerEmulate } from './commands/emulate.js';
import { registerFault } from './commands/fault.js';
import { registerNc } from './commands/nc.js';
import { registerHttp } from './commands/http.js';
import { registerAt } from './commands/at.js';
import { registerMpy } from './commands/mpy.js';
import { registerRepl } from './commands/repl.js';
import { registerWlan } from './commands/wlan.js';
import { registerTap } from './commands/tap.js';
import { registerReplay } from './commands/replay.js';
import { registerVerify } from './commands/verify.js';
import { reportAndExit } from './fail.js';

const program = new Command();
program
  .name('copro')
  .description('A virtual ESP-AT network coprocessor on a serial port, and a usocket driver for real and virtual modules')
  .version('0.1.0')
  .showHelpAfterError()
  // `copro mpy script.py --flag`: options after a script belong to the script.
  .enablePositionalOptions()
  .exitOverride();

registerEmulate(program);
registerFault(program);
registerCommands(program);
registerNc(program);
registerHttp(program);
registerAt(program);
registerRepl(program);
registerWlan(program);
registerTap(program);
registerReplay(program);
registerVerify(program);
registerMpy(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  reportAndExit(err);
}

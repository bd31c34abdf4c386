#!/usr/bin/env node
/**
 * `copro` command line. Each subcommand lives in ./commands and registers itself here.
 * Every failure is one clear line on stderr and a non-zero exit, never a stack trace.
 * Only the named subcommand's module is loaded (a `copro fault` need not load the emulator and
 * the MicroPython host); help, a version query or an unknown name load them all, in this order.
 */
import { Command, CommanderError } from 'commander';
import { reportAndExit } from './fail.js';

type Register = (program: Command) => void;

/** Subcommand name → its module's register function; one module may register several names. */
const COMMANDS: ReadonlyArray<readonly [names: readonly string[], load: () => Promise<Register>]> = [
  [['emulate'], async () => (await import('./commands/emulate.js')).registerEmulate],
  [['fault'], async () => (await import('./commands/fault.js')).registerFault],
  [['commands'], async () => (await import('./commands/commands.js')).registerCommands],
  [['nc'], async () => (await import('./commands/nc.js')).registerNc],
  [['mqtt'], async () => (await import('./commands/mqtt.js')).registerMqtt],
  [['http'], async () => (await import('./commands/http.js')).registerHttp],
  [['at'], async () => (await import('./commands/at.js')).registerAt],
  [['repl'], async () => (await import('./commands/repl.js')).registerRepl],
  [['scan', 'join', 'ifconfig'], async () => (await import('./commands/wlan.js')).registerWlan],
  [['tap'], async () => (await import('./commands/tap.js')).registerTap],
  [['replay'], async () => (await import('./commands/replay.js')).registerReplay],
  [['verify'], async () => (await import('./commands/verify.js')).registerVerify],
  [['mpy'], async () => (await import('./commands/mpy.js')).registerMpy],
];

const program = new Command();
program
  .name('copro')
  .description('A virtual ESP-AT network coprocessor on a serial port, and a usocket driver for real and virtual modules')
  .version('0.1.0')
  .showHelpAfterError()
  // `copro mpy script.py --flag`: options after a script belong to the script.
  .enablePositionalOptions()
  .exitOverride();

try {
  const named = COMMANDS.find(([names]) => names.includes(process.argv[2] ?? ''));
  for (const [, load] of named ? [named] : COMMANDS) (await load())(program);
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  reportAndExit(err);
}

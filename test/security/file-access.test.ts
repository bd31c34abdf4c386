import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * "No command reads or writes files outside the emulator's own state directory": the code that can
 * touch the file system at all is this short list, each for a reason the user controls. A new
 * `node:fs` import anywhere else fails here until it is justified in this list (and in
 * docs/reliability.md). The AT and NINA front ends and the codec import none: nothing a host sends
 * over the serial line can reach a file.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'emulator/world-config.ts': 'reads the config file named by --config, at start',
  'emulator/network/cert-store.ts': 'reads the PEM files the config names (certificate store), at start',
  'emulator/transport/pty-transport.ts': 'the PTY master fd (openpty), no path',
  'emulator/transport/pty-writer.ts': 'writes the PTY master fd',
  'emulator/transport/device-link.ts': 'the --link symlink the user asked for, removed on exit',
  'emulator/control/state-dir.ts': 'creates and checks the state directory (0700)',
  'emulator/control/control-server.ts': 'its own control socket in the state directory',
  'emulator/storage/flash-files.ts': "a named module's AT+SYSFLASH partitions, in the state directory",
  'cli/commands/emulate-faults.ts': 'removes dead daemons\' sockets from the state directory',
  'cli/commands/replay.ts': 'reads the transcript file named on the command line',
  'cli/commands/verify.ts': 'reads the transcript file named on the command line',
  'emulator/storage/module-fat.ts': "the module's AT+FS files, in its own folder (names confined, no links followed)",
  'cli/commands/mpy.ts': 'checks that the script named on the command line can be read (copro mpy)',
};

const ROOTS = ['emulator', 'firmware-protocol', 'cli'];
const FS_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](?:node:)?fs(?:\/promises)?['"]/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('file system access', () => {
  const root = process.cwd();
  const users = ROOTS.flatMap((dir) => sources(join(root, dir)))
    .filter((path) => FS_IMPORT.test(readFileSync(path, 'utf8')))
    .map((path) => relative(root, path))
    .sort();

  it('only the listed files import node:fs, each for a reason the user controls', () => {
    expect(users).toEqual(Object.keys(ALLOWED).sort());
  });

  it('nothing on the host-facing side (AT, NINA, the codec) can reach a file', () => {
    const hostFacing = users.filter((path) => /^emulator\/(at|nina)\/|^firmware-protocol\//.test(path));
    expect(hostFacing).toEqual([]);
  });
});

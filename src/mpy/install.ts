/**
 * Puts copro's Python modules into MicroPython's in-memory file system (/copro) and says how to
 * boot them: the import path, the modules under their board names, the working folder.
 */
import type { EmscriptenFs } from '@micropython/micropython-webassembly-pyscript';
import { STAT } from '../wlan.js';
import { COPRO_IO_PY } from './python/copro-io.js';
import { FILES_PY } from './python/files.js';
import { NETWORK_PY } from './python/network.js';
import { RUNNER_PY } from './python/runner.js';
import { SELECT_PY } from './python/select.js';
import { SOCKET_PY } from './python/socket.js';
import { SSL_PY, TLS_PY } from './python/ssl.js';
import { TIME_PY } from './python/time.js';

const MODULE_DIR = '/copro';

/** `NAME = value` lines: the driver's own numbers, so Python and TypeScript cannot disagree. */
function constantLines(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name} = ${value}\n`)
    .join('');
}

export function installModules(fs: EmscriptenFs, usocketConstants: Readonly<Record<string, number>>): void {
  fs.mkdirTree(MODULE_DIR);
  const modules: Record<string, string> = {
    _copro_io: COPRO_IO_PY,
    _copro_socket: constantLines(usocketConstants) + SOCKET_PY,
    _copro_ssl: SSL_PY,
    _copro_tls: TLS_PY,
    _copro_network: constantLines(STAT) + NETWORK_PY,
    _copro_select: SELECT_PY,
    _copro_time: TIME_PY,
    _copro_files: FILES_PY,
    _copro_main: RUNNER_PY,
  };
  for (const [name, source] of Object.entries(modules)) fs.writeFile(`${MODULE_DIR}/${name}.py`, source);
}

/** Python that makes the modules importable under their board names and enters `cwd`. */
export function bootCode(importDirs: readonly string[], cwd: string): string {
  // The port's frozen modules (asyncio, ...) stay importable; /lib as on a board.
  const path = [...importDirs, '.frozen', '/lib', MODULE_DIR];
  return [
    'import sys, os',
    'sys.path.clear()',
    `sys.path.extend(${JSON.stringify(path)})`,
    'import _copro_main',
    '_copro_main.install()',
    `os.chdir(${JSON.stringify(cwd)})`,
    'del sys, os, _copro_main',
  ].join('\n');
}

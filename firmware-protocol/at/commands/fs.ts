import type { CommandDecl } from '../command-spec.js';
import { integer } from '../grammar/fields.js';
import { info } from '../grammar/line-spec.js';
import { INT32_MAX, any, int, opt, str } from './spec-builders.js';

/**
 * AT+FS (Basic_AT_Commands.rst, v2.4.2.0; at_fs.c's strings in libesp32_at_core.a): files in the
 * module's FAT partition. A read prints `+FS:<len>,<bytes>` (a counted payload, messages.ts
 * PIECE_ENDS), a size `+FS:<size>` (`%s:%u\r\n`), a listing `+FS:` then each name and a space
 * (`%s:`, `%s `: messages.ts FS_LIST_LINE). A write answers the bare `>` and takes <length> bytes.
 * AT+FSMOUNT (3.x+) mounts or unmounts the partition.
 */

/** `<operation>`. */
export const FS_OPERATIONS = { delete: 0, write: 1, read: 2, size: 3, list: 4 } as const;

export const FS_COMMANDS = {
  FS: {
    area: 'basic',
    forms: ['set'],
    set: [any(int('type', 0, 0), int('operation', 0, 4), str('filename'), opt(int('offset', 0, INT32_MAX)), opt(int('length', 0, INT32_MAX)))],
    summary: "Files in the module's FAT partition: delete, write, read, size, list",
    lines: { size: info(integer('size')) },
  },
  // ESP-AT 3.x+ (FS_AT_Commands.rst v4.1.1.0): set only. at_setup_cmd_fsmount (libesp32c3_at_core.a,
  // at_fs.c.obj): one parameter, 0 or 1, else ERROR; mounting a mounted partition and unmounting an
  // unmounted one ("already unmounted", a log line only) both answer OK.
  FSMOUNT: {
    area: 'basic',
    forms: ['set'],
    set: [any(int('mount', 0, 1))],
    summary: 'Mount (1) or unmount (0) the FAT partition (AT+FS mounts it itself)',
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

import { FS_OPERATIONS } from '../../../firmware-protocol/at/commands/fs.js';
import { ascii, commandPiece, fsListing } from '../../../firmware-protocol/at/module-output.js';
import type { Handler, Handlers } from '../handler-types.js';
import { systemState } from '../system-state.js';

/**
 * AT+FS (Basic_AT_Commands.rst; at_fs.c): the module's FAT partition (emulator/storage). Names are
 * one component of the root directory (`isFatName`); anything else, a missing file, a full
 * partition: ERROR. The root is listed as `"."`, the only directory the firmware supports.
 */

/** What the firmware's write prints before taking the data: the bare `>` (at_fs.c's `">"`). */
const WRITE_PROMPT = '>';

const fsSet: Handler<'FS', 'set'> = (core, call) => {
  const fat = core.fat;
  if (!fat) return core.error('exec-failed');
  const { operation, filename, offset, length } = call.params;
  // at_setup_cmd_fs mounts the partition (at_fatfs_mount) once its parameters parse.
  systemState(core).fsMounted = true;
  switch (operation) {
    case FS_OPERATIONS.delete:
      return fat.remove(filename) ? core.ok() : core.error('exec-failed');
    case FS_OPERATIONS.write: {
      if (offset === undefined || length === undefined) return core.error('param-number');
      if (length < 1) return core.error('param-invalid');
      core.write(ascii(WRITE_PROMPT));
      core.expectData(length, false, (bytes) => {
        if (fat.write(filename, offset, bytes)) return core.ok();
        core.tracer.note(`AT+FS: writing ${filename} failed (name, or the partition is full)`);
        core.error('exec-failed');
      });
      return;
    }
    case FS_OPERATIONS.read: {
      if (offset === undefined || length === undefined) return core.error('param-number');
      const size = fat.size(filename);
      if (size === null || offset > size) return core.error('exec-failed');
      const data = fat.read(filename, offset, length);
      if (data === null) return core.error('exec-failed');
      core.write(commandPiece('FS', data));
      return core.ok();
    }
    case FS_OPERATIONS.size: {
      const size = fat.size(filename);
      if (size === null) return core.error('exec-failed');
      core.reply(call, 'size', { size });
      return core.ok();
    }
    default: {
      if (filename !== '.') return core.error('exec-failed');
      core.write(fsListing(fat.list()));
      return core.ok();
    }
  }
};

/**
 * AT+FSMOUNT (at_setup_cmd_fsmount): 1 mounts (a mounted partition stays mounted), 0 unmounts (an
 * unmounted one logs "already unmounted"); both OK. Files live on in the partition either way.
 */
const fsMountSet: Handler<'FSMOUNT', 'set'> = (core, call) => {
  const state = systemState(core);
  if (call.params.mount === 0) {
    state.fsMounted = false;
    return core.ok();
  }
  // Without a FAT partition esp_vfs_fat_spiflash_mount_rw_wl fails: ERROR.
  if (!core.fat) return core.error('exec-failed');
  state.fsMounted = true;
  return core.ok();
};

export const FS_HANDLERS = { FS: { set: fsSet }, FSMOUNT: { set: fsMountSet } } satisfies Handlers;

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlashStore } from '../at/flash-store.js';

/** A partition name as partition tables spell them; never a path. */
const PARTITION_NAME = /^[A-Za-z0-9_]{1,16}$/;

/**
 * A module's user partitions (AT+SYSFLASH), one file each (`<partition>.bin`) in its own directory
 * under the daemon's state directory (`<state dir>/flash/<daemon name>/`), so a module given the
 * same `--name` finds its flash again after a restart. The names come from the profile's partition
 * table (the AT front end looks the host's name up there first), and are checked again here.
 */
export class FileFlashStore implements FlashStore {
  constructor(private readonly dir: string) {}

  static forDaemon(stateDir: string, daemon: string): FileFlashStore {
    return new FileFlashStore(join(stateDir, 'flash', daemon));
  }

  load(partition: string): Uint8Array | null {
    try {
      return readFileSync(this.path(partition));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  save(partition: string, bytes: Uint8Array): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileSync(this.path(partition), bytes, { mode: 0o600 });
  }

  private path(partition: string): string {
    if (!PARTITION_NAME.test(partition)) throw new Error(`flash: ${JSON.stringify(partition)} is not a partition name`);
    return join(this.dir, `${partition}.bin`);
  }
}

/**
 * Where the module's user partitions (AT+SYSFLASH) keep their bytes between runs. The AT front
 * end never touches files: the daemon hands it a store (emulator/storage/flash-files.ts keeps one
 * file per partition under its state directory); without one the flash lasts as long as the process.
 */
export interface FlashStore {
  /** The partition's bytes as last saved, or null if never saved (then it is erased: all 0xFF). */
  load(partition: string): Uint8Array | null;
  save(partition: string, bytes: Uint8Array): void;
}

/** Flash that lasts for the process (tests, an emulator without a state directory). */
export class MemoryFlashStore implements FlashStore {
  private readonly partitions = new Map<string, Uint8Array>();

  load(partition: string): Uint8Array | null {
    const bytes = this.partitions.get(partition);
    return bytes === undefined ? null : Uint8Array.from(bytes);
  }

  save(partition: string, bytes: Uint8Array): void {
    this.partitions.set(partition, Uint8Array.from(bytes));
  }
}

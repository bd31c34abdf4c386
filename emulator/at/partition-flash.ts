import type { FlashPartition } from '../../firmware-protocol/at/profile.js';
import type { FlashStore } from './flash-store.js';

/** Flash is erased in 4 KiB sectors (SPI NOR); AT+SYSFLASH's erase offsets and lengths are multiples. */
export const FLASH_SECTOR_SIZE = 4096;
const ERASED = 0xff;

/**
 * The user partitions of the module's flash as NOR flash behaves: erasing sets a sector's bytes
 * to 0xFF, writing can only clear bits (new = old AND data, so writing over unerased data gives
 * what the chip would give). Every change is saved to the store at once.
 */
export class PartitionFlash {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    readonly partitions: readonly FlashPartition[],
    readonly store: FlashStore,
  ) {}

  find(name: string): FlashPartition | undefined {
    return this.partitions.find((partition) => partition.name === name);
  }

  /** `offset`/`length` inside the partition (length ≥ 1). */
  fits(partition: FlashPartition, offset: number, length: number): boolean {
    return offset >= 0 && length >= 1 && offset + length <= partition.size;
  }

  read(partition: FlashPartition, offset: number, length: number): Uint8Array {
    return this.bytes(partition).slice(offset, offset + length);
  }

  write(partition: FlashPartition, offset: number, data: Uint8Array): void {
    const bytes = this.bytes(partition);
    for (let i = 0; i < data.length; i += 1) bytes[offset + i] &= data[i];
    this.store.save(partition.name, bytes);
  }

  erase(partition: FlashPartition, offset: number, length: number): void {
    this.bytes(partition).fill(ERASED, offset, offset + length);
    this.store.save(partition.name, this.bytes(partition));
  }

  private bytes(partition: FlashPartition): Uint8Array {
    let bytes = this.cache.get(partition.name);
    if (bytes === undefined) {
      bytes = new Uint8Array(partition.size).fill(ERASED);
      const saved = this.store.load(partition.name);
      if (saved !== null) bytes.set(saved.subarray(0, partition.size));
      this.cache.set(partition.name, bytes);
    }
    return bytes;
  }
}

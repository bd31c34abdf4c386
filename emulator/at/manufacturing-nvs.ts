import {
  isIntegerType,
  isIntegerValue,
  nvsBlobMaxBytes,
  nvsValueLength,
  NVS_STRING_MAX_BYTES,
  type ManufacturingModel,
  type NvsNamespace,
  type NvsValue,
} from '../../firmware-protocol/at/manufacturing.js';
import type { FlashStore } from './flash-store.js';

/**
 * The module's manufacturing NVS (ESP-AT 3.x's `mfg_nvs`): namespaces of typed key-value pairs,
 * kept across resets and, with a state directory, across runs. The first time a module has none
 * it is flashed with the factory image the caller gives (factory parameters, the world's PKI).
 *
 * Saved as JSON in the flash store under `<partition>_keys` (not ESP-IDF's page format: AT+SYSFLASH
 * reads of the partition do not show these entries; erasing the whole partition does clear them).
 * Space is counted as NVS counts it: 32-byte entries, one per integer, one plus the data rounded
 * up to entries for strings and blobs, with one 4 KiB page of the partition kept free.
 */

const ENTRY_BYTES = 32;
const PAGE_BYTES = 4096;
const ENTRIES_PER_PAGE = 126;

type Namespaces = Map<string, Map<string, NvsValue>>;

interface SavedEntry {
  readonly key: string;
  readonly type: number;
  readonly value?: number;
  readonly base64?: string;
}

function entriesUsed(value: NvsValue): number {
  return isIntegerValue(value) ? 1 : 1 + Math.ceil(nvsValueLength(value) / ENTRY_BYTES);
}

/** A string (7) or blob (8) of `length` bytes is longer than NVS stores in one value. */
export function valueTooLong(model: ManufacturingModel, type: 7 | 8, length: number): boolean {
  return length > (type === 7 ? NVS_STRING_MAX_BYTES : nvsBlobMaxBytes(model.partitionBytes));
}

export class ManufacturingNvs {
  private readonly spaces: Namespaces;
  private readonly capacity: number;

  constructor(
    readonly model: ManufacturingModel,
    private readonly store: FlashStore,
    factory: () => readonly NvsNamespace[],
  ) {
    this.capacity = (Math.floor(model.partitionBytes / PAGE_BYTES) - 1) * ENTRIES_PER_PAGE;
    const saved = store.load(this.storeName);
    this.spaces = saved === null ? new Map() : decode(saved);
    if (saved === null) {
      for (const { namespace, entries } of factory()) {
        for (const { key, value } of entries) this.space(namespace).set(key, value);
      }
      this.save();
    }
  }

  /** Namespaces that hold at least one key, in the order they were first written. */
  namespaces(): string[] {
    return [...this.spaces.keys()];
  }

  keys(namespace: string): readonly (readonly [string, NvsValue])[] | undefined {
    const space = this.spaces.get(namespace);
    return space === undefined ? undefined : [...space.entries()];
  }

  get(namespace: string, key: string): NvsValue | undefined {
    return this.spaces.get(namespace)?.get(key);
  }

  /** Writes (or replaces, whatever its old type) one pair; false when the partition has no room. */
  set(namespace: string, key: string, value: NvsValue): boolean {
    const old = this.get(namespace, key);
    const used = this.entriesInUse() - (old === undefined ? 0 : entriesUsed(old));
    if (used + entriesUsed(value) > this.capacity) return false;
    this.space(namespace).set(key, value);
    this.save();
    return true;
  }

  /** Erases one key, or every key of the namespace; false when there was nothing to erase. */
  erase(namespace: string, key?: string): boolean {
    const space = this.spaces.get(namespace);
    if (space === undefined) return false;
    if (key === undefined) {
      this.spaces.delete(namespace);
    } else {
      if (!space.delete(key)) return false;
      if (space.size === 0) this.spaces.delete(namespace);
    }
    this.save();
    return true;
  }

  /** The whole partition erased (AT+SYSFLASH=0,"mfg_nvs"): no namespace is left. */
  eraseAll(): void {
    this.spaces.clear();
    this.save();
  }

  private get storeName(): string {
    return `${this.model.partition}_keys`;
  }

  private space(namespace: string): Map<string, NvsValue> {
    let space = this.spaces.get(namespace);
    if (space === undefined) {
      space = new Map();
      this.spaces.set(namespace, space);
    }
    return space;
  }

  private entriesInUse(): number {
    let used = 0;
    for (const space of this.spaces.values()) for (const value of space.values()) used += entriesUsed(value);
    return used;
  }

  private save(): void {
    const saved: Record<string, SavedEntry[]> = {};
    for (const [namespace, space] of this.spaces) {
      saved[namespace] = [...space].map(([key, value]) =>
        isIntegerValue(value)
          ? { key, type: value.type, value: value.value }
          : { key, type: value.type, base64: Buffer.from(value.bytes).toString('base64') },
      );
    }
    this.store.save(this.storeName, new TextEncoder().encode(JSON.stringify(saved)));
  }
}

/** Reads what `save` wrote; anything else (a damaged file) counts as an erased partition. */
function decode(bytes: Uint8Array): Namespaces {
  const spaces: Namespaces = new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return spaces;
  }
  if (typeof parsed !== 'object' || parsed === null) return spaces;
  for (const [namespace, entries] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    const space = new Map<string, NvsValue>();
    for (const entry of entries as SavedEntry[]) {
      const value = decodeValue(entry);
      if (value !== null && typeof entry.key === 'string') space.set(entry.key, value);
    }
    if (space.size > 0) spaces.set(namespace, space);
  }
  return spaces;
}

function decodeValue(entry: SavedEntry): NvsValue | null {
  if (isIntegerType(entry.type) && typeof entry.value === 'number') return { type: entry.type, value: entry.value };
  if ((entry.type === 7 || entry.type === 8) && typeof entry.base64 === 'string') {
    return { type: entry.type, bytes: Uint8Array.from(Buffer.from(entry.base64, 'base64')) };
  }
  return null;
}

/**
 * Which of the module's link ids (0..links-1 with CIPMUX=1; the profile's `limits.links`) belong to what. The module picks ids
 * for server clients itself (lowest free), so an id the driver reserves for CIPSTART can be
 * taken at the same moment; the owner resolves that from the CONNECT/ALREADY CONNECTED order.
 */
import type { AtLink } from './at-link.js';

export class LinkIds {
  private readonly links = new Map<number, AtLink>();
  /** Ids with a CIPSTART in flight, and whether a `<id>,CONNECT` was seen meanwhile. */
  private readonly starting = new Map<number, { sawConnect: boolean }>();

  constructor(
    /** How many links the module's firmware has (FirmwareProfile.limits.links: it may change at a resync). */
    private readonly linksOfModule: () => number,
  ) {}

  /** How many link ids the module has. */
  get capacity(): number {
    return this.linksOfModule();
  }

  get(id: number): AtLink | undefined {
    return this.links.get(id);
  }

  all(): AtLink[] {
    return [...this.links.values()];
  }

  set(id: number, link: AtLink): void {
    this.links.set(id, link);
  }

  /** Forgets `id` if it still belongs to `link` (the module may have reused it already). */
  release(id: number, link: AtLink): void {
    if (this.links.get(id) === link) this.links.delete(id);
    if (link.id === id) link.idReleased();
  }

  /** The lowest id neither used nor being started; null when the module is full. */
  reserve(): number | null {
    for (let id = 0; id < this.capacity; id++) {
      if (!this.links.has(id) && !this.starting.has(id)) {
        this.starting.set(id, { sawConnect: false });
        return id;
      }
    }
    return null;
  }

  /** A CIPSTART is in flight on some id. */
  get reserving(): boolean {
    return this.starting.size > 0;
  }

  isStarting(id: number): boolean {
    return this.starting.has(id);
  }

  noteConnectWhileStarting(id: number): void {
    const entry = this.starting.get(id);
    if (entry) entry.sawConnect = true;
  }

  /** Ends a reservation; says whether a CONNECT for the id arrived while it was held. */
  unreserve(id: number): boolean {
    const entry = this.starting.get(id);
    this.starting.delete(id);
    return entry?.sawConnect ?? false;
  }

  clear(): AtLink[] {
    const all = this.all();
    this.links.clear();
    this.starting.clear();
    for (const link of all) link.idReleased();
    return all;
  }

  get size(): number {
    return this.links.size;
  }
}

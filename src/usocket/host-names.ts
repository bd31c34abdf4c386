/**
 * The host name behind each address getaddrinfo() resolved, per coprocessor. MicroPython code
 * connects with the sockaddr getaddrinfo() returned, so by connect() time the name is gone; a TLS
 * socket still needs it for SNI and the certificate name check. The usocket layer looks it up
 * here (an explicit server_hostname wins).
 *
 * Bounded and most-recent-wins: when two names resolve to one address (virtual hosts behind one
 * IP), the name resolved last is the one used, which is the one the application just asked for.
 */
import type { Backend } from '../backend.js';

/** Addresses remembered per coprocessor; the oldest is forgotten first. */
export const HOST_NAMES_LIMIT = 256;

export class HostNames {
  readonly #byAddress = new Map<string, string>();

  constructor(private readonly limit = HOST_NAMES_LIMIT) {}

  /** `host` resolved to `ip` just now. */
  remember(ip: string, host: string): void {
    // Delete first so the entry moves to the end (most recent) of the insertion order.
    this.#byAddress.delete(ip);
    this.#byAddress.set(ip, host);
    while (this.#byAddress.size > this.limit) {
      const oldest = this.#byAddress.keys().next().value;
      if (oldest === undefined) break;
      this.#byAddress.delete(oldest);
    }
  }

  /** The name most recently resolved to `ip`, if any. */
  nameOf(ip: string): string | undefined {
    return this.#byAddress.get(ip);
  }

  get size(): number {
    return this.#byAddress.size;
  }
}

const perBackend = new WeakMap<Backend, HostNames>();

/** The memory of one coprocessor (shared by every usocket module bound to it). */
export function hostNamesOf(backend: Backend): HostNames {
  let names = perBackend.get(backend);
  if (!names) {
    names = new HostNames();
    perBackend.set(backend, names);
  }
  return names;
}

import type { ModuleCore } from './module-core.js';

/**
 * The request headers AT+HTTPCHEAD sets (ESP-AT 4.x): global, in RAM, sent with every HTTP
 * command's request, a header of the same name from the command itself giving way to them.
 * Kept as entered: `Range: bytes=0-255` is the name `Range` and the value ` bytes=0-255`.
 */

export interface StoredHeader {
  readonly name: string;
  readonly value: string;
}

const STORE = new WeakMap<ModuleCore, { readonly epoch: number; readonly headers: StoredHeader[] }>();

export function configuredHeaders(core: ModuleCore): StoredHeader[] {
  const held = STORE.get(core);
  if (held && held.epoch === core.epoch) return held.headers;
  const fresh = { epoch: core.epoch, headers: [] as StoredHeader[] };
  STORE.set(core, fresh);
  return fresh.headers;
}

export function clearConfiguredHeaders(core: ModuleCore): void {
  configuredHeaders(core).length = 0;
}

/** Adds `text` (`key: value`); false when it has no name before a colon. */
export function addConfiguredHeader(core: ModuleCore, text: string): boolean {
  const colon = text.indexOf(':');
  if (colon <= 0) return false;
  configuredHeaders(core).push({ name: text.slice(0, colon), value: text.slice(colon + 1) });
  return true;
}

/** `headers` with the configured ones after them (a later header of the same name replaces an earlier one). */
export function withConfiguredHeaders(core: ModuleCore, headers: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return [...headers.map(([name, value]): [string, string] => [name, value]), ...configuredHeaders(core).map(({ name, value }): [string, string] => [name.trim(), value.trim()])];
}

/** Where `--listen [HOST:]PORT` binds. */
export interface ListenSpec {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `PORT`, `HOST:PORT` or `[IPv6]:PORT` (e.g. `7001`, `0.0.0.0:7001`, `[::1]:7001`).
 * The host defaults to 127.0.0.1: a virtual module is only offered to the network when asked.
 * Port 0 means "any free port". Throws a one-line Error on anything else.
 */
export function parseListenSpec(spec: string): ListenSpec {
  const text = spec.trim();
  const match = /^(?:\[([0-9a-fA-F:.]+)\]:|([^\s:[\]]+):)?(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new Error(`invalid listen address ${JSON.stringify(spec)}: expected [HOST:]PORT with PORT 0-65535`);
  }
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

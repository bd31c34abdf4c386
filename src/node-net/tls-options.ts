/**
 * Node's TLS client options (`tls.connect`, an https Agent's) turned into the module's: the TLS
 * runs in the module, with certificates from its own store, so `ca` and `cert`/`key` name store
 * entries by number (as `ssl.wrap_socket`'s `ca_certs`/`certfile` do, docs/tls.md) — PEM text or
 * Buffers cannot be sent to the module per connection and are refused at the call. The checks
 * themselves are the usocket ssl module's (one place for the module's limits on names and ALPN).
 */
import { isIP } from 'node:net';
import type { TlsOptions } from '../backend.js';
import { isOSError } from '../errors.js';
import { CERT_NONE, CERT_REQUIRED, tlsOptionsOf } from '../usocket/ssl.js';
import type { ModuleConnectOptions } from './connect-args.js';

export interface ModuleTlsConnectOptions extends ModuleConnectOptions {
  /** SNI and the name the certificate must carry. Default: `host` when it is a name; '' = none. */
  readonly servername?: string;
  /** Default true: the module verifies the server with CA entry `ca` (default 0) of its store. */
  readonly rejectUnauthorized?: boolean;
  /** The CA entry of the module's store to verify with. */
  readonly ca?: number;
  /** The client certificate entry of the module's store to present (certificate and key together). */
  readonly cert?: number;
  /** The same entry as `cert`, or absent. */
  readonly key?: number;
  /** ALPN protocols to offer (names, Buffers of names, or the wire format). */
  readonly ALPNProtocols?: readonly string[] | readonly Uint8Array[] | Uint8Array;
}

class InvalidTlsOption extends TypeError {
  readonly code = 'ERR_INVALID_ARG_VALUE';
}

/** `[2, 'h2', 8, 'http/1.1']` wire bytes, or a list of names/Buffers, as names. */
function alpnNames(value: ModuleTlsConnectOptions['ALPNProtocols']): string[] {
  if (value === undefined) return [];
  if (value instanceof Uint8Array) {
    const names: string[] = [];
    for (let i = 0; i < value.length; i += 1 + value[i]) names.push(Buffer.from(value.subarray(i + 1, i + 1 + value[i])).toString('latin1'));
    return names;
  }
  return value.map((name) => (typeof name === 'string' ? name : Buffer.from(name).toString('latin1')));
}

function storeEntry(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  throw new InvalidTlsOption(
    `The TLS runs in the module: '${name}' is the number of an entry in its certificate store (0, 1, ...), not PEM or a Buffer; ` +
      'provision certificates into the module (docs/tls.md)',
  );
}

/** The server name to send: Node's rule (the host, unless it is an address or '' was given). */
export function serverNameOf(options: ModuleTlsConnectOptions, host: string): string | undefined {
  const name = options.servername ?? (isIP(host) ? undefined : host);
  return name === '' ? undefined : name;
}

/** Checks `options` (throwing a TypeError at the call) and returns the back end's TLS options. */
export function moduleTlsOptions(options: ModuleTlsConnectOptions, host: string): TlsOptions {
  const verify = options.rejectUnauthorized !== false;
  try {
    return tlsOptionsOf({
      server_hostname: serverNameOf(options, host) ?? null,
      cert_reqs: verify ? CERT_REQUIRED : CERT_NONE,
      ca_certs: storeEntry(options.ca, 'ca') ?? null,
      certfile: storeEntry(options.cert, 'cert') ?? null,
      keyfile: storeEntry(options.key, 'key') ?? null,
      alpn: alpnNames(options.ALPNProtocols),
    });
  } catch (err) {
    if (isOSError(err, 'EINVAL')) throw new InvalidTlsOption(err.detail ?? err.message, { cause: err });
    throw err;
  }
}

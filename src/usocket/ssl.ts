/**
 * MicroPython's `ssl` module in the WiPy's shape: `wrap_socket(sock, ...)` before connect(), or a
 * socket made with `IPPROTO_SEC`. The TLS runs in the coprocessor, so the certificate files of
 * `ca_certs`, `certfile` and `keyfile` are not files here: they are entries of the module's own
 * certificate store, named by index (ESP-AT's <ca_number> and <pki_number>). Putting PEM files
 * into that store is provisioning (docs/tls.md): flash partitions on a real module, the world
 * config for the emulator.
 */
import type { TlsOptions } from '../backend.js';
import { osError } from '../errors.js';
import type { Socket } from './socket.js';

/** The server is not verified (MicroPython's default, and a plain IPPROTO_SEC socket's). */
export const CERT_NONE = 0;
/** Treated as CERT_NONE: the module either verifies and fails, or does not verify. */
export const CERT_OPTIONAL = 1;
/** The server's chain must lead to the CA entry `ca_certs` (default 0), and name `server_hostname`. */
export const CERT_REQUIRED = 2;

/** The highest entry number ESP-AT's store commands take. */
const STORE_INDEX_MAX = 255;
/** AT+CIPSSLCSNI / AT+CIPSSLCCN take names up to 64 bytes; ALPN: 5 names of up to 64 bytes. */
const NAME_MAX_BYTES = 64;
const ALPN_MAX_COUNT = 5;

export interface WrapSocketOptions {
  /**
   * The SNI sent and the name the server certificate must be valid for. Default: the host name
   * getaddrinfo() resolved to the address connected to; none when connecting to a bare address.
   */
  readonly server_hostname?: string | null;
  /** CERT_NONE (default), CERT_OPTIONAL (same as NONE here) or CERT_REQUIRED. */
  readonly cert_reqs?: number;
  /** CERT_REQUIRED: the CA entry of the module's store to verify with (default 0). */
  readonly ca_certs?: number | null;
  /** The client certificate entry of the module's store to present (certificate and key together). */
  readonly certfile?: number | null;
  /** The same entry as certfile (a store entry holds a certificate with its key), or absent. */
  readonly keyfile?: number | null;
  /** copro extension: ALPN protocols to offer (at most 5), most preferred first. */
  readonly alpn?: readonly string[];
  /** Must be false: TLS servers are not supported. */
  readonly server_side?: boolean;
}

function storeIndex(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= STORE_INDEX_MAX) return value;
  if (typeof value === 'string') {
    throw osError(
      'EINVAL',
      `${name} is the index of an entry in the module's certificate store (0, 1, ...), not a file: ` +
        'the TLS runs in the module, so PEM files are provisioned into its store (docs/tls.md)',
    );
  }
  throw osError('EINVAL', `${name} must be a store index 0..${STORE_INDEX_MAX}, not ${JSON.stringify(value)}`);
}

function moduleName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw osError('EINVAL', `${what} must be a non-empty string`);
  if (Buffer.byteLength(value) > NAME_MAX_BYTES) throw osError('EINVAL', `${what} is longer than the module's ${NAME_MAX_BYTES} bytes`);
  if (/[\r\n"\\,\0]/.test(value)) throw osError('EINVAL', `${what} ${JSON.stringify(value)} contains a character the module cannot take`);
  return value;
}

/** Checks `options` and turns them into the back end's TLS options. */
export function tlsOptionsOf(options: WrapSocketOptions = {}): TlsOptions {
  if (options.server_side) throw osError('EOPNOTSUPP', 'TLS servers are not supported (server_side=true)');
  const reqs = options.cert_reqs ?? CERT_NONE;
  if (reqs !== CERT_NONE && reqs !== CERT_OPTIONAL && reqs !== CERT_REQUIRED) throw osError('EINVAL', `cert_reqs ${String(reqs)}`);
  const ca = storeIndex(options.ca_certs, 'ca_certs');
  const cert = storeIndex(options.certfile, 'certfile');
  const key = storeIndex(options.keyfile, 'keyfile');
  if (key !== undefined && key !== cert) {
    throw osError('EINVAL', 'keyfile must name the same store entry as certfile: an entry holds a certificate with its key');
  }
  const alpn = options.alpn ?? [];
  if (!Array.isArray(alpn) || alpn.length > ALPN_MAX_COUNT) throw osError('EINVAL', `alpn takes at most ${ALPN_MAX_COUNT} protocol names`);
  const hostname = options.server_hostname ?? undefined;
  return {
    ...(hostname !== undefined ? { serverHostname: moduleName(hostname, 'server_hostname') } : {}),
    ...(reqs === CERT_REQUIRED ? { caIndex: ca ?? 0 } : {}),
    ...(cert !== undefined ? { clientCertIndex: cert } : {}),
    ...(alpn.length > 0 ? { alpn: alpn.map((p) => moduleName(p, 'an ALPN protocol name')) } : {}),
  };
}

/**
 * WiPy's `ssl.wrap_socket(sock, ...)`: makes `sock` (not yet connected) a TLS socket and returns
 * it — the same object, so the argument and the result can be used alike. connect() then opens a
 * TLS link. Raises OSError EINVAL for bad options, EOPNOTSUPP on a connected or listening socket.
 */
export function wrapSocket(sock: Socket, options: WrapSocketOptions = {}): Socket {
  sock.useTls(tlsOptionsOf(options));
  return sock;
}

/** The `ssl` module as MicroPython code imports it: `ssl.wrap_socket(s, cert_reqs=ssl.CERT_REQUIRED)`. */
export const ssl = Object.freeze({
  CERT_NONE,
  CERT_OPTIONAL,
  CERT_REQUIRED,
  wrap_socket: wrapSocket,
});

export type Ssl = typeof ssl;

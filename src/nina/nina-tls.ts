/**
 * What nina-fw's TLS (START_CLIENT_TCP mode 2, WiFiSSLClient) can honour of the driver's TLS options.
 * It always verifies the server against the one root store in its flash — there is no unverified
 * mode, so CERT_NONE gets verification anyway (stricter, never weaker) — and has no client
 * certificate and no ALPN over these commands (peers.md §1.8). SNI and the name check happen only
 * when the host connects by name, which the back end does whenever a server name is known.
 */
import type { TlsOptions } from '../backend.js';
import { osError } from '../errors.js';
import type { TraceSink } from '../at/trace.js';

/** Throws EOPNOTSUPP for what a NINA module cannot do; notes on the trace what it does differently. */
export function checkNinaTls(tls: TlsOptions, trace?: TraceSink): void {
  if (tls.clientCertIndex !== undefined) throw osError('EOPNOTSUPP', 'a NINA module (nina-fw) presents no client certificate');
  if (tls.alpn && tls.alpn.length > 0) throw osError('EOPNOTSUPP', 'a NINA module (nina-fw) offers no ALPN');
  if (tls.caIndex !== undefined && tls.caIndex !== 0) {
    throw osError('EOPNOTSUPP', `a NINA module has one root store (CA entry 0), not entry ${tls.caIndex}`);
  }
  if (tls.caIndex === undefined) trace?.('! TLS without verification asked: nina-fw verifies the server anyway');
}

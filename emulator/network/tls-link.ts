import { isIP } from 'node:net';
import { DEFAULT_CIPHERS, checkServerIdentity, connect, type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import { StackError, type TlsConnectOptions, type TlsSessionInfo, type VirtualTlsLink } from './types.js';
import { TcpLink } from './tcp-link.js';
import { isValidPort, toStackError } from './errors.js';
import { describeHandshakeFailure } from './tls-errors.js';
import { opensslSuites } from './openssl-suites.js';

/**
 * A TLS connection of the module: a node:tls client socket carried by the same stream link as TCP
 * (send, pause/resume, orderly close and the peer's close all behave alike; TLSSocket is a
 * net.Socket). Only the opening differs, and the session it settled on is kept for the trace.
 */
export class TlsLink extends TcpLink implements VirtualTlsLink {
  declare readonly kind: 'tls';

  constructor(
    socket: TLSSocket,
    remote: { ip: string; port: number },
    readonly session: TlsSessionInfo,
  ) {
    super({ socket, remote, localPort: socket.localPort ?? 0, accepted: false, kind: 'tls' });
  }
}

function subjectOf(certificate: PeerCertificate | null): string {
  const subject = certificate?.subject as Record<string, string | string[]> | undefined;
  if (!subject) return '';
  return Object.entries(subject)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

function sessionOf(socket: TLSSocket, servername: string | null, verified: boolean): TlsSessionInfo {
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    servername,
    verified,
    peerSubject: subjectOf(socket.getPeerCertificate()),
  };
}

/**
 * Why the chain is not valid at `atMs` (mbedTLS's BADCERT_FUTURE / BADCERT_EXPIRED), or undefined.
 * Node hands checkServerIdentity the detailed certificate: its issuers up to the trusted CA.
 */
function datesRefusal(leaf: PeerCertificate, atMs: number): Error | undefined {
  const at = new Date(atMs).toISOString();
  const seen = new Set<string>();
  for (let certificate: DetailedPeerCertificate | undefined = leaf as DetailedPeerCertificate; certificate; certificate = certificate.issuerCertificate) {
    if (seen.has(certificate.fingerprint256)) break;
    seen.add(certificate.fingerprint256);
    const subject = subjectOf(certificate) || '?';
    if (Date.parse(certificate.valid_from) > atMs) {
      return new Error(`the certificate of ${subject} is not valid yet at the module's time ${at} (valid from ${certificate.valid_from}): set its clock first (AT+CIPSNTPCFG or AT+SYSTIMESTAMP)`);
    }
    if (Date.parse(certificate.valid_to) < atMs) {
      return new Error(`the certificate of ${subject} has expired at the module's time ${at} (valid to ${certificate.valid_to})`);
    }
  }
  return undefined;
}

/** Node's default suites without their `!PSK` (which would bar PSK suites for good), plus the PSK suites. */
const PSK_CIPHERS = `${DEFAULT_CIPHERS.split(':').filter((suite) => suite !== '!PSK').join(':')}:PSK`;

/** The `ciphers` option: the suites asked for (by IANA number), else node's defaults (plus PSK with a key). */
function cipherList(options: TlsConnectOptions): string | undefined | StackError {
  if (options.cipherSuites === undefined) return options.psk ? PSK_CIPHERS : undefined;
  const { names, missing } = opensslSuites(options.cipherSuites);
  if (names.length > 0) return names.join(':');
  const hex = missing.map((id) => `0x${id.toString(16).toUpperCase().padStart(4, '0')}`).join(', ');
  return new StackError('tls', `no cipher suite to offer: OpenSSL has none of ${hex || 'the (empty) list'}`);
}

/**
 * Connects and runs the TLS handshake. `options.host` must be an IPv4 address. Without SNI nothing
 * is sent in the extension (node would otherwise use the host, which is an IP here and never sent);
 * an IP given as SNI is not sent either (RFC 6066 forbids it and node warns). Verification trusts only
 * `verify.caPem` and checks `verify.hostname` itself, independently of the SNI.
 */
export function connectTlsLink(options: TlsConnectOptions): Promise<TlsLink> {
  const { host, port, timeoutMs, keepAliveSec, verify } = options;
  if (isIP(host) === 0) return Promise.reject(new StackError('io', `not an IP address: ${host}`));
  if (!isValidPort(port)) return Promise.reject(new StackError('io', `invalid port ${port}`));
  const servername = options.servername && isIP(options.servername) === 0 ? options.servername : null;
  const credential = options.clientCredential ?? null;
  const psk = options.psk ?? null;
  const alpn = options.alpn && options.alpn.length > 0 ? [...options.alpn] : undefined;
  const where = `${host}:${port}`;
  const ciphers = cipherList(options);
  if (ciphers instanceof StackError) return Promise.reject(ciphers);
  return new Promise<TlsLink>((resolve, reject) => {
    let socket: TLSSocket;
    try {
      socket = connect({
        host,
        port,
        ...(servername !== null ? { servername } : {}),
        ALPNProtocols: alpn,
        // [] (not undefined) so that nothing of the host machine's trust store is used.
        ca: verify ? [...verify.caPem] : [],
        rejectUnauthorized: verify !== null,
        checkServerIdentity: (_name, certificate) =>
          (verify?.validAtMs !== undefined ? datesRefusal(certificate, verify.validAtMs) : undefined) ??
          (verify?.hostname ? checkServerIdentity(verify.hostname, certificate) : undefined),
        cert: credential?.certPem,
        key: credential?.keyPem,
        maxVersion: options.maxVersion ?? 'TLSv1.3',
        ...(psk ? { pskCallback: () => ({ psk: Buffer.from(psk.key), identity: psk.identity }) } : {}),
        ...(ciphers !== undefined ? { ciphers } : {}),
      });
    } catch (error) {
      // Bad PEM material fails here, before any traffic.
      reject(new StackError('tls', `cannot set up TLS: ${(error as Error).message}`));
      return;
    }
    let tcpConnected = false;
    let timer: NodeJS.Timeout | null = null;
    const finish = (): void => {
      if (timer !== null) clearTimeout(timer);
      socket.off('error', onError);
      socket.off('secureConnect', onSecure);
      socket.off('connect', onTcp);
    };
    const fail = (error: StackError): void => {
      finish();
      socket.destroy();
      reject(error);
    };
    const onTcp = (): void => {
      tcpConnected = true;
      // The firmware sends each CIPSEND at once; Nagle would hold small records back.
      socket.setNoDelay(true);
      if (keepAliveSec !== undefined && keepAliveSec > 0) socket.setKeepAlive(true, keepAliveSec * 1000);
    };
    const onError = (error: Error): void => {
      if (!tcpConnected) {
        fail(toStackError(error, `connect to ${where}`));
        return;
      }
      const cause = describeHandshakeFailure(error, {
        presentedCertificate: credential !== null,
        expectedName: verify?.hostname ?? null,
      });
      fail(new StackError('tls', `TLS handshake with ${where} failed: ${cause}`));
    };
    const onSecure = (): void => {
      finish();
      resolve(new TlsLink(socket, { ip: host, port }, sessionOf(socket, servername, verify !== null)));
    };
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
      timer = setTimeout(() => {
        const stage = tcpConnected ? 'TLS handshake' : 'TCP connect';
        fail(new StackError('timeout', `${stage} with ${where} not done within ${timeoutMs} ms`));
      }, timeoutMs);
    }
    socket.once('connect', onTcp);
    socket.once('error', onError);
    socket.once('secureConnect', onSecure);
  });
}

import { errorCode } from './errors.js';

/**
 * Handshake failures in words a person debugging a module recognises. Node reports certificate
 * problems with OpenSSL's verify codes and server alerts as `ERR_SSL_..._ALERT_...`; each is turned
 * into the cause as a TLS library on the module would see it ("unknown CA", "host name mismatch").
 */

const VERIFY_CAUSES: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not in the CA store (unknown CA)',
  SELF_SIGNED_CERT_IN_CHAIN: "the server's chain ends in a self-signed root that is not in the CA store (unknown CA)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate was issued by a CA that is not in the CA store (unknown CA)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate was issued by a CA that is not in the CA store (unknown CA)',
  UNABLE_TO_GET_ISSUER_CERT: "the issuer of a certificate in the server's chain is not in the CA store (unknown CA)",
  CERT_SIGNATURE_FAILURE: 'a certificate signature in the server chain does not verify',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet',
  CERT_REVOKED: 'the server certificate is revoked',
  INVALID_CA: 'a certificate in the server chain is not a valid CA',
  INVALID_PURPOSE: 'the server certificate is not for TLS server authentication',
  ERR_TLS_CERT_ALTNAME_INVALID: 'host name mismatch',
};

/** TLS alert names (RFC 8446 §6) as OpenSSL spells them in its error codes. */
const ALERTS: Readonly<Record<string, string>> = {
  HANDSHAKE_FAILURE: 'handshake_failure',
  BAD_CERTIFICATE: 'bad_certificate',
  UNSUPPORTED_CERTIFICATE: 'unsupported_certificate',
  CERTIFICATE_REVOKED: 'certificate_revoked',
  CERTIFICATE_EXPIRED: 'certificate_expired',
  CERTIFICATE_UNKNOWN: 'certificate_unknown',
  UNKNOWN_CA: 'unknown_ca',
  ACCESS_DENIED: 'access_denied',
  DECRYPT_ERROR: 'decrypt_error',
  PROTOCOL_VERSION: 'protocol_version',
  INSUFFICIENT_SECURITY: 'insufficient_security',
  INTERNAL_ERROR: 'internal_error',
  UNRECOGNIZED_NAME: 'unrecognized_name',
  CERTIFICATE_REQUIRED: 'certificate_required',
  NO_APPLICATION_PROTOCOL: 'no_application_protocol',
  ILLEGAL_PARAMETER: 'illegal_parameter',
};

/** What the server's alert most likely means for a module (why it refused us). */
function alertMeaning(alert: string, presentedCertificate: boolean): string {
  switch (alert) {
    case 'certificate_required':
      return 'the server requires a client certificate and none was presented';
    case 'handshake_failure':
      // OpenSSL servers answer a missing required certificate with this alert in TLS 1.2.
      return presentedCertificate
        ? 'the server refused the handshake (no common cipher suite or protocol version?)'
        : 'the server refused the handshake; it may require a client certificate (none was presented)';
    case 'unknown_ca':
    case 'bad_certificate':
    case 'certificate_unknown':
    case 'unsupported_certificate':
    case 'certificate_expired':
    case 'certificate_revoked':
    case 'access_denied':
      return presentedCertificate
        ? 'the server refused the client certificate'
        : 'the server refused the handshake';
    case 'no_application_protocol':
      return 'the server supports none of the ALPN protocols offered';
    case 'unrecognized_name':
      return 'the server does not know the SNI name sent';
    case 'protocol_version':
      return 'no common TLS version';
    default:
      return 'the server aborted the handshake';
  }
}

/** The alert name in an OpenSSL error code such as ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED. */
function alertOf(code: string | undefined): string | null {
  const match = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$/.exec(code ?? '');
  if (!match) return null;
  return ALERTS[match[1]] ?? match[1].toLowerCase();
}

export interface HandshakeContext {
  /** A client certificate was offered to the server. */
  readonly presentedCertificate: boolean;
  /** The name the certificate had to match (for a mismatch message). */
  readonly expectedName: string | null;
}

/** One sentence naming why the handshake failed, with Node's own words in parentheses. */
export function describeHandshakeFailure(error: unknown, context: HandshakeContext): string {
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const verify = code ? VERIFY_CAUSES[code] : undefined;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `host name mismatch: the server certificate is not valid for "${context.expectedName ?? ''}" (${detail})`;
  }
  if (verify) return `${verify} (${code})`;
  const alert = alertOf(code);
  if (alert) return `${alertMeaning(alert, context.presentedCertificate)} (alert ${alert} from the server)`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `the server closed the connection during the handshake (${detail})`;
  return `TLS handshake failed: ${detail}${code ? ` (${code})` : ''}`;
}

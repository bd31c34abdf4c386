import { formatUrc } from '../../firmware-protocol/at/module-output.js';
import { StackError, type TlsConnectOptions, type VirtualTlsLink } from '../network/types.js';
import { answerStackError } from './handlers/tcpip-common.js';
import type { ModuleCore } from './module-core.js';
import { certificateStore } from './pki-store.js';

/**
 * The SSL client of an emulated module: what AT+CIPSTART="SSL" does with the link's AT+CIPSSLC*
 * settings and the certificate store. The TLS itself is node:tls through the network stack.
 *
 * How the names are used (ESP-AT 2.x hands one host name to esp-tls, which makes it both the SNI and
 * the name checked in the server certificate; CIPSSLCSNI and CIPSSLCCN set it):
 * - SNI sent: CIPSSLCSNI, else CIPSSLCCN, else none. The CIPSTART host is NOT sent: ESP-AT tells users
 *   to set CIPSSLCSNI for servers that need SNI (esp-at issue #250: no SNI before that command existed).
 * - Name checked (auth_mode 2/3 only): CIPSSLCCN, else CIPSSLCSNI, else none (chain and dates only).
 * - Protocol: TLS 1.2 at most (ESP-AT's mbedTLS ships without TLS 1.3 unless rebuilt).
 * - Cipher suites (where the profile knows its library's list): AT+CIPSSLCCIPHER's, else the
 *   library's list, as far as OpenSSL has them (emulator/network/openssl-suites.ts).
 * NonOS 1.7 (axTLS) has no command to set SNI, ALPN or a name, so none is used; its bit-mask
 * CIPSSLCCONF picks client certificate 0 and CA 0; the profile says how many SSL links run at once.
 * The connect deadline is the profile's timing.sslConnectTimeoutMs (on a real module each packet
 * has 10 s; one deadline here).
 */

/** The time certificates are checked at where the firmware's mbedTLS checks dates by the module's clock. */
export function certificateClock(core: ModuleCore): { validAtMs?: number } {
  return core.profile.ssl.certificateClock === 'module' ? { validAtMs: core.time.nowMs() } : {};
}

/** Why CIPSTART="SSL" cannot even start in the module's state, or null. */
export function sslStartRefusal(core: ModuleCore): string | null {
  if (!core.stack.connectTls) return 'this network stack has no TLS';
  const allowed = core.profile.limits.sslLinks;
  if (allowed !== null && core.links.all().filter((link) => link.type === 'SSL').length >= allowed) {
    return `${core.profile.title} allows ${allowed === 1 ? 'one SSL connection' : `${allowed} SSL connections`} at a time`;
  }
  return null;
}

interface SslTarget {
  readonly host: string; // as given to CIPSTART, for the trace
  readonly ip: string;
  readonly port: number;
  readonly keepAliveSec?: number;
}

/** The TLS options for link `id`, or StackError('io') naming a missing store entry (no network touched). */
function tlsOptionsFor(core: ModuleCore, id: number, target: SslTarget): TlsConnectOptions {
  const store = certificateStore(core);
  const auth = core.settings.current.sslClients[id];
  const names = core.settings.volatile.sslNames[id];
  const presentCertificate = (auth.authMode & 1) !== 0;
  const verifyServer = (auth.authMode & 2) !== 0;
  const ca = store.caCerts[auth.caNumber];
  const client = store.clientCerts[auth.pkiNumber];
  if (verifyServer && !ca) throw new StackError('io', `NO CA FOUND: the certificate store has no CA ${auth.caNumber}`);
  if (presentCertificate && !client) {
    throw new StackError('io', `NO CERT FOUND: the certificate store has no client certificate ${auth.pkiNumber}`);
  }
  return {
    host: target.ip,
    port: target.port,
    timeoutMs: core.profile.timing.sslConnectTimeoutMs,
    keepAliveSec: target.keepAliveSec,
    servername: names.sni ?? names.commonName,
    alpn: names.alpn,
    verify: verifyServer && ca ? { caPem: [ca.pem], hostname: names.commonName ?? names.sni, ...certificateClock(core) } : null,
    clientCredential: presentCertificate && client ? { certPem: client.certPem, keyPem: client.keyPem } : null,
    // esp-tls configures a PSK only where it verifies no server (its CA branch comes first).
    psk: names.psk && !verifyServer ? { identity: names.psk.hint, key: names.psk.key } : null,
    maxVersion: 'TLSv1.2',
    cipherSuites: offeredSuites(core, names.cipherSuites),
  };
}

/**
 * The suites the ClientHello offers: those of AT+CIPSSLCCIPHER's list the library has (mbedTLS
 * skips the others), else the library's whole list; undefined where the profile does not know it.
 */
function offeredSuites(core: ModuleCore, configured: readonly number[]): readonly number[] | undefined {
  const library = core.profile.ssl.cipherSuites;
  if (library === undefined) return undefined;
  const known = new Set(library.map((suite) => suite.id));
  const usable = configured.filter((id) => known.has(id));
  return usable.length > 0 ? usable : library.map((suite) => suite.id);
}

function describeOptions(core: ModuleCore, options: TlsConnectOptions, id: number): string {
  const auth = core.settings.current.sslClients[id];
  const store = certificateStore(core);
  const parts = [`auth_mode ${auth.authMode}`];
  if (options.verify) {
    const ca = store.caCerts[auth.caNumber];
    parts.push(`verify server with CA ${auth.caNumber} (${ca?.subjects.join('; ') ?? '?'})`);
    parts.push(options.verify.hostname ? `name must be "${options.verify.hostname}"` : 'no name check');
  } else {
    parts.push('server not verified');
  }
  if (options.clientCredential) parts.push(`client certificate ${auth.pkiNumber} (${store.clientCerts[auth.pkiNumber]?.subject ?? '?'})`);
  parts.push(options.servername ? `SNI "${options.servername}"` : 'no SNI');
  if (options.psk) parts.push(`PSK identity "${options.psk.identity}"`);
  if (options.alpn && options.alpn.length > 0) parts.push(`ALPN ${options.alpn.join(',')}`);
  const configured = core.settings.volatile.sslNames[id].cipherSuites;
  if (configured.length > 0 && options.cipherSuites) {
    parts.push(`cipher suites ${options.cipherSuites.map((suite) => `0x${suite.toString(16).toUpperCase().padStart(4, '0')}`).join(',')}`);
  }
  return parts.join(', ');
}

/** Opens the SSL link `id` to `target`; rejects StackError like connectTcp, 'tls' for a failed handshake. */
export async function openSslLink(core: ModuleCore, id: number, target: SslTarget): Promise<VirtualTlsLink> {
  const connectTls = core.stack.connectTls?.bind(core.stack);
  if (!connectTls) throw new StackError('io', 'this network stack has no TLS');
  const options = tlsOptionsFor(core, id, target);
  core.tracer.note(`link ${id} SSL to ${target.host} (${target.ip}:${target.port}): ${describeOptions(core, options, id)}`, id);
  const link = await connectTls(options);
  const { session } = link;
  core.tracer.note(
    `link ${id} ${session.protocol} ${session.cipher}, server ${session.peerSubject || '?'}` +
      `${session.verified ? ' (verified)' : ' (not verified)'}${session.alpn ? `, ALPN ${session.alpn}` : ''}`,
    id,
  );
  return link;
}

/**
 * A failed CIPSTART="SSL" answered as the firmware does (profile.ssl.handshakeFailure). 2.x:
 * `ERROR` (esp-tls fails the connect; no CONNECT was printed, so no CLOSED either). NonOS 1.x
 * reports a failed handshake after the TCP link was up: `[<id>,]CLOSED` then `OK` (observed on
 * NonOS AT 1.6, WiFiEsp issue #162).
 */
export function answerSslFailure(core: ModuleCore, id: number, error: unknown): void {
  const handshake = error instanceof StackError && error.code === 'tls';
  if (handshake && core.profile.ssl.handshakeFailure === 'closed-then-ok') {
    core.tracer.note(`link ${id} SSL connect failed: ${error.message}`, id);
    core.write(formatUrc({ kind: 'closed', link: core.label(id) }), [id]);
    core.ok([id]);
    return;
  }
  answerStackError(core, error, `link ${id} SSL connect`);
}

/**
 * What the module is told before `AT+CIPSTART=<id>,"SSL",...` (docs/tls.md, "IPPROTO_SEC on the
 * host"). ESP-AT keeps an SSL client configuration per link id, so every TLS connect sets all of
 * it for its id — a value left by an earlier connection (or an earlier session) must not leak in:
 *
 *   ESP-AT 2.x   AT+CIPSSLCCONF=<id>,<auth_mode>,<pki>,<ca>   auth_mode bit 0 client certificate, bit 1 verify
 *                AT+CIPSSLCCN=<id>,"<name>"                    the name the certificate must be valid for
 *                AT+CIPSSLCSNI=<id>,"<name>"                   the SNI ("" clears both)
 *                AT+CIPSSLCALPN=<id>,<n>[,"<proto>"...]        (0 clears)
 *   NonOS 1.7    AT+CIPSSLSIZE=4096                            the largest buffer: certificate chains run to 4 KB
 *                AT+CIPSSLCCONF=<bits>                         same bits, entries 0 only; no SNI, ALPN or name check
 *
 * Both names carry the same host name, which is right under every reading of the firmware (it hands
 * esp-tls one host name, which is both the SNI and the name checked). A setting the module already
 * holds from this session is not sent again (`TlsSettingsCache`): CIPSSLCCONF is saved to flash
 * under AT+SYSSTORE=1, and a connect loop should not write flash each time. Before a connection
 * that verifies its server, the module is given this machine's time if it has none (module-clock.ts).
 */
import { variantOf } from '../../firmware-protocol/at/command-table.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { TlsOptions } from '../backend.js';
import { osError } from '../errors.js';
import type { OSError } from '../errors.js';
import type { AtReply, AtRequest } from './at-client.js';
import type { AtRequests } from './requests.js';
import { ensureModuleClock } from './module-clock.js';
import { missingCertificate } from './replies.js';
import type { TraceSink } from './trace.js';

/** NonOS AT's largest SSL buffer (AT+CIPSSLSIZE range 2048..4096). */
export const NONOS_SSL_BUFFER = 4096;

export interface TlsSetupEngine {
  run(request: AtRequest): Promise<AtReply>;
  readonly requests: AtRequests;
  readonly trace?: TraceSink;
}

/** The SSL settings the module accepted in this session, per command and link id. */
export class TlsSettingsCache {
  private readonly lines = new Map<string, string>();

  /** Runs `request` unless the module already holds exactly that setting; null when skipped. */
  async apply(engine: TlsSetupEngine, key: string, request: AtRequest): Promise<AtReply | null> {
    const line = Buffer.from(request.line).toString('latin1');
    if (this.lines.get(key) === line) return null;
    this.lines.delete(key);
    const reply = await engine.run(request);
    if (reply.result === 'OK') this.lines.set(key, line);
    return reply;
  }
}

/** `auth_mode` / the NonOS bits: bit 0 present a client certificate, bit 1 verify the server. */
export function authMode(tls: TlsOptions): number {
  return (tls.clientCertIndex !== undefined ? 1 : 0) | (tls.caIndex !== undefined ? 2 : 0);
}

/** "verify with CA 0 for "api.lab", client certificate 1, SNI "api.lab"" — for error messages. */
export function describeTls(tls: TlsOptions): string {
  const parts = [tls.caIndex !== undefined ? `server verified with CA ${tls.caIndex}` : 'server not verified'];
  if (tls.clientCertIndex !== undefined) parts.push(`client certificate ${tls.clientCertIndex}`);
  parts.push(tls.serverHostname !== undefined ? `name "${tls.serverHostname}"` : 'no server name');
  if (tls.alpn && tls.alpn.length > 0) parts.push(`ALPN ${tls.alpn.join(',')}`);
  return parts.join(', ');
}

const failed = (reply: AtReply | null): reply is AtReply => reply !== null && reply.result !== 'OK';

function missingEntry(profile: FirmwareProfile, reply: AtReply, tls: TlsOptions): OSError | null {
  const word = missingCertificate(profile, reply);
  if (word === null) return null;
  const what = word === 'NO CA FOUND' ? `CA ${tls.caIndex ?? 0}` : `client certificate ${tls.clientCertIndex ?? 0}`;
  return osError('ENOENT', `the module's certificate store has no ${what} (${word}): provision it first (docs/tls.md)`);
}

async function configurePerLink(engine: TlsSetupEngine, cache: TlsSettingsCache, id: number, tls: TlsOptions): Promise<OSError | null> {
  const { requests } = engine;
  if (tls.caIndex !== undefined) await ensureModuleClock(requests.profile, (request) => engine.run(request), engine.trace);
  const conf = await cache.apply(engine, `CIPSSLCCONF:${id}`, requests.sslAuth(id, authMode(tls), tls.clientCertIndex ?? 0, tls.caIndex ?? 0));
  if (failed(conf)) {
    return missingEntry(requests.profile, conf, tls) ?? osError('EOPNOTSUPP', `the module refused AT+CIPSSLCCONF for link ${id} (${describeTls(tls)})`);
  }
  const name = tls.serverHostname ?? '';
  const alpn = tls.alpn ?? [];
  const steps: [key: string, request: AtRequest, wanted: boolean][] = [
    [`CIPSSLCCN:${id}`, requests.sslCommonName(id, name), name !== ''],
    [`CIPSSLCSNI:${id}`, requests.sslSni(id, name), name !== ''],
    [`CIPSSLCALPN:${id}`, requests.sslAlpn(id, alpn), alpn.length > 0],
  ];
  for (const [key, request, wanted] of steps) {
    const reply = await cache.apply(engine, key, request);
    if (!failed(reply)) continue;
    const command = key.split(':')[0];
    // Clearing may fail on firmware that lacks the command: then nothing was ever set either.
    if (!wanted) {
      engine.trace?.(`! AT+${command} could not clear link ${id}'s setting; going on`);
      continue;
    }
    return osError('EOPNOTSUPP', `the module refused AT+${command} for link ${id} (does this firmware have it?)`);
  }
  return null;
}

async function configureBitMask(engine: TlsSetupEngine, cache: TlsSettingsCache, tls: TlsOptions): Promise<OSError | null> {
  const { requests } = engine;
  const { title } = engine.requests.profile;
  if ((tls.caIndex ?? 0) !== 0 || (tls.clientCertIndex ?? 0) !== 0) {
    return osError('EINVAL', `${title} has one CA and one client certificate: store entry 0 only`);
  }
  if (tls.alpn && tls.alpn.length > 0) return osError('EOPNOTSUPP', `${title} has no ALPN`);
  if (tls.serverHostname !== undefined) {
    engine.trace?.(`! ${title} sends no SNI and checks no name: "${tls.serverHostname}" is not used`);
  }
  const size = await cache.apply(engine, 'CIPSSLSIZE', requests.sslBufferSize(NONOS_SSL_BUFFER));
  if (failed(size)) engine.trace?.(`! AT+CIPSSLSIZE=${NONOS_SSL_BUFFER} refused; the module keeps its buffer size`);
  const bits = authMode(tls);
  const conf = await cache.apply(engine, 'CIPSSLCCONF', requests.sslAuthBits(bits));
  if (failed(conf)) {
    const wants = [bits & 2 ? 'CA 0' : null, bits & 1 ? 'client certificate 0' : null].filter(Boolean).join(' and ');
    return bits === 0
      ? osError('EOPNOTSUPP', 'the module refused AT+CIPSSLCCONF=0')
      : osError('ENOENT', `the module refused AT+CIPSSLCCONF=${bits}: its certificate store lacks ${wants} (provision it first, docs/tls.md)`);
  }
  return null;
}

/** Sends the SSL client configuration for link `id`; resolves with the failure, or null when set. */
export function configureTls(engine: TlsSetupEngine, cache: TlsSettingsCache, id: number, tls: TlsOptions): Promise<OSError | null> {
  const bitMask = variantOf(engine.requests.profile, 'CIPSSLCCONF') === 'bits';
  return bitMask ? configureBitMask(engine, cache, tls) : configurePerLink(engine, cache, id, tls);
}

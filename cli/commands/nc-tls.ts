/**
 * `copro nc --tls`: what the TLS options mean (docs/cli.md).
 *
 *   --tls             connect through a TLS link (IPPROTO_SEC, wrap_socket)
 *   --ca N            verify the server with CA entry N of the module's store (default: CA 0)
 *   --ca FILE         emu: devices only — put FILE (PEM) into the in-process emulator's store as
 *                     CA 0 and verify with it; a real module's store is provisioned in its flash
 *   --no-verify       do not verify the server (CERT_NONE)
 *   --sni NAME        the SNI and the name the certificate must carry (default: the HOST argument
 *                     when it is a name)
 *   --cert N | FILE   present client certificate entry N (or, emu: only, FILE with --key FILE)
 *   --alpn A,B        ALPN protocols to offer
 */
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_WORLD, WorldConfigError, parseWorldConfig } from '../../emulator/world-config.js';
import type { WorldConfig } from '../../emulator/world-config.js';
import { isOSError, osError } from '../../src/errors.js';
import { isEmuDevice } from '../../src/host-port/emu-port.js';
import type { EmulatorOptions } from '../../src/host-port/emu-port.js';
import { CERT_NONE, CERT_REQUIRED } from '../../src/usocket/ssl.js';
import type { WrapSocketOptions } from '../../src/usocket/ssl.js';

export interface NcTlsOptions {
  readonly tls?: boolean;
  readonly ca?: string;
  /** false with --no-verify. */
  readonly verify?: boolean;
  readonly sni?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly alpn?: string;
}

export interface TlsPlan {
  readonly wrap: WrapSocketOptions;
  /** emu: with --ca FILE / --cert FILE: the in-process emulator's world holding those files. */
  readonly emulator?: EmulatorOptions;
}

const isIndex = (value: string): boolean => /^\d+$/.test(value);

/** `base` (the in-process emulator's world) with `files` as its certificate store (CA 0, client certificate 0). */
function provisionedWorld(files: { ca?: string; cert?: string; key?: string }, base: WorldConfig): EmulatorOptions {
  const abs = (file: string): string => (isAbsolute(file) ? file : resolve(file));
  const tls = {
    ...(files.ca ? { caFiles: [abs(files.ca)] } : {}),
    ...(files.cert && files.key ? { clientCertFile: abs(files.cert), clientKeyFile: abs(files.key) } : {}),
  };
  try {
    return { world: { ...base, tls: parseWorldConfig({ tls }, 'copro nc').tls } };
  } catch (err) {
    if (!(err instanceof WorldConfigError)) throw err;
    // Name the option, not the config field it stands for.
    const named = err.message.replace(/^copro nc: /, '').replace('tls.caFiles[0]', '--ca');
    throw new Error(named.replace('tls.clientCertFile', '--cert').replace('tls.clientKeyFile', '--key'));
  }
}

/** null without --tls; throws on options that do not go together. `opts.emulator`: the emu: module's world before provisioning. */
export function planTls(opts: NcTlsOptions & { emulator?: EmulatorOptions }, device: string, nc: { udp?: boolean; listen?: number }): TlsPlan | null {
  const given = [opts.ca && '--ca', opts.verify === false && '--no-verify', opts.sni && '--sni', opts.cert && '--cert', opts.key && '--key', opts.alpn && '--alpn'].filter(Boolean);
  if (!opts.tls) {
    if (given.length > 0) throw new Error(`${given.join(', ')} need${given.length === 1 ? 's' : ''} --tls`);
    return null;
  }
  if (nc.udp || nc.listen !== undefined) throw new Error('--tls connects a TLS client: not with -u or -l');
  if (opts.ca && opts.verify === false) throw new Error('--ca and --no-verify contradict each other');
  if (opts.key && (!opts.cert || isIndex(opts.cert))) throw new Error('--key FILE goes with --cert FILE (a store entry N holds its key: --cert N)');
  const emu = isEmuDevice(device);
  const files = {
    ca: opts.ca && !isIndex(opts.ca) ? opts.ca : undefined,
    cert: opts.cert && !isIndex(opts.cert) ? opts.cert : undefined,
  };
  if ((files.ca || files.cert) && !emu) {
    throw new Error(
      "a file for --ca/--cert provisions the in-process emulator only (-d emu:); a real module's certificate store is " +
        'in its flash (docs/tls.md): give the entry number, e.g. --ca 0',
    );
  }
  if (files.cert && !opts.key) throw new Error('--cert FILE needs --key FILE (the private key of that certificate)');
  const wrap: WrapSocketOptions = {
    cert_reqs: opts.verify === false ? CERT_NONE : CERT_REQUIRED,
    ca_certs: opts.ca && isIndex(opts.ca) ? Number(opts.ca) : 0,
    ...(opts.cert ? { certfile: isIndex(opts.cert) ? Number(opts.cert) : 0 } : {}),
    ...(opts.sni ? { server_hostname: opts.sni } : {}),
    ...(opts.alpn ? { alpn: opts.alpn.split(',').filter((p) => p !== '') } : {}),
  };
  return {
    wrap,
    ...(files.ca || files.cert ? { emulator: provisionedWorld({ ca: files.ca, cert: files.cert, key: opts.key }, opts.emulator?.world ?? DEFAULT_WORLD) } : {}),
  };
}

/** A missing store entry on emu:, explained with the options that fix it. */
export function explainTlsFailure(err: unknown, device: string): unknown {
  if (isOSError(err, 'ENOENT') && isEmuDevice(device)) {
    return osError('ENOENT', `${err.detail ?? 'certificate store entry missing'} — with -d emu:, --ca FILE / --cert FILE --key FILE provision it; or --no-verify`);
  }
  return err;
}

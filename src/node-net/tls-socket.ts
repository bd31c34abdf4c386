/**
 * `tls.connect()` over the module: a ModuleSocket whose link is the module's TLS ("SSL" on ESP-AT,
 * nina-fw's TLS mode), with the TLSSocket members libraries read. The handshake happens inside
 * the module, so what it negotiated cannot be read: `alpnProtocol` is false and
 * `getPeerCertificate()` is empty; `authorized` says whether the module was asked to verify the
 * server (a verified connect that fails is an error, never an unauthorized socket).
 */
import type { PeerCertificate } from 'node:tls';
import type { Address, LinkSpec, TlsOptions } from '../backend.js';
import { normalizeConnectArgs } from './connect-args.js';
import { ModuleSocket } from './module-socket.js';
import type { NetContext } from './net-context.js';
import { moduleTlsOptions, serverNameOf } from './tls-options.js';
import type { ModuleTlsConnectOptions } from './tls-options.js';

export class ModuleTlsSocket extends ModuleSocket {
  readonly encrypted = true;
  /** True once connected when the module verified the server (rejectUnauthorized, the default). */
  authorized = false;
  /** The module does not report what the handshake negotiated. */
  alpnProtocol: string | false | null = null;
  /** The SNI sent, or false. */
  servername: string | false = false;
  readonly #tls: ModuleTlsConnectOptions;
  #settings: TlsOptions = {};

  constructor(context: NetContext, options: ModuleTlsConnectOptions) {
    super(context, { allowHalfOpen: options.allowHalfOpen });
    this.#tls = options;
  }

  protected override connectEvent(): string {
    return 'secureConnect';
  }

  protected override linkSpec(remote: Address, host: string): LinkSpec {
    this.#settings = moduleTlsOptions(this.#tls, host);
    this.servername = serverNameOf(this.#tls, host) ?? false;
    return { ...super.linkSpec(remote, host), kind: 'tls', tls: this.#settings };
  }

  protected override announceConnected(): void {
    this.authorized = this.#settings.caIndex !== undefined;
    this.alpnProtocol = false;
    super.announceConnected();
    this.emit('secureConnect');
  }

  /** The module keeps the server's certificate to itself: always empty (as Node's for none). */
  getPeerCertificate(_detailed?: boolean): PeerCertificate | Record<string, never> {
    return {};
  }

  /** Unknown: ESP-AT and nina-fw do not report the negotiated protocol version. */
  getProtocol(): string | null {
    return null;
  }

  isSessionReused(): boolean {
    return false;
  }
}

/** `tls.connect(options[, listener])` / `tls.connect(port[, host][, options][, listener])`. */
export function tlsConnectArgs(args: readonly unknown[]): { options: ModuleTlsConnectOptions; listener?: () => void } {
  const extra = args.find((a, i) => i > 0 && a !== null && typeof a === 'object') as ModuleTlsConnectOptions | undefined;
  const { options, listener } = normalizeConnectArgs(args.filter((a) => a !== extra));
  return { options: { ...extra, ...options }, listener };
}

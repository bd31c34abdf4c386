/**
 * ssl.wrap_socket / SSLContext.wrap_socket. The module runs the TLS (src/usocket/ssl.ts): a socket
 * not yet connected becomes a TLS socket for its connect(). Scripts written for a board connect
 * first and wrap after; ESP-AT cannot upgrade an open TCP link, so then the plain link is closed
 * and the same peer is connected again as TLS, with the same timeout — the handshake happens in
 * wrap_socket(), as it does on a board.
 */
import type { Usocket } from '../../usocket/module.js';
import { CERT_REQUIRED, wrapSocket } from '../../usocket/ssl.js';
import type { WrapSocketOptions } from '../../usocket/ssl.js';
import type { StoreProvisioning } from '../cert-provisioning.js';
import type { SocketTable } from './socket-table.js';
import type { OpTable } from './types.js';

/** What ssl.py sends: certificates as store entry numbers, or base64 of their PEM/DER bytes. */
interface WrapRequest {
  readonly server_side: boolean;
  readonly cert_reqs: number;
  readonly server_hostname: string | null;
  readonly ca: number | string | null;
  readonly cert: number | string | null;
  readonly key: number | string | null;
}

const decoded = (material: string): Buffer => Buffer.from(material, 'base64');

function storeOptions(request: WrapRequest, store: StoreProvisioning): WrapSocketOptions {
  const { ca, cert, key } = request;
  // A CA matters only when the server is verified; an unverified wrap provisions nothing.
  const caIndex = request.cert_reqs !== CERT_REQUIRED || ca === null ? undefined : typeof ca === 'number' ? ca : store.caIndex(decoded(ca));
  let certIndex: number | undefined;
  if (typeof cert === 'number') certIndex = cert;
  else if (cert !== null) certIndex = store.clientIndex(decoded(cert), decoded(typeof key === 'string' ? key : cert));
  return {
    server_side: request.server_side,
    cert_reqs: request.cert_reqs,
    server_hostname: request.server_hostname,
    ca_certs: caIndex,
    certfile: certIndex,
    keyfile: typeof key === 'number' ? key : certIndex,
  };
}

export function tlsOps(usocket: Usocket, table: SocketTable, store: StoreProvisioning): OpTable {
  return {
    wrap: async ([h, request]) => {
      const entry = table.entry(h);
      const options = storeOptions(request as WrapRequest, store);
      const plain = entry.socket;
      if (entry.peer === null) {
        wrapSocket(plain, options);
        return {};
      }
      const secure = usocket.socket(plain.family, plain.type);
      secure.settimeout(plain.gettimeout());
      wrapSocket(secure, options);
      await plain.close();
      entry.socket = secure;
      await secure.connect(entry.peer);
      return {};
    },
  };
}

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { HttpClientModel } from '../../firmware-protocol/at/profile.js';
import { StackError, type VirtualLink } from '../network/types.js';
import { httpTlsOptions } from './http-auth.js';
import { HttpConnection } from './http-connection.js';
import { withConfiguredHeaders } from './http-headers.js';
import type { ModuleCore } from './module-core.js';
import { waitForOutputRoom } from './uart-backpressure.js';

/**
 * The module's HTTP client (esp_http_client under ESP-AT's HTTP commands): Node's HTTP client on a
 * connection of the virtual network stack (http-connection.ts). It knows no AT: the handlers
 * (handlers/http-*.ts) print what it reports.
 *
 * As esp_http_client in ESP-AT 2.4 (UNSURE where marked; the library is closed source):
 * - redirects are not followed (the 3xx answer is the answer);
 * - HTTPS does not verify the server (no certificate is configured in 2.4); SNI is the host name;
 * - a body cut short (peer closed, truncated chunked body, network timeout after the headers) ends
 *   the request with what arrived, as esp_http_client_perform stops reading on a failed read
 *   (UNSURE); a failure before the headers (connect, DNS, policy, timeout) is a failed request.
 */

export type HttpMethod = 'HEAD' | 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequestSpec {
  readonly method: HttpMethod;
  /** An absolute http:// or https:// URL. */
  readonly url: URL;
  /** Headers in the order sent; a later one of the same name replaces an earlier one. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
  /** The read buffer: each read's body bytes are one piece. */
  readonly bufferSize: number;
  readonly timeoutMs: number;
  /** HEAD: stop after the headers. GETSIZE: the same, whatever the method. */
  readonly headersOnly?: boolean;
  /**
   * A request of the firmware's own (AT+CIPFWVER's esp_http_client): connect here instead of the
   * URL's host, and without the HTTP commands' AT+HTTPCHEAD headers and AT+HTTPCFG authentication.
   */
  readonly own?: { readonly ip: string; readonly port: number };
}

export interface HttpResponseInfo {
  readonly status: number;
  /** Header names and values in the order received (Node's rawHeaders). */
  readonly rawHeaders: readonly string[];
  /** Content-Length, or null (chunked or until close). */
  readonly contentLength: number | null;
  /** The body ended early (peer closed, timeout). */
  readonly truncated: boolean;
}

export interface HttpEvents {
  /** The headers are in (before any piece). */
  onHeaders?(response: HttpResponseInfo): void;
  /** One piece of the body as one read of the buffer delivered it. */
  onPiece?(bytes: Uint8Array): void;
}

/** Why a request failed before its response headers came. */
export class HttpRequestError extends Error {
  constructor(
    readonly reason: 'connect' | 'timeout' | 'protocol',
    message: string,
  ) {
    super(message);
    this.name = 'HttpRequestError';
  }
}

/** A URL the client accepts (`http`/`https`, a host), or null. */
export function parseHttpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
    return url;
  } catch {
    return null;
  }
}

function hostHeader(url: URL): string {
  return url.port === '' ? url.hostname : `${url.hostname}:${url.port}`;
}

function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

async function connect(core: ModuleCore, url: URL, timeoutMs: number): Promise<VirtualLink> {
  const name = url.hostname.replace(/^\[|\]$/g, '');
  const ip = isIP(name) ? name : await core.stack.resolve(name);
  const port = portOf(url);
  if (url.protocol === 'http:') return core.stack.connectTcp({ host: ip, port, timeoutMs });
  const connectTls = core.stack.connectTls?.bind(core.stack);
  if (!connectTls) throw new StackError('io', 'this network stack has no TLS');
  return connectTls({
    host: ip,
    port,
    timeoutMs,
    servername: isIP(name) ? null : name,
    // AT+HTTPCFG (4.x): the server checked against https_ca, a client certificate; mode 0 neither.
    ...httpTlsOptions(core, name),
    maxVersion: 'TLSv1.2',
  });
}

/** The request headers as esp_http_client sends them: Host, User-Agent, then the caller's. */
function requestHeaders(model: HttpClientModel, spec: HttpRequestSpec): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ['Host', hostHeader(spec.url)],
    ['User-Agent', model.userAgent],
  ];
  for (const [name, value] of spec.headers) {
    const at = headers.findIndex(([existing]) => existing.toLowerCase() === name.toLowerCase());
    if (at >= 0) headers[at] = [name, value];
    else headers.push([name, value]);
  }
  return headers;
}

/**
 * Runs one request; resolves with the response once its body is over (or cut short), rejects
 * HttpRequestError when no response came.
 */
export async function runHttpRequest(
  core: ModuleCore,
  model: HttpClientModel,
  spec: HttpRequestSpec,
  events: HttpEvents,
): Promise<HttpResponseInfo> {
  if (spec.own === undefined) spec = { ...spec, headers: withConfiguredHeaders(core, spec.headers) };
  let link: VirtualLink;
  try {
    link = spec.own ? await core.stack.connectTcp({ host: spec.own.ip, port: spec.own.port, timeoutMs: spec.timeoutMs }) : await connect(core, spec.url, spec.timeoutMs);
  } catch (error) {
    throw new HttpRequestError('connect', error instanceof Error ? error.message : String(error));
  }
  const connection = new HttpConnection(link, {
    bufferSize: spec.bufferSize,
    timeoutMs: spec.timeoutMs,
    clock: core.clock,
    outputReady: () => waitForOutputRoom(core.transport),
  });
  return new Promise<HttpResponseInfo>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { response: HttpResponseInfo } | { error: HttpRequestError }): void => {
      if (settled) return;
      settled = true;
      connection.destroy();
      if ('response' in outcome) resolve(outcome.response);
      else reject(outcome.error);
    };
    const req = httpRequest({
      method: spec.method,
      path: `${spec.url.pathname}${spec.url.search}`,
      createConnection: () => connection,
      setHost: false,
    });
    req.removeHeader('connection');
    for (const [name, value] of requestHeaders(model, spec)) req.setHeader(name, value);
    let base: Omit<HttpResponseInfo, 'truncated'> | null = null;
    req.on('error', (error) => {
      // After the head, a failed read ends the body; before it, the request failed.
      if (base !== null) return finish({ response: { ...base, truncated: true } });
      const reason = connection.timedOut ? 'timeout' : 'protocol';
      finish({ error: new HttpRequestError(reason, error.message) });
    });
    req.on('response', (res: IncomingMessage) => {
      const length = res.headers['content-length'];
      const head = {
        status: res.statusCode ?? 0,
        rawHeaders: res.rawHeaders,
        contentLength: length === undefined ? null : Number(length),
      };
      base = head;
      events.onHeaders?.({ ...head, truncated: false });
      if (spec.headersOnly) {
        finish({ response: { ...head, truncated: false } });
        return;
      }
      res.on('data', (piece: Buffer) => {
        if (!settled) events.onPiece?.(piece);
      });
      res.on('end', () => finish({ response: { ...head, truncated: false } }));
      res.on('aborted', () => finish({ response: { ...head, truncated: true } }));
      res.on('error', () => finish({ response: { ...head, truncated: true } }));
      res.on('close', () => finish({ response: { ...head, truncated: !res.complete } }));
    });
    req.end(spec.body.length > 0 ? Buffer.from(spec.body) : undefined);
  });
}

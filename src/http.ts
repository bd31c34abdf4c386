/**
 * The module's own HTTP client, as a typed API (`open(device).http`): the module speaks HTTP
 * itself (ESP-AT's AT+HTTPCLIENT family, docs/driver.md "The module's HTTP client"); the host only
 * sends the request and reads the answer. Protocol-neutral: the AT back end implements it
 * (src/at/at-http.ts); a module without an HTTP client has none.
 */

export type HttpMethod = 'HEAD' | 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The content types the module can name in a request (AT+HTTPCLIENT's `<content-type>`). */
export const HTTP_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'application/json', 'multipart/form-data', 'text/xml'] as const;
export type HttpContentType = (typeof HTTP_CONTENT_TYPES)[number];

export interface HttpRequestOptions {
  /** Default GET. */
  readonly method?: HttpMethod;
  /** POST only (the module sends a body with POST alone). */
  readonly body?: string | Uint8Array;
  /** Default application/x-www-form-urlencoded. */
  readonly contentType?: HttpContentType;
  /** Extra request headers, `Name: value` each. */
  readonly headers?: readonly string[];
  /** Each piece of the answer as the module prints it (progress). */
  readonly onPiece?: (piece: Uint8Array) => void;
  /** How long the module may take in all (default 60 s). */
  readonly timeoutMs?: number;
}

export interface HttpAnswer {
  /** The body (empty for HEAD). */
  readonly body: Buffer;
  /** HEAD: the response header lines, `Name: value`; otherwise empty. */
  readonly headerLines: readonly string[];
}

export interface ModuleHttp {
  /**
   * One request. Resolves with the answer of a status below 400 (redirects are not followed);
   * rejects with OSError EIO when the module reports a failure (an error status, no answer), its
   * `detail` naming the status when the module told it (AT+SYSLOG=1).
   */
  request(url: string, options?: HttpRequestOptions): Promise<HttpAnswer>;
  /** The resource's Content-Length (AT+HTTPGETSIZE). */
  size(url: string): Promise<number>;
}

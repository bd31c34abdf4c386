/**
 * The module's HTTP client over ESP-AT (HTTP_AT_Commands.rst): AT+HTTPCLIENT for a request whose
 * line fits the module's 256 bytes, AT+HTTPCPOST for a POST body that does not (or holds CR/LF),
 * AT+HTTPURLCFG first for a URL too long for the line, AT+HTTPGETSIZE for a size. Every line is
 * formatted from the command table; the answer's pieces come as `piece` events.
 */
import { hasCommand } from '../../firmware-protocol/at/command-table.js';
import { formatRequest } from '../../firmware-protocol/at/host-commands.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import { readReply } from '../../firmware-protocol/at/grammar/replies.js';
import { osError } from '../errors.js';
import { HTTP_CONTENT_TYPES, type HttpAnswer, type HttpMethod, type HttpRequestOptions, type ModuleHttp } from '../http.js';
import type { AtReply, AtRequest } from './at-request.js';

export interface HttpEngine {
  command(request: AtRequest): Promise<AtReply>;
  readonly profile: FirmwareProfile;
  /** Sees each piece as it arrives (null: stop). */
  watchPieces(listener: ((piece: Uint8Array) => void) | null): void;
}

const METHOD_NUMBER: Readonly<Record<HttpMethod, 1 | 2 | 3 | 4 | 5>> = { HEAD: 1, GET: 2, POST: 3, PUT: 4, DELETE: 5 };
const DEFAULT_TIMEOUT_MS = 60_000;
/** The request headers AT+HTTPCLIENT and AT+HTTPCPOST take (the table's header1..header8). */
const MAX_HEADERS = 8;
const HEADER_KEYS = ['header1', 'header2', 'header3', 'header4', 'header5', 'header6', 'header7', 'header8'] as const;
type HeaderParams = { [K in (typeof HEADER_KEYS)[number]]?: string };

/** `ERR CODE:0x010a7xxx` (AT+SYSLOG=1): the HTTP status, 0 for "no answer". */
const HTTP_ERR_CODE = /^ERR CODE:0x010a7([0-9a-f]{3})$/;

function headerParams(headers: readonly string[]): HeaderParams {
  const params: HeaderParams = {};
  headers.forEach((header, index) => {
    params[HEADER_KEYS[index]] = header;
  });
  return params;
}

function failure(reply: AtReply, what: string): Error {
  for (const line of reply.lines) {
    const match = HTTP_ERR_CODE.exec(line);
    if (match === null) continue;
    const status = parseInt(match[1], 16);
    return osError('EIO', status === 0 ? `${what}: the server could not be reached or did not answer` : `${what}: HTTP status ${status}`);
  }
  return osError('EIO', `${what} failed (the module answered ${reply.result}; AT+SYSLOG=1 makes it say why)`);
}

export class AtHttp implements ModuleHttp {
  constructor(private readonly engine: HttpEngine) {}

  private get profile(): FirmwareProfile {
    return this.engine.profile;
  }

  private fits(line: Uint8Array): boolean {
    return line.length - 2 <= this.profile.limits.maxLineLength;
  }

  private request_(line: Uint8Array, timeoutMs: number, payload?: Uint8Array): AtRequest {
    return payload === undefined ? { line, timeoutMs } : { line, timeoutMs, payload };
  }

  /** AT+HTTPURLCFG=<len>, then the URL after the prompt: later commands name it with `""`. */
  private async setLongUrl(url: string): Promise<void> {
    const bytes = Buffer.from(url, 'latin1');
    const reply = await this.engine.command(this.request_(formatRequest(this.profile, 'HTTPURLCFG', 'set', { url_length: bytes.length }), 5_000, bytes));
    if (reply.result !== 'SET OK') throw osError('EINVAL', `the module refused the ${bytes.length}-byte URL (AT+HTTPURLCFG answered ${reply.result})`);
  }

  private async clearLongUrl(): Promise<void> {
    await this.engine.command(this.request_(formatRequest(this.profile, 'HTTPURLCFG', 'set', { url_length: 0 }), 5_000)).catch(() => undefined);
  }

  /** Runs `send` with the URL on the line, or preset by AT+HTTPURLCFG when the line would be too long. */
  private async withUrl<T>(url: string, line: (url: string) => Uint8Array, send: (line: Uint8Array) => Promise<T>): Promise<T> {
    const direct = line(url);
    if (this.fits(direct)) return send(direct);
    if (!hasCommand(this.profile, 'HTTPURLCFG')) throw osError('EINVAL', 'the URL is too long for the module');
    await this.setLongUrl(url);
    try {
      const viaConfig = line('');
      if (!this.fits(viaConfig)) throw osError('EINVAL', 'the request headers are too long for one module command');
      return await send(viaConfig);
    } finally {
      await this.clearLongUrl();
    }
  }

  private async run(line: Uint8Array, options: HttpRequestOptions, payload?: Uint8Array): Promise<AtReply> {
    this.engine.watchPieces(options.onPiece ?? null);
    try {
      return await this.engine.command(this.request_(line, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, payload));
    } finally {
      this.engine.watchPieces(null);
    }
  }

  async request(url: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
    if (!hasCommand(this.profile, 'HTTPCLIENT')) throw osError('EOPNOTSUPP', `${this.profile.title} has no HTTP client`);
    const method = options.method ?? 'GET';
    const body = typeof options.body === 'string' ? Buffer.from(options.body, 'latin1') : Buffer.from(options.body ?? new Uint8Array(0));
    if (body.length > 0 && method !== 'POST') throw osError('EINVAL', 'the module sends a request body with POST only');
    const headers = options.headers ?? [];
    if (headers.length > MAX_HEADERS) throw osError('EINVAL', `the module takes at most ${MAX_HEADERS} request headers`);
    const contentType = HTTP_CONTENT_TYPES.indexOf(options.contentType ?? HTTP_CONTENT_TYPES[0]);
    const what = `${method} ${url}`;
    // The body rides in the command line when it fits there and is text the line can carry.
    const inLine = !body.includes(0x0d) && !body.includes(0x0a);
    const clientLine = (target: string): Uint8Array => {
      // Without a body the parameter after <transport_type> is the first header (the table's `data` slot).
      const [first, ...rest] = method === 'POST' ? [body.toString('latin1'), ...headers] : headers;
      return formatRequest(this.profile, 'HTTPCLIENT', 'set', {
        opt: METHOD_NUMBER[method],
        content_type: contentType as 0 | 1 | 2 | 3,
        url: target,
        transport_type: url.startsWith('https:') ? 2 : 1,
        data: first,
        ...headerParams(rest),
      });
    };
    const tryClient = method !== 'POST' || (inLine && this.fits(clientLine('')));
    const reply = tryClient
      ? await this.withUrl(url, clientLine, (line) => this.run(line, options))
      : await this.post(url, body, contentType, headers, options);
    if (reply.result !== 'OK' && reply.result !== 'SEND OK') throw failure(reply, what);
    const text = reply.pieces.map((piece) => Buffer.from(piece).toString('latin1'));
    return method === 'HEAD' ? { body: Buffer.alloc(0), headerLines: text } : { body: Buffer.concat(reply.pieces), headerLines: [] };
  }

  /** AT+HTTPCPOST: the body after the prompt; the content type as a header (its default is urlencoded). */
  private post(url: string, body: Buffer, contentType: number, headers: readonly string[], options: HttpRequestOptions): Promise<AtReply> {
    const all = contentType === 0 ? headers : [`Content-Type: ${HTTP_CONTENT_TYPES[contentType]}`, ...headers];
    if (all.length > MAX_HEADERS) throw osError('EINVAL', `the module takes at most ${MAX_HEADERS} request headers`);
    if (body.length === 0) throw osError('EINVAL', 'AT+HTTPCPOST needs a body of at least one byte');
    const line = (target: string): Uint8Array =>
      formatRequest(this.profile, 'HTTPCPOST', 'set', { url: target, length: body.length, header_cnt: all.length, ...headerParams(all) });
    return this.withUrl(url, line, (formatted) => this.run(formatted, options, body));
  }

  async size(url: string): Promise<number> {
    if (!hasCommand(this.profile, 'HTTPGETSIZE')) throw osError('EOPNOTSUPP', `${this.profile.title} has no HTTP client`);
    const reply = await this.withUrl(
      url,
      (target) => formatRequest(this.profile, 'HTTPGETSIZE', 'set', { url: target }),
      (line) => this.engine.command(this.request_(line, DEFAULT_TIMEOUT_MS)),
    );
    if (reply.result !== 'OK') throw failure(reply, `size of ${url}`);
    const size = readReply(this.profile, 'HTTPGETSIZE', reply).size?.size;
    if (size === undefined) throw osError('EIO', 'the module did not say the size');
    return size;
  }
}

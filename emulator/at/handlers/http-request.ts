import type { HttpClientModel } from '../../../firmware-protocol/at/profile.js';
import type { Handler, Handlers } from '../handler-types.js';
import { parseHttpUrl, runHttpRequest, type HttpMethod } from '../http-client.js';
import type { ModuleCore } from '../module-core.js';
import { hasIp } from '../station-events.js';
import {
  HTTP_ERROR_BASE,
  answerHttpFailure,
  answerHttpStatus,
  httpModel,
  isErrorStatus,
  longUrl,
  splitHeader,
  writePiece,
} from './http-common.js';

/** AT+HTTPCLIENT, AT+HTTPGETSIZE, AT+HTTPCGET (HTTP_AT_Commands.rst). */

/** `<opt>` 1..5. */
const METHODS: readonly HttpMethod[] = ['HEAD', 'GET', 'POST', 'PUT', 'DELETE'];

/** The URL a command names: its own, else the one AT+HTTPURLCFG set. */
function namedUrl(core: ModuleCore, given: string | undefined): string | null {
  if (given !== undefined && given !== '') return given;
  return longUrl(core);
}

/**
 * A GET's model and URL once the firmware's checks passed: the HTTP client exists, the URL (given, or
 * AT+HTTPURLCFG's) parses, the module has an address. Null once the refusal is answered.
 */
function getTarget(core: ModuleCore, given: string | undefined): { model: HttpClientModel; url: URL } | null {
  const model = httpModel(core);
  if (!model) {
    core.error('exec-failed');
    return null;
  }
  const text = namedUrl(core, given);
  const url = text === null ? null : parseHttpUrl(text);
  if (!url) {
    core.error('param-invalid');
    return null;
  }
  if (!hasIp(core)) {
    core.error('exec-failed', undefined, HTTP_ERROR_BASE);
    return null;
  }
  return { model, url };
}

function headerParams(params: Readonly<Record<string, unknown>>, names: readonly string[]): string[] {
  const headers: string[] = [];
  for (const name of names) {
    const value = params[name];
    if (typeof value === 'string') headers.push(value);
  }
  return headers;
}

const HEADER_NAMES = ['header1', 'header2', 'header3', 'header4', 'header5', 'header6', 'header7', 'header8'] as const;

const clientSet: Handler<'HTTPCLIENT', 'set'> = async (core, call) => {
  const model = httpModel(core);
  if (!model) return core.error('exec-failed');
  const p = call.params;
  const method = METHODS[p.opt - 1];
  // <"url"> wins; else AT+HTTPURLCFG's; else host and path over <transport_type>.
  let text = namedUrl(core, p.url);
  if (text === null) {
    if (p.host === undefined || p.host === '') return core.error('param-invalid');
    text = `${p.transport_type === 2 ? 'https' : 'http'}://${p.host}${p.path ?? '/'}`;
  }
  const url = parseHttpUrl(text);
  if (!url) return core.error('param-invalid');
  // <"data"> exists for POST only; otherwise that parameter is the first request header.
  const extra = headerParams(p, method === 'POST' ? HEADER_NAMES : ['data', ...HEADER_NAMES]);
  const body = method === 'POST' ? Buffer.from(p.data ?? '', 'latin1') : Buffer.alloc(0);
  const headers: Array<[string, string]> = [
    ['Content-Type', model.contentTypes[p.content_type]],
    ['Content-Length', String(body.length)],
  ];
  for (const header of extra) {
    const split = splitHeader(header);
    if (!split) return core.error('param-invalid');
    headers.push(split);
  }
  if (!hasIp(core)) return core.error('exec-failed', undefined, HTTP_ERROR_BASE);
  const epoch = core.epoch;
  try {
    const response = await runHttpRequest(
      core,
      model,
      { method, url, headers, body, bufferSize: model.bufferSize, timeoutMs: model.timeoutMs, headersOnly: method === 'HEAD' },
      {
        onHeaders: (info) => {
          if (method !== 'HEAD' || !core.isCurrent(epoch)) return;
          for (let i = 0; i + 1 < info.rawHeaders.length; i += 2) {
            writePiece(core, call, Buffer.from(`${info.rawHeaders[i]}: ${info.rawHeaders[i + 1]}`, 'latin1'));
          }
        },
        onPiece: (bytes) => {
          if (core.isCurrent(epoch)) writePiece(core, call, bytes);
        },
      },
    );
    if (!core.isCurrent(epoch)) return;
    if (response.truncated) core.tracer.note('HTTP body cut short: the firmware ends the request with what came');
    if (isErrorStatus(response.status)) return answerHttpStatus(core, response.status);
    core.ok();
  } catch (error) {
    if (core.isCurrent(epoch)) answerHttpFailure(core, error, `HTTP ${method} ${url.href}`);
  }
};

/** GET, headers only: `+HTTPGETSIZE:<Content-Length>`. */
const getSizeSet: Handler<'HTTPGETSIZE', 'set'> = async (core, call) => {
  const target = getTarget(core, call.params.url);
  if (!target) return;
  const { model, url } = target;
  const epoch = core.epoch;
  try {
    const response = await runHttpRequest(
      core,
      model,
      { method: 'GET', url, headers: [['Content-Length', '0']], body: Buffer.alloc(0), bufferSize: model.bufferSize, timeoutMs: model.timeoutMs, headersOnly: true },
      {},
    );
    if (!core.isCurrent(epoch)) return;
    if (isErrorStatus(response.status)) return answerHttpStatus(core, response.status);
    if (response.contentLength === null) {
      core.tracer.note('HTTPGETSIZE: the answer has no Content-Length');
      return core.error('exec-failed', undefined, HTTP_ERROR_BASE);
    }
    core.reply(call, 'size', { size: response.contentLength });
    core.ok();
  } catch (error) {
    if (core.isCurrent(epoch)) answerHttpFailure(core, error, `HTTP size of ${url.href}`);
  }
};

/** GET with the body in `+HTTPCGET:` pieces of at most <rx size>. */
const cgetSet: Handler<'HTTPCGET', 'set'> = async (core, call) => {
  const target = getTarget(core, call.params.url);
  if (!target) return;
  const { model, url } = target;
  const bufferSize = call.params.rx_size || model.cgetRxSize;
  const timeoutMs = call.params.timeout || model.timeoutMs;
  const epoch = core.epoch;
  try {
    const response = await runHttpRequest(
      core,
      model,
      { method: 'GET', url, headers: [['Content-Length', '0']], body: Buffer.alloc(0), bufferSize, timeoutMs },
      {
        onPiece: (bytes) => {
          if (core.isCurrent(epoch)) writePiece(core, call, bytes);
        },
      },
    );
    if (!core.isCurrent(epoch)) return;
    if (isErrorStatus(response.status)) return answerHttpStatus(core, response.status);
    core.ok();
  } catch (error) {
    if (core.isCurrent(epoch)) answerHttpFailure(core, error, `HTTP GET ${url.href}`);
  }
};

export const HTTP_REQUEST_HANDLERS = {
  HTTPCLIENT: { set: clientSet },
  HTTPGETSIZE: { set: getSizeSet },
  HTTPCGET: { set: cgetSet },
} satisfies Handlers;

import { HTTP_URL_MIN_LENGTH } from '../../../firmware-protocol/at/commands/http.js';
import { finalResult, okPrompt } from '../../../firmware-protocol/at/module-output.js';
import type { Handler, Handlers } from '../handler-types.js';
import { parseHttpUrl, runHttpRequest } from '../http-client.js';
import { addConfiguredHeader, clearConfiguredHeaders, configuredHeaders } from '../http-headers.js';
import { hasIp } from '../station-events.js';
import {
  HTTP_ERROR_BASE,
  answerHttpStatus,
  httpModel,
  isErrorStatus,
  longUrl,
  setLongUrl,
  splitHeader,
  writePiece,
} from './http-common.js';

/** AT+HTTPCPOST, AT+HTTPCPUT (4.x), AT+HTTPCHEAD (4.x), AT+HTTPURLCFG: commands whose data follows the `>` prompt. */

const HEADER_NAMES = ['header1', 'header2', 'header3', 'header4', 'header5', 'header6', 'header7', 'header8'] as const;

/**
 * `OK`, the prompt, <length> bytes, then the POST: `+HTTPCPOST:` pieces and `SEND OK`; `SEND FAIL`
 * when no answer came; an answer of 400 or more is `ERROR` (esp-at issue #827: "it always
 * returns the ERROR if errno > 400"), with `ERR CODE:0x010a7<status>` under AT+SYSLOG=1.
 */
const uploadSet = (method: 'POST' | 'PUT'): Handler<'HTTPCPOST' | 'HTTPCPUT', 'set'> => (core, call) => {
  const model = httpModel(core);
  if (!model) return core.error('exec-failed');
  const p = call.params;
  const text = p.url !== undefined && p.url !== '' ? p.url : longUrl(core);
  const url = text === null ? null : parseHttpUrl(text);
  if (!url) return core.error('param-invalid');
  if (p.length > model.maxPostLength) return core.error('param-invalid');
  const given = HEADER_NAMES.map((name) => p[name]).filter((value): value is string => value !== undefined);
  if (given.length !== (p.header_cnt ?? 0)) return core.error('param-number');
  const headers: Array<[string, string]> = [['Content-Type', model.contentTypes[0]]];
  for (const header of given) {
    const split = splitHeader(header);
    if (!split) return core.error('param-invalid');
    headers.push(split);
  }
  if (!hasIp(core)) return core.error('exec-failed', undefined, HTTP_ERROR_BASE);
  core.write(okPrompt(core.profile));
  core.expectData(p.length, false, async (body) => {
    const epoch = core.epoch;
    try {
      const response = await runHttpRequest(
        core,
        model,
        {
          method,
          url,
          headers: [...headers, ['Content-Length', String(body.length)]],
          body,
          bufferSize: model.bufferSize,
          timeoutMs: model.timeoutMs,
        },
        {
          onPiece: (bytes) => {
            if (core.isCurrent(epoch)) writePiece(core, call, bytes);
          },
        },
      );
      if (!core.isCurrent(epoch)) return;
      if (isErrorStatus(response.status)) return answerHttpStatus(core, response.status);
      core.write(finalResult('SEND OK'));
    } catch (error) {
      if (!core.isCurrent(epoch)) return;
      core.tracer.note(`HTTP ${method} ${url.href} failed: ${error instanceof Error ? error.message : String(error)}`);
      core.write(finalResult('SEND FAIL'));
    }
  });
};

/** 0 clears the URL; 8..8192: `OK`, the prompt, the URL's bytes, `SET OK`. */
const urlCfgSet: Handler<'HTTPURLCFG', 'set'> = (core, call) => {
  const length = call.params.url_length;
  if (length === 0) {
    setLongUrl(core, null);
    return core.ok();
  }
  if (length < HTTP_URL_MIN_LENGTH) return core.error('param-invalid');
  core.write(okPrompt(core.profile));
  core.expectData(length, false, (bytes) => {
    setLongUrl(core, Buffer.from(bytes).toString('latin1'));
    core.write(finalResult('SET OK'));
  });
};

/** `+HTTPURLCFG:<len>,<url>` (`0,` when none is set: UNSURE, the docs bracket the line). */
const urlCfgQuery: Handler<'HTTPURLCFG', 'query'> = (core, call) => {
  const url = longUrl(core) ?? '';
  core.reply(call, 'url', { length: url.length, url });
  core.ok();
};

/** 0 clears every header; else `OK`, the prompt, the header's bytes (`key: value`), `OK`. */
const headerSet: Handler<'HTTPCHEAD', 'set'> = (core, call) => {
  const length = call.params.req_header_len;
  if (length === 0) {
    clearConfiguredHeaders(core);
    return core.ok();
  }
  core.write(okPrompt(core.profile));
  core.expectData(length, false, (bytes) => {
    if (!addConfiguredHeader(core, Buffer.from(bytes).toString('latin1'))) return core.error('param-invalid');
    core.ok();
  });
};

/** `+HTTPCHEAD:<index>,"<key>:<value>"` per header, as entered. */
const headerQuery: Handler<'HTTPCHEAD', 'query'> = (core, call) => {
  configuredHeaders(core).forEach(({ name, value }, index) => core.reply(call, 'header', { index, req_header: `${name}:${value}` }));
  core.ok();
};

export const HTTP_UPLOAD_HANDLERS = {
  HTTPCPOST: { set: uploadSet('POST') },
  HTTPCPUT: { set: uploadSet('PUT') },
  HTTPCHEAD: { set: headerSet, query: headerQuery },
  HTTPURLCFG: { set: urlCfgSet, query: urlCfgQuery },
} satisfies Handlers;

import type { CommandDecl } from '../command-spec.js';
import { bare, integer, quoted } from '../grammar/fields.js';
import { info, infoEach, words } from '../grammar/line-spec.js';
import { any, INT32_MAX, int, opt, str } from './spec-builders.js';

/**
 * The module's HTTP client (ESP-AT v2.4.2.0 HTTP_AT_Commands.rst; the core library's format strings
 * in at_httpCmd.c: `%s:%d,` + data + `\r\n` for a piece of the body, `%s:%d,%s%s%s\r\n` with
 * `": "` for a response header, `%s:%d\r\n` for AT+HTTPGETSIZE, `\r\nSET OK\r\n` for
 * AT+HTTPURLCFG). The lead is the name of the command that runs (`+HTTPCLIENT:`, `+HTTPCGET:`,
 * `+HTTPCPOST:`): the firmware prints `esp_at_get_current_cmd_name()`.
 */

/** Request headers after the fixed parameters: as many as fit in a 256-byte line. */
const HEADERS = [
  opt(str('header1')),
  opt(str('header2')),
  opt(str('header3')),
  opt(str('header4')),
  opt(str('header5')),
  opt(str('header6')),
  opt(str('header7')),
  opt(str('header8')),
] as const;

/** The longest AT+HTTPCHEAD header (UNSURE: the docs give no limit; the URL's). */
const HEADER_MAX_LENGTH = 8192;

/** The largest AT+HTTPURLCFG URL and the smallest (0 clears it). */
export const HTTP_URL_MAX_LENGTH = 8192;
export const HTTP_URL_MIN_LENGTH = 8;

/** `<"url">[,<tx size>][,<rx size>][,<timeout>]` (AT+HTTPCGET). */
const BUFFER_SIZE_MAX = 10240;
const TIMEOUT_MAX_MS = 180000;

export const HTTP_COMMANDS = {
  HTTPCLIENT: {
    area: 'http',
    forms: ['set'],
    // `<"data">` exists for POST only; for other methods the parameter after <transport_type> is the first header.
    set: [
      any(
        int('opt', 1, 5),
        int('content_type', 0, 3),
        opt(str('url')),
        opt(str('host')),
        opt(str('path')),
        int('transport_type', 1, 2),
        opt(str('data')),
        ...HEADERS,
      ),
    ],
    summary: 'HTTP request (HEAD, GET, POST, PUT, DELETE)',
  },
  HTTPGETSIZE: {
    area: 'http',
    forms: ['set'],
    set: [any(opt(str('url')))],
    summary: 'HTTP resource size',
    lines: { size: info(integer('size')) },
  },
  HTTPCGET: {
    area: 'http',
    forms: ['set'],
    set: [
      any(
        opt(str('url')),
        opt(int('tx_size', 0, BUFFER_SIZE_MAX)),
        opt(int('rx_size', 0, BUFFER_SIZE_MAX)),
        opt(int('timeout', 0, TIMEOUT_MAX_MS)),
      ),
    ],
    summary: 'HTTP GET of a resource',
  },
  HTTPCPOST: {
    area: 'http',
    forms: ['set'],
    set: [any(opt(str('url')), int('length', 1), opt(int('header_cnt', 0, HEADERS.length)), ...HEADERS)],
    summary: 'HTTP POST of <length> bytes sent after the prompt',
  },
  HTTPCPUT: {
    area: 'http',
    forms: ['set'],
    // ESP-AT 4.x: as AT+HTTPCPOST, with PUT.
    set: [any(opt(str('url')), int('length', 1), opt(int('header_cnt', 0, HEADERS.length)), ...HEADERS)],
    summary: 'HTTP PUT of <length> bytes sent after the prompt',
  },
  HTTPCHEAD: {
    area: 'http',
    forms: ['query', 'set'],
    // ESP-AT 4.x: `AT+HTTPCHEAD=<req_header_len>`, the header after the prompt; 0 clears them all.
    set: [any(int('req_header_len', 0, HEADER_MAX_LENGTH))],
    summary: 'Request headers sent with every HTTP command',
    // The 4.1 core library's `%s:%d,"%s:%s"`.
    lines: { header: infoEach(integer('index'), quoted('req_header', '.*')) },
  },
  // ESP-AT 4.x (HTTP_AT_Commands.rst v4.1.1.0): `AT+HTTPCFG=<auth_mode>[,<pki_number>][,<ca_number>]`.
  // at_setup_cmd_httpcfg (libesp32c3_at_core.a): auth_mode 0..3; 0 takes no more parameters, 1..3
  // take both numbers (>= 0); bit 0 needs https_cert and https_key <pki_number>, bit 1 https_ca
  // <ca_number> in the manufacturing NVS, else `NO CERT FOUND` / `NO PRVT_KEY FOUND` / `NO CA FOUND`
  // then ERROR. RAM only (s_http_pki), for every HTTP command after it.
  HTTPCFG: {
    area: 'http',
    forms: ['set'],
    set: [any(int('auth_mode', 0, 3), opt(int('pki_number', 0, INT32_MAX)), opt(int('ca_number', 0, INT32_MAX)))],
    summary: 'HTTP client TLS authentication: client certificate, server CA, both',
    lines: { missing: words('NO CERT FOUND', 'NO PRVT_KEY FOUND', 'NO CA FOUND') },
  },
  HTTPURLCFG: {
    area: 'http',
    forms: ['query', 'set'],
    set: [any(int('url_length', 0, HTTP_URL_MAX_LENGTH))],
    summary: 'Long HTTP URL, sent after the prompt',
    // The URL is the rest of the line, commas and all.
    lines: { url: info(integer('length'), bare('url', '.*')) },
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

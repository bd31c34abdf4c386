import type { CommandDecl, ParamSpec } from '../command-spec.js';
import { bare, integer, list, type TextField } from '../grammar/fields.js';
import { info, infoEach, words } from '../grammar/line-spec.js';
import { INT32_MAX, LINK_ID_OR_ALL, any, int, multi, opt, single, str } from './spec-builders.js';

/**
 * SSL client configuration (esp-at.md §5). In 2.x the link id exists only with CIPMUX=1, where
 * 5 means every link.
 */
function perLink<const P extends readonly ParamSpec[]>(...params: P) {
  return [single(...params), multi(LINK_ID_OR_ALL, ...params)] as const;
}

const ALPN_MAX_LENGTH = 64;
/** `<"psk">` and `<"hint">`: "Maximum length: 32". */
const PSK_MAX_LENGTH = 32;
const alpn = <const N extends string>(name: N) => opt(str(name, ALPN_MAX_LENGTH));

/**
 * AT+CIPSSLCCIPHER's `<cipher_suite>` places: more than a 256-byte command line can hold (each
 * takes at least 3 bytes), so the line length, not this number, is the limit the docs state.
 * Each is read by esp_at_get_para_as_digit: decimal or `0x` hexadecimal, any 32-bit value (the
 * handler checks it against the library's list).
 */
const CIPHER_SUITE_PLACES = 80;
const cipherSuitePlaces = Array.from({ length: CIPHER_SUITE_PLACES }, (_, index) =>
  opt({ ...int(`cipher_suite${index + 1}` as `cipher_suite${number}`, -INT32_MAX - 1, INT32_MAX), hex: true }),
);
/** A suite as the query prints it: `0x%04X`. */
const suiteHex: TextField<'cipher_suite'> = bare('cipher_suite', '0x[0-9A-F]{4,}');

export const SSL_COMMANDS = {
  CIPSSLCCONF: {
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(int('auth_mode', 0, 3), opt(int('pki_number', 0, 255)), opt(int('ca_number', 0, 255))),
    summary: 'SSL client authentication mode',
    lines: {
      config: infoEach(integer('link_id'), integer('auth_mode'), integer('pki_number'), integer('ca_number')),
      /** The store lacks what the mode names (the 2.x core library's words). */
      missing: words('NO CERT FOUND', 'NO PRVT_KEY FOUND', 'NO CA FOUND'),
    },
    variants: {
      /**
       * NonOS: one SSL connection, so no link id; bit 0 loads the client certificate, bit 1 the CA
       * (store entries 0). Saved to flash; a missing entry is a plain ERROR.
       */
      bits: {
        summary: 'SSL client certificate/CA loading (bit mask)',
        forms: ['query', 'set'],
        set: [any(int('mode', 0, 3))],
        lines: { mode: info(integer('mode')) },
      },
    },
  },
  CIPSSLCCN: {
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(str('common_name', 64)),
    summary: 'Expected server certificate common name',
    // `%s:%d,%s`: the name is not quoted, although the docs show quotes.
    lines: { name: infoEach(integer('link_id'), bare('name')) },
  },
  CIPSSLCSNI: {
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(str('sni', 64)),
    summary: 'SSL server name indication',
    lines: { name: infoEach(integer('link_id'), bare('name')) },
  },
  CIPSSLCALPN: {
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(int('counts', 0, 5), alpn('alpn1'), alpn('alpn2'), alpn('alpn3'), alpn('alpn4'), alpn('alpn5')),
    summary: 'SSL ALPN protocols',
    lines: { protocols: infoEach(integer('link_id'), list('protocols', 'text')) },
  },
  /**
   * The pre-shared key for PSK cipher suites, used when the server is not verified (esp-tls takes
   * a PSK only without a CA). Despite the docs' words, `<"psk">` is the key and `<"hint">` the
   * identity sent to the server (esp-tls: `mbedtls_ssl_conf_psk(key, hint)`). Query `%s:%d,%s,%s`:
   * unquoted, as the other CIPSSLC* queries.
   */
  CIPSSLCPSK: {
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(str('psk', PSK_MAX_LENGTH), str('hint', PSK_MAX_LENGTH)),
    summary: 'SSL client pre-shared key and its identity (hint)',
    lines: { psk: infoEach(integer('link_id'), bare('psk'), bare('hint')) },
  },
  /** 4.x: the same with the key in hexadecimal (`"70736b"` is "psk"), so it may hold 0x00 bytes. */
  CIPSSLCPSKHEX: {
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(str('psk', PSK_MAX_LENGTH * 2), str('hint', PSK_MAX_LENGTH)),
    summary: 'SSL client pre-shared key in hexadecimal and its identity (hint)',
    lines: { psk: infoEach(integer('link_id'), bare('psk'), bare('hint')) },
  },
  /**
   * ESP-AT 4.x: the cipher suites a link's ClientHello offers. The query lists the suites the
   * firmware's TLS library supports (esp_tls_get_ciphersuites_list), not the configured ones:
   * `%s:%d,0x%04X` per suite with its index from 0. The set form takes `<counts>` and that many
   * suites (0 clears: the library's whole list again); the core library keeps them in RAM only.
   */
  CIPSSLCCIPHER: {
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(int('counts', 0, INT32_MAX), ...cipherSuitePlaces),
    summary: 'Cipher suites the SSL client offers (query: the suites the TLS library has)',
    lines: { suite: infoEach(integer('idx'), suiteHex) },
  },
  CIPSSLSIZE: {
    area: 'ssl',
    forms: ['set'],
    set: [any(int('size', 2048, 4096))],
    summary: 'SSL buffer size (NonOS only)',
  },
} as const satisfies Readonly<Record<string, CommandDecl>>;

import { linkIdOf, type Handler, type Handlers } from '../handler-types.js';

/**
 * AT+CIPSSLCCIPHER (ESP-AT 4.x), as the 4.1.1.0 core library's at_query_cmd_cipher /
 * at_setup_cmd_cipher do it:
 * - Query: `+CIPSSLCCIPHER:<idx>,0x%04X` for every suite of the TLS library's list
 *   (esp_tls_get_ciphersuites_list, the profile's ssl.cipherSuites), then OK. It shows the
 *   library's suites, not the configured ones (nothing shows those).
 * - Set: `[<link ID>,]<counts>[,<cipher_suite>...]`; exactly `<counts>` suites must follow (one
 *   more or fewer: ERROR). A suite the library lacks is logged (`invalid cipher: 0x%04x`, on the
 *   log port, not the AT port: a trace note here) and kept; when none of them is in the list the
 *   firmware logs `all ciphersuites are not supported` and answers ERROR, changing nothing.
 *   `<counts>` 0 clears the link's list (the library's whole list again). Link id 5 with CIPMUX=1
 *   sets every link. The link's state is not checked: the list applies to its next connection.
 *   RAM only.
 */

const hex4 = (id: number): string => `0x${(id >>> 0).toString(16).toUpperCase().padStart(4, '0')}`;

const cipherQuery: Handler<'CIPSSLCCIPHER', 'query'> = (core, call) => {
  const suites = core.profile.ssl.cipherSuites;
  if (suites === undefined) return core.error('exec-failed');
  suites.forEach((suite, idx) => core.reply(call, 'suite', { idx, cipher_suite: hex4(suite.id) }));
  core.ok();
};

const cipherSet: Handler<'CIPSSLCCIPHER', 'set'> = (core, call) => {
  const { params } = call;
  const count = params.counts;
  const given: (number | undefined)[] = [];
  for (let place = 1; place <= 80; place += 1) given.push(params[`cipher_suite${place}`]);
  const suites = given.slice(0, count);
  // `<counts>` says how many suites follow: one missing, empty or extra is a wrong parameter number.
  if (suites.length !== count || suites.some((s) => s === undefined) || given.slice(count).some((s) => s !== undefined)) {
    return core.error('param-number');
  }
  const ids = suites.filter((s): s is number => s !== undefined);
  const known = new Set((core.profile.ssl.cipherSuites ?? []).map((suite) => suite.id));
  const unknown = ids.filter((id) => !known.has(id));
  for (const id of unknown) {
    core.tracer.note(`CIPSSLCCIPHER: invalid cipher: ${hex4(id).toLowerCase()} (not in the TLS library's list; kept, never offered)`);
  }
  if (ids.length > 0 && unknown.length === ids.length) {
    core.tracer.note('CIPSSLCCIPHER: all ciphersuites are not supported');
    return core.error('exec-failed');
  }
  const id = linkIdOf(params);
  const table = core.settings.volatile.sslNames;
  const targets = id === core.links.allLinksId ? table.map((_, index) => index) : [id];
  for (const target of targets) table[target] = { ...table[target], cipherSuites: ids };
  core.ok();
};

export const TCPIP_SSL_CIPHER_HANDLERS = {
  CIPSSLCCIPHER: { query: cipherQuery, set: cipherSet },
} satisfies Handlers;

import { linkIdOf, type Handler, type Handlers } from '../handler-types.js';
import type { ModuleCore } from '../module-core.js';
import type { SslClientAuth, SslLinkNames } from '../module-settings.js';
import { certificateStore } from '../pki-store.js';

/**
 * SSL client configuration (esp-at.md §5): AT+CIPSSLCCONF, AT+CIPSSLCCN, AT+CIPSSLCSNI,
 * AT+CIPSSLCALPN (2.x) and AT+CIPSSLSIZE plus the bit-mask AT+CIPSSLCCONF (NonOS 1.7, the `bits`
 * variant).
 *
 * Wire forms follow the 2.x core library's format strings rather than the docs where they differ:
 * - CIPSSLCCONF? prints `+CIPSSLCCONF:<id>,<auth_mode>,<pki>,<ca>` for every link id 0..4, whatever
 *   CIPMUX is;
 * - CIPSSLCCN? / CIPSSLCSNI? print `+CIPSSLCCN:<id>,<name>` (`%s:%d,%s`: the name is NOT quoted,
 *   although the docs show quotes) for each link id that has one;
 * - CIPSSLCALPN? prints `+CIPSSLCALPN:<id>,<p1>,<p2>...` (unquoted) for each link id with ALPN.
 * Set forms take a link id only with CIPMUX=1; 5 means every link. Names and ALPN of a link that is
 * connected cannot change (the firmware checks the link first): ERROR. CIPSSLCCONF checks the
 * certificate store: `NO CERT FOUND` / `NO CA FOUND` then ERROR when the entry does not exist, and
 * is saved to flash under AT+SYSSTORE=1; the names live in RAM until the next boot.
 */

function everyId(core: ModuleCore): number[] {
  return Array.from({ length: core.links.capacity }, (_, index) => index);
}

/** The link ids a set command addresses: one, or every id for 5 in multi-link mode. */
function targetIds(core: ModuleCore, params: { readonly link_id?: number }): number[] {
  const id = linkIdOf(params);
  return id === core.links.allLinksId ? everyId(core) : [id];
}

function isConnected(core: ModuleCore, id: number): boolean {
  return !core.links.isFree(id);
}

// ---- AT+CIPSSLCCONF -------------------------------------------------------------------------

const confQuery: Handler<'CIPSSLCCONF', 'query'> = (core, call) => {
  const clients = core.settings.current.sslClients;
  if (call.variant === 'bits') {
    core.reply(call, 'mode', { mode: clients[0].authMode });
  } else {
    clients.forEach((auth, id) => {
      core.reply(call, 'config', { link_id: id, auth_mode: auth.authMode, pki_number: auth.pkiNumber, ca_number: auth.caNumber });
    });
  }
  core.ok();
};

/** The store must hold what the mode names; the firmware says which part is missing. */
function missingEntry(core: ModuleCore, auth: SslClientAuth): 'NO CERT FOUND' | 'NO CA FOUND' | null {
  const store = certificateStore(core);
  if ((auth.authMode & 1) !== 0 && store.clientCerts[auth.pkiNumber] === undefined) return 'NO CERT FOUND';
  if ((auth.authMode & 2) !== 0 && store.caCerts[auth.caNumber] === undefined) return 'NO CA FOUND';
  return null;
}

const confSet: Handler<'CIPSSLCCONF', 'set'> = (core, call) => {
  const bits = call.variant === 'bits';
  const { params } = call;
  const auth: SslClientAuth = {
    authMode: (bits ? params.mode : params.auth_mode) ?? 0,
    pkiNumber: params.pki_number ?? 0,
    caNumber: params.ca_number ?? 0,
  };
  const missing = missingEntry(core, auth);
  if (missing !== null) {
    core.tracer.note(`CIPSSLCCONF mode ${auth.authMode}: ${missing} in the certificate store (world config "tls")`);
    // The words are the 2.x core library's; the bit-mask form answers a plain ERROR.
    if (!bits) core.reply(call, 'missing', missing);
    return core.error('exec-failed');
  }
  // The bit-mask form configures the one SSL connection: it stands for every link id here.
  const ids = bits ? everyId(core) : targetIds(core, params);
  const clients = [...core.settings.current.sslClients];
  for (const id of ids) clients[id] = auth;
  core.settings.set('sslClients', clients, call.spec.save);
  core.ok();
};

// ---- AT+CIPSSLCCN / AT+CIPSSLCSNI / AT+CIPSSLCALPN --------------------------------------------

/** Applies `change` to the addressed link ids; ERROR if one of them is connected. */
function setNames(
  core: ModuleCore,
  params: { readonly link_id?: number },
  change: (names: SslLinkNames) => SslLinkNames,
): void {
  const ids = targetIds(core, params);
  const single = ids.length === 1;
  if (single && isConnected(core, ids[0])) {
    core.tracer.note(`link ${ids[0]} is connected: its SSL settings apply to the next connection only after it closes`);
    return core.error('exec-failed');
  }
  const table = core.settings.volatile.sslNames;
  for (const id of ids) if (!isConnected(core, id)) table[id] = change(table[id]);
  core.ok();
}

function namesQuery(key: 'commonName' | 'sni'): Handler<'CIPSSLCCN' | 'CIPSSLCSNI', 'query'> {
  return (core, call) => {
    core.settings.volatile.sslNames.forEach((names, id) => {
      const name = names[key];
      if (name !== null) core.reply(call, 'name', { link_id: id, name });
    });
    core.ok();
  };
}

/** A name setting; `""` clears it. */
function setName(core: ModuleCore, params: { readonly link_id?: number }, key: 'commonName' | 'sni', value: string): void {
  setNames(core, params, (names) => ({ ...names, [key]: value === '' ? null : value }));
}

const alpnQuery: Handler<'CIPSSLCALPN', 'query'> = (core, call) => {
  core.settings.volatile.sslNames.forEach((names, id) => {
    if (names.alpn.length > 0) core.reply(call, 'protocols', { link_id: id, protocols: [...names.alpn] });
  });
  core.ok();
};

const alpnSet: Handler<'CIPSSLCALPN', 'set'> = (core, call) => {
  const { counts: count, alpn1, alpn2, alpn3, alpn4, alpn5 } = call.params;
  const given = [alpn1, alpn2, alpn3, alpn4, alpn5];
  const protocols = given.slice(0, count);
  // <counts> says how many names follow: one missing or extra is a wrong parameter number.
  if (protocols.some((p) => p === undefined) || given.slice(count).some((p) => p !== undefined)) {
    return core.error('param-number');
  }
  const names = protocols.filter((p): p is string => typeof p === 'string');
  // An ALPN protocol name is 1..255 bytes (RFC 7301).
  if (names.length !== count || names.some((p) => p === '')) return core.error('param-invalid');
  setNames(core, call.params, (current) => ({ ...current, alpn: names }));
};

// ---- AT+CIPSSLCPSK / AT+CIPSSLCPSKHEX ---------------------------------------------------------

const HEX_KEY = /^(?:[0-9a-fA-F]{2})+$/;

function pskQuery(encode: (key: Uint8Array) => string): Handler<'CIPSSLCPSK' | 'CIPSSLCPSKHEX', 'query'> {
  return (core, call) => {
    core.settings.volatile.sslNames.forEach((names, id) => {
      if (names.psk !== null) core.reply(call, 'psk', { link_id: id, psk: encode(names.psk.key), hint: names.psk.hint });
    });
    core.ok();
  };
}

/** A key and its identity for the addressed links; an empty key clears them. */
function setPsk(core: ModuleCore, params: { readonly link_id?: number; readonly hint: string }, key: Uint8Array): void {
  const psk = key.length === 0 ? null : { key, hint: params.hint };
  setNames(core, params, (names) => ({ ...names, psk }));
}

const pskHexSet: Handler<'CIPSSLCPSKHEX', 'set'> = (core, call) => {
  const { psk } = call.params;
  if (psk !== '' && !HEX_KEY.test(psk)) return core.error('param-invalid');
  setPsk(core, call.params, Uint8Array.from(Buffer.from(psk, 'hex')));
};

// ---- AT+CIPSSLSIZE (NonOS) ------------------------------------------------------------------

const sizeSet: Handler<'CIPSSLSIZE', 'set'> = (core, call) => {
  // "Must be set before the SSL connection is established."
  if (core.links.all().some((link) => link.type === 'SSL')) return core.error('exec-failed');
  core.settings.volatile.sslBufferSize = call.params.size;
  core.tracer.note(`SSL buffer size ${core.settings.volatile.sslBufferSize} (recorded; node:tls needs none)`);
  core.ok();
};

export const TCPIP_SSL_HANDLERS = {
  CIPSSLCCONF: { query: confQuery, set: confSet },
  CIPSSLCCN: {
    query: namesQuery('commonName'),
    set: (core, call) => setName(core, call.params, 'commonName', call.params.common_name),
  },
  CIPSSLCSNI: {
    query: namesQuery('sni'),
    set: (core, call) => setName(core, call.params, 'sni', call.params.sni),
  },
  CIPSSLCALPN: { query: alpnQuery, set: alpnSet },
  CIPSSLCPSK: {
    query: pskQuery((key) => Buffer.from(key).toString('latin1')),
    set: (core, call) => setPsk(core, call.params, Uint8Array.from(Buffer.from(call.params.psk, 'latin1'))),
  },
  CIPSSLCPSKHEX: { query: pskQuery((key) => Buffer.from(key).toString('hex')), set: pskHexSet },
  CIPSSLSIZE: { set: sizeSet },
} satisfies Handlers;

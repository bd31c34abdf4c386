import type { CommandSpec, ParamSpec, SetSignature } from '../command-spec.js';
import { LINK_ID_OR_ALL, V17, V2, any, int, multi, opt, single, str } from './spec-builders.js';

/**
 * SSL client configuration (esp-at.md §5). In 2.x the link id exists only with CIPMUX=1, where
 * 5 means every link.
 */
function perLink(...params: ParamSpec[]): SetSignature[] {
  return [single(...params), multi(LINK_ID_OR_ALL, ...params)];
}

const ALPN_MAX_LENGTH = 64;

export const SSL_COMMANDS: readonly CommandSpec[] = [
  {
    name: 'CIPSSLCCONF',
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(int('auth_mode', 0, 3), opt(int('pki_number', 0, 255)), opt(int('ca_number', 0, 255))),
    profiles: V2,
    summary: 'SSL client authentication mode',
  },
  {
    // NonOS 1.7: one SSL connection, so no link id; bit 0 loads the client certificate, bit 1 the CA.
    name: 'CIPSSLCCONF',
    area: 'ssl',
    forms: ['query', 'set'],
    set: [any(int('mode', 0, 3))],
    profiles: V17,
    summary: 'SSL client certificate/CA loading (bit mask, NonOS)',
  },
  {
    name: 'CIPSSLCCN',
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(str('common_name', 64)),
    profiles: V2,
    summary: 'Expected server certificate common name',
  },
  {
    name: 'CIPSSLCSNI',
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(str('sni', 64)),
    profiles: V2,
    summary: 'SSL server name indication',
  },
  {
    name: 'CIPSSLCALPN',
    area: 'ssl',
    forms: ['query', 'set'],
    set: perLink(
      int('counts', 0, 5),
      ...[1, 2, 3, 4, 5].map((n) => opt(str(`alpn${n}`, ALPN_MAX_LENGTH))),
    ),
    profiles: V2,
    summary: 'SSL ALPN protocols',
  },
  {
    name: 'CIPSSLSIZE',
    area: 'ssl',
    forms: ['set'],
    set: [any(int('size', 2048, 4096))],
    profiles: V17,
    summary: 'SSL buffer size (NonOS only)',
  },
];

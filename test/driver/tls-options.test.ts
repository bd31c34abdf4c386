/**
 * The usocket side of TLS on an in-memory back end: what wrap_socket() accepts and refuses, what
 * reaches the back end's LinkSpec, and the host-name memory behind SNI.
 */
import { describe, expect, it } from 'vitest';
import type { LinkSpec } from '../../src/backend.js';
import { OSError, errno } from '../../src/errors.js';
import { HostNames } from '../../src/usocket/host-names.js';
import { createUsocket } from '../../src/usocket/module.js';
import { CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, ssl, wrapSocket } from '../../src/usocket/ssl.js';
import { FakeBackend, FakeLink } from './fake-backend.js';

function setup() {
  const backend = new FakeBackend();
  Object.assign(backend, { info: { ...backend.info, kinds: ['tcp', 'udp', 'tls'] } });
  backend.hosts = { 'peer.lab': '10.0.0.7', 'alias.lab': '10.0.0.7', 'copro.local': '127.0.0.1' };
  return { backend, usocket: createUsocket(backend) };
}

function errnoOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    if (err instanceof OSError) return err.errno;
    throw err;
  }
  throw new Error('expected an OSError');
}

const lastSpec = (backend: FakeBackend): LinkSpec | null => (backend.links.at(-1) as FakeLink).spec;

describe('wrap_socket() and IPPROTO_SEC on the usocket layer', () => {
  it('turns options into store indexes and the server name', async () => {
    const { backend, usocket } = setup();
    const cases: [Parameters<typeof wrapSocket>[1], LinkSpec['tls']][] = [
      [{}, { serverHostname: 'peer.lab' }],
      [{ cert_reqs: CERT_OPTIONAL, ca_certs: 2 }, { serverHostname: 'peer.lab' }],
      [{ cert_reqs: CERT_REQUIRED }, { serverHostname: 'peer.lab', caIndex: 0 }],
      [{ cert_reqs: CERT_REQUIRED, ca_certs: 2, certfile: 1, keyfile: 1 }, { serverHostname: 'peer.lab', caIndex: 2, clientCertIndex: 1 }],
      [{ server_hostname: 'api.lab', alpn: ['h2'] }, { serverHostname: 'api.lab', alpn: ['h2'] }],
    ];
    const addr = (await usocket.getaddrinfo('peer.lab', 443))[0][4];
    for (const [options, tls] of cases) {
      const s = wrapSocket(usocket.socket(), options);
      await s.connect(addr);
      expect(lastSpec(backend)).toEqual({ kind: 'tls', remote: { ip: '10.0.0.7', port: 443 }, keepAliveSec: undefined, tls });
    }
    // A socket made with IPPROTO_SEC needs no wrapping; a bare address never resolved has no name.
    const sec = usocket.socket(usocket.AF_INET, usocket.SOCK_STREAM, usocket.IPPROTO_SEC);
    await sec.connect(['10.9.9.9', 443]);
    expect(lastSpec(backend)).toEqual({ kind: 'tls', remote: { ip: '10.9.9.9', port: 443 }, keepAliveSec: undefined, tls: {} });
    expect(String(sec)).toBe('<socket tls connected>');
  });

  it('refuses files, mismatched key entries, servers and sockets already connected', async () => {
    const { usocket } = setup();
    expect(errnoOf(() => wrapSocket(usocket.socket(), { ca_certs: '/flash/cert/ca.pem' as unknown as number }))).toBe(errno.EINVAL);
    expect(errnoOf(() => wrapSocket(usocket.socket(), { certfile: 0, keyfile: 1 }))).toBe(errno.EINVAL);
    expect(errnoOf(() => wrapSocket(usocket.socket(), { keyfile: 0 }))).toBe(errno.EINVAL);
    expect(errnoOf(() => wrapSocket(usocket.socket(), { ca_certs: 256 }))).toBe(errno.EINVAL);
    expect(errnoOf(() => wrapSocket(usocket.socket(), { cert_reqs: 7 }))).toBe(errno.EINVAL);
    expect(errnoOf(() => wrapSocket(usocket.socket(), { server_hostname: 'x'.repeat(65) }))).toBe(errno.EINVAL);
    expect(errnoOf(() => wrapSocket(usocket.socket(), { alpn: ['a', 'b', 'c', 'd', 'e', 'f'] }))).toBe(errno.EINVAL);
    expect(errnoOf(() => wrapSocket(usocket.socket(), { server_side: true }))).toBe(errno.EOPNOTSUPP);
    expect(errnoOf(() => wrapSocket(usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM)))).toBe(errno.EOPNOTSUPP);
    const tcp = usocket.socket();
    await tcp.connect(['127.0.0.1', 80]);
    try {
      wrapSocket(tcp);
      expect.unreachable();
    } catch (err) {
      expect((err as OSError).errno).toBe(errno.EOPNOTSUPP);
      expect((err as OSError).message).toContain('before connect()');
    }
    const closed = usocket.socket();
    await closed.close();
    expect(errnoOf(() => wrapSocket(closed))).toBe(errno.EBADF);
    // The message says where PEM files go.
    expect(() => wrapSocket(usocket.socket(), { ca_certs: '-----BEGIN CERTIFICATE-----' as unknown as number })).toThrow(
      /module's certificate store .*provisioned/,
    );
  });

  it('returns the socket itself and exposes MicroPython constants', () => {
    const { usocket } = setup();
    const s = usocket.socket();
    expect(ssl.wrap_socket(s)).toBe(s);
    expect(s.proto).toBe(usocket.IPPROTO_SEC);
    expect([ssl.CERT_NONE, ssl.CERT_OPTIONAL, ssl.CERT_REQUIRED]).toEqual([CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED]);
    expect([CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED]).toEqual([0, 1, 2]);
  });

  it('remembers the most recent name behind each address, within a bound', async () => {
    const { backend, usocket } = setup();
    await usocket.getaddrinfo('peer.lab', 443);
    await usocket.getaddrinfo('alias.lab', 443);
    await wrapSocket(usocket.socket()).connect(['10.0.0.7', 443]);
    expect(lastSpec(backend)?.tls?.serverHostname).toBe('alias.lab');
    // Another usocket module on the same back end shares the memory; numeric look-ups add nothing.
    const other = createUsocket(backend);
    await other.getaddrinfo('10.0.0.7', 443);
    await wrapSocket(other.socket()).connect(['10.0.0.7', 443]);
    expect(lastSpec(backend)?.tls?.serverHostname).toBe('alias.lab');

    const names = new HostNames(3);
    for (const [ip, host] of [['1.1.1.1', 'a'], ['2.2.2.2', 'b'], ['3.3.3.3', 'c'], ['1.1.1.1', 'a2'], ['4.4.4.4', 'd']]) names.remember(ip, host);
    expect(names.size).toBe(3);
    expect(names.nameOf('2.2.2.2')).toBeUndefined(); // the oldest went first
    expect([names.nameOf('1.1.1.1'), names.nameOf('3.3.3.3'), names.nameOf('4.4.4.4')]).toEqual(['a2', 'c', 'd']);
  });
});

/**
 * TLS from MicroPython scripts: ESP32-style (connect, then SSLContext.wrap_socket with a CA given
 * as cadata), the `tls` module micropython-lib's requests uses, and the WiPy's forms
 * (IPPROTO_SEC, ssl.wrap_socket before connect with ca_certs), against node:tls peers with a PKI
 * made at test time. On emu: what the script gives ssl is provisioned into the emulated module's
 * store; a module on a PTY (as a real one) refuses it with directions, and uses its own store.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli-process.js';
import { makeTestPki, TlsPeer, type TestPki } from '../helpers/tls-lab.js';
import { JOIN_PY, defer, endLabTest, startLab } from './mpy-lab.js';

let pki: TestPki;

async function peer(options: Parameters<typeof TlsPeer.start>[0]): Promise<TlsPeer> {
  const started = await TlsPeer.start(options);
  defer(() => started.close());
  return started;
}

beforeAll(async () => {
  requireBuiltCli();
  pki = await makeTestPki();
});
afterEach(endLabTest);

describe('copro mpy TLS on emu:', () => {
  it('verifies against a CA given as cadata after connect, refuses the wrong issuer, presents a client certificate', async () => {
    const good = await peer({ identity: pki.server });
    const rogue = await peer({ identity: pki.rogueServer });
    const strict = await peer({ identity: pki.server, requireClientCa: pki.ca.cert });
    const lab = await startLab('emu');
    lab.write('ca.pem', pki.ca.cert);
    lab.write('client.crt', pki.client.cert);
    lab.write('client.key', pki.client.key);
    const script = lab.write(
      'esp32_tls.py',
      `${JOIN_PY}
import socket, ssl, errno

def connect(port, ca, chain=None):
    ai = socket.getaddrinfo('peer.lab', port, 0, socket.SOCK_STREAM)[0]
    s = socket.socket(ai[0], socket.SOCK_STREAM, ai[2])
    s.connect(ai[-1])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cadata=ca)
    if chain:
        context.load_cert_chain(*chain)
    return context.wrap_socket(s, server_hostname='peer.lab')

ca = open('ca.pem', 'rb').read()
s = connect(${good.port}, ca)
s.write(b'secret\\n')
print('good', s.readline())
s.close()
try:
    connect(${rogue.port}, ca)
    print('rogue accepted')
except OSError as e:
    print('rogue', errno.errorcode[e.errno])
s = connect(${strict.port}, ca, ('client.crt', 'client.key'))
s.write(b'mutual\\n')
print('mutual', s.readline())
s.close()
`,
    );
    const report = await lab.report([script]);
    expect(report.good).toBe("b'secret\\n'");
    expect(report.rogue).toBe('ECONNABORTED');
    expect(report.mutual).toBe("b'mutual\\n'");
    expect(good.visits.map((v) => v.servername)).toEqual(['peer.lab']);
    expect(rogue.receivedBytes()).toBe(0);
    expect(strict.visits.map((v) => v.clientCn)).toEqual(['copro-module']);
  }, 90_000);

  it("takes the WiPy's IPPROTO_SEC socket and wrap_socket(ca_certs=file), and requests' tls module", async () => {
    const echo = await peer({ identity: pki.server });
    const lab = await startLab('emu');
    lab.write('ca.pem', pki.ca.cert);
    const script = lab.write(
      'wipy_tls.py',
      `${JOIN_PY}
import usocket, ussl, tls
addr = usocket.getaddrinfo('peer.lab', ${echo.port})[0][-1]
s = usocket.socket(usocket.AF_INET, usocket.SOCK_STREAM, usocket.IPPROTO_SEC)
s.connect(addr)
s.write(b'sec\\n')
print('sec', s.readline())
s.close()
s = ussl.wrap_socket(usocket.socket(), cert_reqs=ussl.CERT_REQUIRED, ca_certs='ca.pem')
s.connect(addr)
s.write(b'wrapped\\n')
print('wrapped', s.readline())
s.close()
s = usocket.socket()
s.connect(addr)
context = tls.SSLContext(tls.PROTOCOL_TLS_CLIENT)
print('tls_default', context.verify_mode == tls.CERT_REQUIRED)
context.verify_mode = tls.CERT_NONE
s = context.wrap_socket(s, server_hostname='peer.lab')
s.write(b'requests\\n')
print('requests', s.readline())
s.close()
`,
    );
    const report = await lab.report([script]);
    expect(report.sec).toBe("b'sec\\n'");
    expect(report.wrapped).toBe("b'wrapped\\n'");
    expect(report.tls_default).toBe('True');
    expect(report.requests).toBe("b'requests\\n'");
    expect(echo.visits).toHaveLength(3);
  }, 90_000);
});

describe('copro mpy TLS on a module whose store is its own (PTY)', () => {
  it('refuses cadata with directions, and verifies with the CA entry the module holds', async () => {
    const echo = await peer({ identity: pki.server });
    const lab = await startLab('pty', [pki.ca.cert]);
    lab.write('ca.pem', pki.ca.cert);
    const script = lab.write(
      'flash_tls.py',
      `${JOIN_PY}
import socket, ssl, errno
addr = socket.getaddrinfo('peer.lab', ${echo.port})[0][-1]
s = socket.socket()
s.connect(addr)
try:
    ssl.wrap_socket(s, cert_reqs=ssl.CERT_REQUIRED, cadata=open('ca.pem', 'rb').read())
    print('cadata accepted')
except OSError as e:
    print('cadata', errno.errorcode[e.errno])
    print('why', e.args[1])
s.close()
s = ssl.wrap_socket(socket.socket(), cert_reqs=ssl.CERT_REQUIRED, ca_certs=0, server_hostname='peer.lab')
s.connect(addr)
s.write(b'flash\\n')
print('flash', s.readline())
s.close()
`,
    );
    const report = await lab.report([script]);
    expect(report.cadata).toBe('EOPNOTSUPP');
    expect(report.why).toMatch(/provision this one there \(docs\/tls\.md.*ca_certs=0/);
    expect(report.flash).toBe("b'flash\\n'");
  }, 90_000);
});

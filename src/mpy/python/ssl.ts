/**
 * `ssl` (also `ussl`, which stock MicroPython 1.27 no longer has): SSLContext and wrap_socket as
 * MicroPython 1.27 has them, plus the WiPy's keyfile/certfile/ca_certs keywords. The TLS runs in
 * the module (src/usocket/ssl.ts, docs/tls.md): certificates given here are provisioned into the
 * emulated module's store on emu:, and refused with a reason by a real module, whose store is in
 * its flash; an int names an entry of that store (copro's own form).
 */
export const SSL_PY = String.raw`
from _copro_io import call
import binascii

CERT_NONE = 0
CERT_OPTIONAL = 1
CERT_REQUIRED = 2
PROTOCOL_TLS_CLIENT = 0
PROTOCOL_TLS_SERVER = 1


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _material(value):
    # A store entry number, or the bytes of a PEM/DER certificate or key (base64 on the way).
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, str):
        value = value.encode()
    return binascii.b2a_base64(value).decode().strip()


class SSLContext:
    def __init__(self, protocol=PROTOCOL_TLS_CLIENT):
        self._server = protocol == PROTOCOL_TLS_SERVER
        self.verify_mode = CERT_NONE
        self._ca = None
        self._cert = None
        self._key = None

    def load_verify_locations(self, cafile=None, cadata=None):
        self._ca = _read(cafile) if cafile else cadata

    def load_cert_chain(self, certfile, keyfile):
        self._cert = _read(certfile) if isinstance(certfile, str) else certfile
        self._key = _read(keyfile) if isinstance(keyfile, str) else keyfile

    def wrap_socket(self, sock, server_side=False, do_handshake_on_connect=True, server_hostname=None):
        options = {
            "server_side": bool(server_side or self._server),
            "cert_reqs": self.verify_mode,
            "server_hostname": server_hostname,
            "ca": _material(self._ca),
            "cert": _material(self._cert),
            "key": _material(self._key),
        }
        call("wrap", sock._h, options)
        return sock


def wrap_socket(sock, server_side=False, key=None, cert=None, cert_reqs=CERT_NONE, cadata=None,
                server_hostname=None, do_handshake=True, keyfile=None, certfile=None, ca_certs=None):
    # WiPy: keyfile/certfile/ca_certs are file paths (or, with copro, store entry numbers).
    if isinstance(keyfile, str):
        keyfile = _read(keyfile)
    if isinstance(certfile, str):
        certfile = _read(certfile)
    if isinstance(ca_certs, str):
        ca_certs = _read(ca_certs)
    context = SSLContext(PROTOCOL_TLS_SERVER if server_side else PROTOCOL_TLS_CLIENT)
    context.verify_mode = cert_reqs
    context._ca = cadata if ca_certs is None else ca_certs
    context._cert = cert if certfile is None else certfile
    context._key = key if keyfile is None else keyfile
    return context.wrap_socket(sock, server_side, do_handshake, server_hostname)
`;

/**
 * `tls`: MicroPython 1.23+'s built-in TLS module, which `ssl` wraps and micropython-lib's
 * `requests` imports directly: the same context, with certificates given as bytes and a client
 * context that verifies unless told not to.
 */
export const TLS_PY = String.raw`
from _copro_ssl import CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER
from _copro_ssl import SSLContext as _Context


class SSLContext(_Context):
    def __init__(self, protocol):
        super().__init__(protocol)
        self.verify_mode = CERT_NONE if self._server else CERT_REQUIRED

    def load_verify_locations(self, cadata):
        self._ca = cadata

    def load_cert_chain(self, cert, key):
        self._cert = cert
        self._key = key
`;

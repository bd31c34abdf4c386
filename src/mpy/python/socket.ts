/**
 * `socket` (also `usocket`): MicroPython's socket module. Every call is carried out on the host
 * thread by the driver's usocket layer (src/usocket/) on one of its sockets, named here by a
 * handle: the timeouts, errno values and stream rules are the driver's. This file only moves
 * arguments and bytes. The constants are prepended from src/usocket/constants.ts when installed.
 */
export const SOCKET_PY = String.raw`
from _copro_io import CHUNK, NONE, addressof, byte_view, call, check, extra, get_bytes, get_into, put
import _copro as _b


class socket:
    def __init__(self, af=AF_INET, type=SOCK_STREAM, proto=0, _handle=None):
        self._h = call("socket", af, type, proto) if _handle is None else _handle

    def __repr__(self):
        return "<socket %d>" % self._h

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        call("close", self._h)

    def bind(self, address):
        call("bind", self._h, address)

    def listen(self, backlog=None):
        call("listen", self._h, backlog)

    def accept(self):
        handle, address = call("accept", self._h)
        return socket(_handle=handle), tuple(address)

    def connect(self, address):
        call("connect", self._h, address)

    def send(self, data):
        # One chunk at most: send() may write short, as the reference allows.
        view, n = byte_view(data)
        return put("send", self._h, view, min(n, CHUNK))

    def sendall(self, data):
        view, n = byte_view(data)
        sent = 0
        while sent < n:
            sent += put("sendall", self._h, view[sent:], min(n - sent, CHUNK))

    def sendto(self, data, address):
        view, n = byte_view(data)
        return put("sendto", self._h, view, n, address)

    def recv(self, bufsize):
        return get_bytes("recv", self._h, bufsize)

    def recvfrom(self, bufsize):
        data = get_bytes("recvfrom", self._h, bufsize)
        return data, tuple(extra())

    def setsockopt(self, level, optname, value):
        call("setsockopt", self._h, level, optname, value if isinstance(value, int) else list(bytes(value)))

    def settimeout(self, value):
        call("settimeout", self._h, value)

    def setblocking(self, flag):
        call("settimeout", self._h, None if flag else 0)

    def makefile(self, mode="rb", buffering=0):
        return self

    def read(self, size=-1):
        return get_bytes("read", self._h, -1 if size is None else size)

    def readinto(self, buf, nbytes=None):
        view = memoryview(buf)
        cap = len(view) if nbytes is None else min(nbytes, len(view))
        return get_into("readinto", self._h, view, cap) if cap > 0 else 0

    def readline(self):
        return get_bytes("readline", self._h, 0)

    def write(self, buf, *span):
        # write(buf), write(buf, len) or write(buf, off, len), as MicroPython's streams take them.
        view, n = byte_view(buf)
        start = 0
        if len(span) == 1:
            n = min(n, span[0])
        elif len(span) == 2:
            start = min(span[0], n)
            n = min(n - start, span[1])
        base = addressof(view) + start
        written = 0
        while written < n:
            size = min(n - written, CHUNK)
            got = _b.put("write", self._h, base + written, size, None)
            if got == NONE:
                return written or None
            written += check(got)
            if got < size:
                break
        return written


def getaddrinfo(host, port, af=0, type=0, proto=0, flags=0):
    return [(f, t, p, c, tuple(a)) for f, t, p, c, a in call("getaddrinfo", host, port, af, type, proto, flags)]


def inet_ntop(af, bin_addr):
    return call("inet_ntop", af, list(bytes(bin_addr)))


def inet_pton(af, txt_addr):
    return bytes(call("inet_pton", af, txt_addr))
`;

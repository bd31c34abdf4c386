/**
 * `_copro_io`: what every copro Python module shares — calls to the host through `_copro`
 * (python-bridge.ts), turning its failures into OSError / KeyboardInterrupt, and moving bytes
 * by address so no payload is ever copied into a Python object on the way.
 */
export const COPRO_IO_PY = String.raw`
import _copro as _b
import json as _json
from uctypes import addressof

NONE = -1
FAILED = -2
# Bytes handed over per call: a large sendall() never has a second copy of itself outside the heap.
CHUNK = 65536


def _raise(e):
    kind = e[0]
    if isinstance(kind, int):
        raise OSError(*e)
    if kind == "KeyboardInterrupt":
        raise KeyboardInterrupt
    raise {"TypeError": TypeError, "ValueError": ValueError}.get(kind, RuntimeError)(e[1])


def fail():
    _raise(_json.loads(_b.error()))


def check(n):
    if n >= 0:
        return n
    if n == NONE:
        return None
    fail()


def call(op, *args):
    r = _json.loads(_b.call(op, _json.dumps(args)))
    if r[0] == 0:
        return r[1]
    _raise(r)


def byte_view(data):
    # str goes out as UTF-8, as MicroPython's streams send it.
    if isinstance(data, str):
        data = data.encode()
    elif not isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
    view = memoryview(data)
    return view, len(view)


def put(op, handle, view, size, extra=None):
    return check(_b.put(op, handle, addressof(view), size, None if extra is None else _json.dumps(extra)))


# A receive bounded by at most this much lands straight in a buffer of that size (one call);
# larger or unbounded ones (read(), readline()) first say their size, then hand the bytes over.
DIRECT = 16384


def get_bytes(op, handle, arg):
    if 0 < arg <= DIRECT:
        buf = bytearray(arg)
        n = _b.get(op, handle, arg, addressof(buf), arg)
        if n < 0:
            return check(n)
        return bytes(memoryview(buf)[:n])
    n = _b.get(op, handle, arg, 0, 0)
    if n < 0:
        return check(n)
    buf = bytearray(n)
    if n:
        _b.take(addressof(buf))
    return bytes(buf)


def get_into(op, handle, view, cap):
    return check(_b.get(op, handle, cap, addressof(view), cap))


def extra():
    return _json.loads(_b.value())


def sleep_ms(ms):
    if ms > 0 and _b.sleep(ms) < 0:
        fail()
`;

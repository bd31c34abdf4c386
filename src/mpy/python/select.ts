/**
 * `select` (also `uselect`): poll() and select() over copro sockets. The host waits with the
 * driver's own readiness (src/usocket/poll.ts), so a poll costs one hand-off however long it waits.
 */
export const SELECT_PY = String.raw`
from _copro_io import call
import errno

POLLIN = 0x0001
POLLOUT = 0x0004
POLLERR = 0x0008
POLLHUP = 0x0010


def _handle(obj):
    handle = getattr(obj, "_h", None)
    if handle is None:
        raise TypeError("select polls copro sockets only")
    return handle


class poll:
    def __init__(self):
        self._objs = []
        self._masks = []

    def _index(self, obj):
        for i, o in enumerate(self._objs):
            if o is obj:
                return i
        return -1

    def register(self, obj, eventmask=POLLIN | POLLOUT):
        _handle(obj)
        i = self._index(obj)
        if i < 0:
            self._objs.append(obj)
            self._masks.append(eventmask)
        else:
            self._masks[i] = eventmask

    def unregister(self, obj):
        i = self._index(obj)
        if i >= 0:
            del self._objs[i]
            del self._masks[i]

    def modify(self, obj, eventmask):
        i = self._index(obj)
        if i < 0:
            raise OSError(errno.ENOENT)
        self._masks[i] = eventmask

    def poll(self, timeout=-1):
        entries = [[o._h, m] for o, m in zip(self._objs, self._masks)]
        ready = call("poll", entries, -1 if timeout is None else timeout)
        return [(self._objs[i], events) for i, events in ready]

    def ipoll(self, timeout=-1, flags=0):
        for obj, events in self.poll(timeout):
            # flags=1: one-shot, the object is not polled again until modify().
            if flags & 1:
                self._masks[self._index(obj)] = 0
            yield obj, events


def select(rlist, wlist, xlist, timeout=None):
    p = poll()
    for obj in rlist:
        p.register(obj, POLLIN)
    for obj in wlist:
        i = p._index(obj)
        p.register(obj, POLLOUT if i < 0 else p._masks[i] | POLLOUT)
    ready = p.poll(-1 if timeout is None else int(timeout * 1000))
    trouble = POLLERR | POLLHUP
    readable = [o for o, e in ready if e & (POLLIN | trouble) and o in rlist]
    writable = [o for o, e in ready if e & (POLLOUT | trouble) and o in wlist]
    return readable, writable, []
`;

"""select for python_runtime: waits on the in-memory sockets of
socket.socketpair() (asyncio's event loop); there are no other descriptors
to wait on in the sandbox."""

import time as _time

error = OSError


def _sock(obj):
    import socket
    fd = obj if isinstance(obj, int) else obj.fileno()
    return socket._fds.get(fd)


def _select(rlist, wlist, xlist, timeout=None):
    def ready():
        r = [o for o in rlist if (s := _sock(o)) is not None and (s._buf or s._other is None or s._other._closed)]
        w = [o for o in wlist if _sock(o) is not None]
        return r, w, []
    r, w, x = ready()
    if r or w or (timeout is not None and timeout <= 0):
        return r, w, x
    # Nothing in the process can make a socket readable while we wait: sleep
    # out the timeout (asyncio's timers), or until the call's deadline.
    _time.sleep(timeout if timeout is not None else 10 ** 6)
    return ready()


class _Select:
    """select.select as a plain callable: selectors keeps it as a class
    attribute, where a Python function would become a method."""
    __name__ = "select"

    def __call__(self, rlist, wlist, xlist, timeout=None):
        return _select(rlist, wlist, xlist, timeout)


select = _Select()

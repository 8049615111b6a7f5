"""socket for python_runtime: no network sockets exist in the sandbox (HTTP
goes through urllib.request, checked per host as net.fetch). What remains
is what runs in the process: socketpair() (asyncio's wake-up pipe), names,
constants and errors."""

import errno as _errno

AF_UNIX, AF_INET, AF_INET6, AF_UNSPEC = 1, 2, 10, 0
SOCK_STREAM, SOCK_DGRAM, SOCK_RAW = 1, 2, 3
SOL_SOCKET, SO_REUSEADDR, SO_KEEPALIVE, SO_ERROR, SO_TYPE = 1, 2, 9, 4, 3
IPPROTO_TCP, IPPROTO_UDP, TCP_NODELAY = 6, 17, 1
SHUT_RD, SHUT_WR, SHUT_RDWR = 0, 1, 2
AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, NI_NUMERICHOST, NI_NUMERICSERV = 1, 2, 4, 1, 2
MSG_PEEK = 2
has_ipv6 = False
SocketType = None

error = OSError


class herror(OSError):
    pass


class gaierror(OSError):
    pass


timeout = TimeoutError

_WHY = ("network sockets cannot exist in the aicoder sandbox; HTTP goes through "
        "urllib.request (net.fetch), granted per host by the user")
_fds = {}
_next = [1000]


class socket:
    """A connected in-memory socket (from socketpair); any other use raises."""

    def __init__(self, family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None, *, _peer=False):
        if not _peer:
            raise PermissionError(_errno.EACCES, _WHY)
        self.family, self.type, self.proto = family, type, proto
        self._buf = bytearray()
        self._other = None
        self._closed = False
        self._blocking = True
        self._fd = _next[0]
        _next[0] += 1
        _fds[self._fd] = self

    def fileno(self):
        return -1 if self._closed else self._fd

    def setblocking(self, flag):
        self._blocking = bool(flag)

    def settimeout(self, value):
        self._blocking = value is None

    def gettimeout(self):
        return None if self._blocking else 0.0

    def send(self, data):
        if self._closed or self._other is None or self._other._closed:
            raise BrokenPipeError(_errno.EPIPE, "Broken pipe")
        self._other._buf += bytes(data)
        return len(data)

    sendall = send

    def recv(self, n, flags=0):
        if not self._buf:
            if self._other is None or self._other._closed:
                return b""
            raise BlockingIOError(_errno.EAGAIN, "Resource temporarily unavailable")
        data = bytes(self._buf[:n])
        if not flags & MSG_PEEK:
            del self._buf[:n]
        return data

    def recv_into(self, buffer, nbytes=0, flags=0):
        data = self.recv(nbytes or len(buffer), flags)
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        self._closed = True
        _fds.pop(self._fd, None)

    def shutdown(self, how):
        pass

    def detach(self):
        self.close()
        return self._fd

    def getsockname(self):
        return ""

    def getpeername(self):
        return ""

    def setsockopt(self, *args):
        pass

    def getsockopt(self, *args):
        return 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"<socket.socket fd={self.fileno()}, in memory>"


SocketType = socket


def socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0):
    a = socket(family, type, proto, _peer=True)
    b = socket(family, type, proto, _peer=True)
    a._other, b._other = b, a
    return a, b


def _refuse(*args, **kwargs):
    raise PermissionError(_errno.EACCES, _WHY)


create_connection = create_server = getaddrinfo = gethostbyname = gethostbyaddr = fromfd = _refuse
getnameinfo = gethostbyname_ex = _refuse


def gethostname():
    return "aicoder-sandbox"


def getfqdn(name=""):
    return name or gethostname()


def getdefaulttimeout():
    return None


def setdefaulttimeout(timeout):
    pass


def inet_aton(ip):
    parts = [int(p) for p in ip.split(".")]
    if len(parts) != 4 or not all(0 <= p < 256 for p in parts):
        raise OSError("illegal IP address string passed to inet_aton")
    return bytes(parts)


def inet_ntoa(packed):
    return ".".join(str(b) for b in packed)


def htons(x):
    return ((x & 0xFF) << 8) | ((x >> 8) & 0xFF)


ntohs = htons


def htonl(x):
    return int.from_bytes(int(x).to_bytes(4, "little"), "big")


ntohl = htonl

"""urllib.request for python_runtime: each request goes out through the
standard wasi:http interface, which the host checks against net.fetch for
that host (and audits). Redirects are followed here, each hop a new checked
request. http, https only."""

import io
import _aicoder
from urllib.error import URLError, HTTPError
from urllib.parse import urlsplit, urljoin, quote, unquote, urlencode  # noqa: F401

__all__ = ["Request", "urlopen", "urlretrieve", "build_opener", "install_opener", "URLError",
           "HTTPError", "OpenerDirector", "pathname2url", "url2pathname", "getproxies"]

_MAX_REDIRECTS = 10


class Request:
    def __init__(self, url, data=None, headers={}, origin_req_host=None, unverifiable=False,
                 method=None):
        self.full_url = url
        self.data = data
        self.headers = {}
        for key, value in headers.items():
            self.add_header(key, value)
        self.unredirected_hdrs = {}
        self.method = method
        self.origin_req_host = origin_req_host
        self.unverifiable = unverifiable
        self.timeout = None

    @property
    def full_url(self):
        return self._full_url

    @full_url.setter
    def full_url(self, url):
        self._full_url = url
        parts = urlsplit(url)
        self.type = parts.scheme or None
        self.host = parts.netloc
        self.selector = (parts.path or "/") + ("?" + parts.query if parts.query else "")

    def get_method(self):
        return self.method or ("POST" if self.data is not None else "GET")

    def add_header(self, key, val):
        self.headers[key.capitalize()] = val

    add_unredirected_header = add_header

    def has_header(self, name):
        return name.capitalize() in self.headers

    def get_header(self, name, default=None):
        return self.headers.get(name.capitalize(), default)

    def remove_header(self, name):
        self.headers.pop(name.capitalize(), None)

    def header_items(self):
        return list(self.headers.items())

    def get_full_url(self):
        return self.full_url


class _Response(io.BytesIO):
    """What urlopen returns (http.client.HTTPResponse's reading side)."""

    def __init__(self, url, status, headers, body):
        super().__init__(body)
        import email.message
        self.url = url
        self.status = self.code = status
        import http
        try:
            self.reason = self.msg = http.HTTPStatus(status).phrase
        except ValueError:
            self.reason = self.msg = ""
        message = email.message.Message()
        for name, value in headers:
            message[name] = value
        self.headers = message
        self.length = len(body)

    def getcode(self):
        return self.status

    def geturl(self):
        return self.url

    def info(self):
        return self.headers

    def getheader(self, name, default=None):
        return self.headers.get(name, default)

    def getheaders(self):
        return list(self.headers.items())

    def __repr__(self):
        return f"<http.client.HTTPResponse status={self.status}>"


def _send(method, url, headers, body, timeout):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise URLError(f"unknown url type: {parts.scheme!r} (python_runtime reaches http and https only)")
    if not parts.hostname:
        raise URLError(f"no host given: {url!r}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        return _aicoder.http(method, parts.scheme, parts.netloc, path, headers, body)
    except PermissionError as e:
        import errno
        raise PermissionError(errno.EACCES, str(e)) from None
    except OSError as e:
        raise URLError(e) from None


def urlopen(url, data=None, timeout=None, *, context=None, cafile=None, capath=None, cadefault=False):
    request = url if isinstance(url, Request) else Request(url, data)
    if data is not None:
        request.data = data
    body = request.data
    if body is not None and not isinstance(body, (bytes, bytearray)):
        if isinstance(body, str):
            raise TypeError("POST data should be bytes, an iterable of bytes, or a file object. "
                            "It cannot be of type str.")
        body = b"".join(body)
    method = request.get_method()
    headers = {"User-Agent": "Python-urllib/3.12"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Content-Length"] = str(len(body))
    headers.update(request.headers)
    current = request.full_url
    for _ in range(_MAX_REDIRECTS + 1):
        result = _send(method, current, list(headers.items()), bytes(body or b""), timeout)
        status = result["status"]
        location = next((v for k, v in result["headers"] if k.lower() == "location"), None)
        if status in (301, 302, 303, 307, 308) and location:
            current = urljoin(current, location)
            if status in (301, 302, 303) and method not in ("GET", "HEAD"):
                method, body = "GET", None
                headers.pop("Content-Type", None)
                headers.pop("Content-Length", None)
            continue
        response = _Response(current, status, result["headers"], result["body"])
        if status >= 400:
            raise HTTPError(current, status, response.reason, response.headers, response)
        return response
    raise HTTPError(current, 310, "too many redirects", None, None)


def urlretrieve(url, filename=None, reporthook=None, data=None):
    with urlopen(url, data) as response:
        content = response.read()
        headers = response.headers
    if filename is None:
        import tempfile
        fd, filename = tempfile.mkstemp()
        import os
        os.close(fd)
    with open(filename, "wb") as f:
        f.write(content)
    return filename, headers


class OpenerDirector:
    def __init__(self):
        self.addheaders = [("User-agent", "Python-urllib/3.12")]

    def open(self, fullurl, data=None, timeout=None):
        request = fullurl if isinstance(fullurl, Request) else Request(fullurl, data)
        for key, value in self.addheaders:
            if not request.has_header(key):
                request.add_header(key, value)
        return urlopen(request, data, timeout)

    def add_handler(self, handler):
        pass


def build_opener(*handlers):
    return OpenerDirector()


_opener = None


def install_opener(opener):
    global _opener
    _opener = opener


def pathname2url(path):
    return quote(path)


def url2pathname(url):
    return unquote(url)


def getproxies():
    return {}


class BaseHandler:
    pass


class HTTPHandler(BaseHandler):
    pass


class HTTPSHandler(BaseHandler):
    pass


class HTTPRedirectHandler(BaseHandler):
    pass


class ProxyHandler(BaseHandler):
    def __init__(self, proxies=None):
        pass

# Python's own doors to the machine (open, os, pathlib, shutil, tempfile,
# subprocess, urllib.request), each a host call behind the capability a user
# would expect: files through fs.read / fs.write (beneath the workspace root),
# commands through shell.exec, HTTP through net.fetch. A refusal is the
# exception CPython raises for it (PermissionError), naming the capability
# and how to grant it. Temporary files live in memory, in a folder the
# runtime owns (TMP), and need no grant. Runs once, before the prelude, in
# its own namespace.
import _io
import sys as _sys
import _aicoder

TMP = "/tmp/aicoder-python"

ENOENT, EACCES, EEXIST, ENOTDIR, EISDIR, EINVAL, EPERM, EBADF, ENOTEMPTY, EFBIG = \
    2, 13, 17, 20, 21, 22, 1, 9, 39, 27
S_IFDIR, S_IFREG = 0o040000, 0o100000


class CapabilityDenied(PermissionError):
    """A refusal by the host: os.path.exists and friends let it through
    instead of answering False, so a missing grant never looks like a
    missing file."""


# It is a PermissionError, and says so in tracebacks.
CapabilityDenied.__name__ = CapabilityDenied.__qualname__ = "PermissionError"
CapabilityDenied.__module__ = "builtins"


# The last refusal by the host, for doors (glob) that swallow OSError and
# would otherwise answer "nothing found" to a missing grant.
_last_refusal = [None]


def _grant_hint(cap):
    return (f"{cap} is not granted to python_runtime; grant it in the approval prompt "
            f"or with --grant python_runtime:{cap}")


def _fs(op, path, **kwargs):
    """One fs host call, its failures as the OSError subclasses CPython raises."""
    kwargs["path"] = path
    try:
        return _aicoder.call(op, kwargs)
    except PermissionError as e:
        _last_refusal[0] = CapabilityDenied(EACCES, str(e), path)
        raise _last_refusal[0] from None
    except LookupError:
        raise FileNotFoundError(ENOENT, "No such file or directory", path) from None
    except ValueError as e:
        text = str(e)
        if "not a regular file" in text or "is a folder" in text:
            raise IsADirectoryError(EISDIR, "Is a directory", path) from None
        raise PermissionError(EACCES, text, path) from None
    except RuntimeError as e:
        text = str(e)
        if "is a folder" in text:
            raise IsADirectoryError(EISDIR, "Is a directory", path) from None
        if "not UTF-8" in text:
            raise UnicodeDecodeError("utf-8", b"", 0, 1,
                                     f"{path}: python_runtime reads text files only (UTF-8)") from None
        if "Not a directory" in text or "not a directory" in text:
            raise NotADirectoryError(ENOTDIR, "Not a directory", path) from None
        if "over the" in text:
            raise OSError(EFBIG, text, path) from None
        raise OSError(EINVAL, text, path) from None


def fspath(path):
    if isinstance(path, (str, bytes)):
        return path
    method = getattr(type(path), "__fspath__", None)
    if method is None:
        raise TypeError(f"expected str, bytes or os.PathLike object, not {type(path).__name__}")
    result = method(path)
    if not isinstance(result, (str, bytes)):
        raise TypeError(f"expected {type(path).__name__}.__fspath__() to return str or bytes")
    return result


def _text_path(path):
    path = fspath(path)
    if isinstance(path, bytes):
        path = path.decode("utf-8", "surrogateescape")
    if "\x00" in path:
        raise ValueError("embedded null byte")
    return path


def _normpath(path):
    import posixpath
    return posixpath.normpath(path)


def _in_tmp(path):
    """The normalised path when it is in the runtime's temporary folder."""
    if path.startswith("/tmp"):
        norm = _normpath(path)
        if norm == TMP or norm.startswith(TMP + "/"):
            return norm
    return None


# --- the temporary folder, in memory -------------------------------------

_mem_files = {}       # path -> bytes
_mem_dirs = {TMP}      # paths
# Folders made on the host side by os.mkdir: kept here until a file written
# beneath them makes them real (fs.write creates parent folders).
_made_dirs = set()


def _mem_parent_ok(path):
    import posixpath
    parent = posixpath.dirname(path)
    if parent not in _mem_dirs:
        raise FileNotFoundError(ENOENT, "No such file or directory", path)


class stat_result(tuple):
    """os.stat_result: (mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime)."""
    n_sequence_fields = 10
    n_fields = 16
    n_unnamed_fields = 3

    def __new__(cls, seq, dict=None):
        seq = tuple(seq)
        if len(seq) < 10:
            raise TypeError(f"os.stat_result() takes an at least 10-sequence ({len(seq)}-sequence given)")
        self = tuple.__new__(cls, seq[:10])
        self._extra = seq[10:]
        return self

    st_mode = property(lambda self: self[0])
    st_ino = property(lambda self: self[1])
    st_dev = property(lambda self: self[2])
    st_nlink = property(lambda self: self[3])
    st_uid = property(lambda self: self[4])
    st_gid = property(lambda self: self[5])
    st_size = property(lambda self: self[6])
    st_atime = property(lambda self: float(self[7]))
    st_mtime = property(lambda self: float(self[8]))
    st_ctime = property(lambda self: float(self[9]))
    st_atime_ns = property(lambda self: int(self[7]) * 1_000_000_000)
    st_mtime_ns = property(lambda self: int(self[8]) * 1_000_000_000)
    st_ctime_ns = property(lambda self: int(self[9]) * 1_000_000_000)
    st_blksize = property(lambda self: 4096)
    st_blocks = property(lambda self: (self[6] + 511) // 512)

    def __repr__(self):
        names = ("st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size",
                 "st_atime", "st_mtime", "st_ctime")
        return "os.stat_result(" + ", ".join(f"{n}={v!r}" for n, v in zip(names, self)) + ")"

    def __reduce__(self):
        return (stat_result, (tuple(self),))


def _stat_of(is_dir, size):
    mode = (S_IFDIR | 0o755) if is_dir else (S_IFREG | 0o644)
    return stat_result((mode, 0, 0, 1, 0, 0, 0 if is_dir else size, 0, 0, 0))


def _host_entries(path):
    """fs.list-dir of `path`, as (name, is_dir, size)."""
    entries = _fs("fs.list-dir", path or ".")
    return [(e["name"], e["is_dir"], e["size"]) for e in entries]


def stat(path, *, dir_fd=None, follow_symlinks=True):
    if isinstance(path, int):
        return fstat(path)
    path = _text_path(path)
    mem = _in_tmp(path)
    if mem is not None:
        if mem in _mem_dirs:
            return _stat_of(True, 0)
        if mem in _mem_files:
            return _stat_of(False, len(_mem_files[mem]))
        raise FileNotFoundError(ENOENT, "No such file or directory", path)
    import posixpath
    norm = _normpath(path) if path else path
    if norm in ("", "."):
        if path == "":
            raise FileNotFoundError(ENOENT, "No such file or directory", path)
        _host_entries(".")
        return _stat_of(True, 0)
    parent, name = posixpath.split(norm)
    if name in ("", ".."):
        _host_entries(norm)  # the root or above: answered by the host
        return _stat_of(True, 0)
    try:
        entries = _host_entries(parent or ".")
    except (FileNotFoundError, NotADirectoryError):
        entries = []
    except CapabilityDenied as e:
        # The folder listed to find it is an implementation detail: the
        # refusal names the path the code asked about.
        raise CapabilityDenied(EACCES, e.strerror, path) from None
    for entry_name, is_dir, size in entries:
        if entry_name == name:
            return _stat_of(is_dir, size)
    if norm in _made_dirs:
        return _stat_of(True, 0)
    raise FileNotFoundError(ENOENT, "No such file or directory", path)


lstat = stat


class DirEntry:
    """os.DirEntry (no symlinks are seen through fs.list-dir)."""

    def __init__(self, directory, name, is_dir, size):
        import posixpath
        self.name = name
        self.path = posixpath.join(directory, name)
        self._is_dir = is_dir
        self._size = size

    def is_dir(self, *, follow_symlinks=True):
        return self._is_dir

    def is_file(self, *, follow_symlinks=True):
        return not self._is_dir

    def is_symlink(self):
        return False

    def is_junction(self):
        return False

    def stat(self, *, follow_symlinks=True):
        return _stat_of(self._is_dir, self._size)

    def inode(self):
        return 0

    def __fspath__(self):
        return self.path

    def __repr__(self):
        return f"<DirEntry {self.name!r}>"


class _ScandirIterator:
    def __init__(self, entries):
        self._it = iter(entries)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._it = iter(())


def _list(path):
    """(name, is_dir, size) of each entry of `path`."""
    mem = _in_tmp(path)
    if mem is not None:
        if mem not in _mem_dirs:
            if mem in _mem_files:
                raise NotADirectoryError(ENOTDIR, "Not a directory", path)
            raise FileNotFoundError(ENOENT, "No such file or directory", path)
        out = []
        prefix = mem + "/"
        for d in _mem_dirs:
            if d.startswith(prefix) and "/" not in d[len(prefix):]:
                out.append((d[len(prefix):], True, 0))
        for f, data in _mem_files.items():
            if f.startswith(prefix) and "/" not in f[len(prefix):]:
                out.append((f[len(prefix):], False, len(data)))
        return sorted(out)
    norm = _normpath(path)
    try:
        entries = _host_entries(path)
    except FileNotFoundError:
        if norm in _made_dirs:
            entries = []
        else:
            raise
    names = {e[0] for e in entries}
    prefix = "" if norm == "." else norm + "/"
    for d in _made_dirs:
        if d.startswith(prefix) and "/" not in d[len(prefix):] and d[len(prefix):] not in names:
            entries.append((d[len(prefix):], True, 0))
    return entries


def listdir(path="."):
    if isinstance(path, int):
        raise OSError(EBADF, "listdir of a file descriptor is not supported in python_runtime")
    raw = fspath(path)
    names = [e[0] for e in _list(_text_path(path))]
    if isinstance(raw, bytes):
        return [n.encode("utf-8", "surrogateescape") for n in names]
    return names


def scandir(path="."):
    directory = _text_path(path)
    return _ScandirIterator([DirEntry(directory, n, d, s) for n, d, s in _list(directory)])


def mkdir(path, mode=0o777, *, dir_fd=None):
    path = _text_path(path)
    import posixpath
    mem = _in_tmp(path)
    try:
        stat(path)
    except FileNotFoundError:
        pass
    else:
        raise FileExistsError(EEXIST, "File exists", path)
    if mem is not None:
        _mem_parent_ok(mem)
        _mem_dirs.add(mem)
        return
    parent = posixpath.dirname(_normpath(path))
    if parent:
        st = stat(parent)
        if not st.st_mode & S_IFDIR:
            raise NotADirectoryError(ENOTDIR, "Not a directory", path)
    _made_dirs.add(_normpath(path))


def _no_delete(name, path):
    raise PermissionError(
        EPERM, f"os.{name}: python_runtime cannot delete or move files in the workspace "
               "(fs.write writes files; deleting is left to the user or to shell.exec)", path)


def remove(path, *, dir_fd=None):
    path = _text_path(path)
    mem = _in_tmp(path)
    if mem is None:
        _no_delete("remove", path)
    if mem in _mem_dirs:
        raise IsADirectoryError(EISDIR, "Is a directory", path)
    if _mem_files.pop(mem, None) is None:
        raise FileNotFoundError(ENOENT, "No such file or directory", path)


unlink = remove


def rmdir(path, *, dir_fd=None):
    path = _text_path(path)
    mem = _in_tmp(path)
    if mem is None:
        norm = _normpath(path)
        if norm in _made_dirs and not _list(path):
            _made_dirs.discard(norm)
            return
        _no_delete("rmdir", path)
    if mem not in _mem_dirs or mem == TMP:
        raise FileNotFoundError(ENOENT, "No such file or directory", path)
    if _list(mem):
        raise OSError(ENOTEMPTY, "Directory not empty", path)
    _mem_dirs.discard(mem)


def replace(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
    src, dst = _text_path(src), _text_path(dst)
    msrc, mdst = _in_tmp(src), _in_tmp(dst)
    if msrc is None:
        _no_delete("replace", src)
    if msrc in _mem_dirs:
        if mdst is None:
            _no_delete("replace", src)
        prefix = msrc + "/"
        for d in sorted(_mem_dirs):
            if d == msrc or d.startswith(prefix):
                _mem_dirs.discard(d)
                _mem_dirs.add(mdst + d[len(msrc):])
        for f in list(_mem_files):
            if f.startswith(prefix):
                _mem_files[mdst + f[len(msrc):]] = _mem_files.pop(f)
        return
    if msrc not in _mem_files:
        raise FileNotFoundError(ENOENT, "No such file or directory", src)
    data = _mem_files[msrc]
    _store(dst, data)
    _mem_files.pop(msrc, None)


rename = replace


def _store(path, data):
    """Write the whole file `path` (bytes): in memory or through fs.write."""
    mem = _in_tmp(path)
    if mem is not None:
        if mem in _mem_dirs:
            raise IsADirectoryError(EISDIR, "Is a directory", path)
        _mem_parent_ok(mem)
        _mem_files[mem] = bytes(data)
        return
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        raise OSError(EINVAL, "python_runtime writes text files only (UTF-8): fs.write takes text",
                      path) from None
    _fs("fs.write-file", path, content=text)
    import posixpath
    parent = posixpath.dirname(_normpath(path))
    while parent:
        _made_dirs.discard(parent)
        parent = posixpath.dirname(parent)


def _load(path):
    """The whole content of file `path`, as bytes."""
    mem = _in_tmp(path)
    if mem is not None:
        if mem in _mem_dirs:
            raise IsADirectoryError(EISDIR, "Is a directory", path)
        try:
            return _mem_files[mem]
        except KeyError:
            raise FileNotFoundError(ENOENT, "No such file or directory", path) from None
    return _fs("fs.read-file", path).encode("utf-8")


def _exists(path):
    try:
        stat(path)
        return True
    except CapabilityDenied:
        raise
    except (OSError, ValueError):
        return False


# --- file objects -----------------------------------------------------------

class _Node:
    """An open file's content, written back when it is flushed or closed."""

    def __init__(self, path, data, writable):
        self.path = path
        self.data = data
        self.writable = writable
        self.dirty = False

    def save(self, data):
        if self.writable and (self.dirty or data != self.data):
            _store(self.path, data)
            self.data = data
            self.dirty = False


def _file_class(base):
    class File(base):
        def __init__(self, node, initial, mode, name, readable, writable, append, closefd=True):
            base.__init__(self, initial)
            self._node = node
            self._readable = readable
            self._writable = writable
            self.mode = mode
            self.name = name
            if append:
                self.seek(0, 2)

        def readable(self):
            return self._readable and not self.closed

        def writable(self):
            return self._writable and not self.closed

        def _check(self, ok, what):
            if not ok:
                raise _io.UnsupportedOperation(f"not {what}")

        def read(self, *args):
            self._check(self._readable, "readable")
            return base.read(self, *args)

        def readline(self, *args):
            self._check(self._readable, "readable")
            return base.readline(self, *args)

        def readlines(self, *args):
            self._check(self._readable, "readable")
            return base.readlines(self, *args)

        def write(self, data):
            self._check(self._writable, "writable")
            return base.write(self, data)

        def writelines(self, lines):
            self._check(self._writable, "writable")
            return base.writelines(self, lines)

        def truncate(self, *args):
            self._check(self._writable, "writable")
            return base.truncate(self, *args)

        def flush(self):
            if not self.closed and self._writable:
                self._node.save(self._content())

        def close(self):
            if self.closed:
                return
            try:
                self.flush()
            finally:
                base.close(self)

        def fileno(self):
            raise _io.UnsupportedOperation("python_runtime files have no descriptor")

        def isatty(self):
            return False

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.close()

        def __del__(self):
            # As CPython reports a failed flush of a file never closed.
            try:
                self.close()
            except Exception as e:
                try:
                    _sys.stderr.write(f"Exception ignored in: {self!r}\n{type(e).__name__}: {e}\n")
                except Exception:
                    pass

        def __repr__(self):
            kind = "TextIOWrapper" if base is _io.StringIO else "BufferedReader"
            return f"<_io.{kind} name={self.name!r} mode={self.mode!r}>"

    return File


_TextFile = _file_class(_io.StringIO)
_BinaryFile = _file_class(_io.BytesIO)
_TextFile._content = lambda self: base_getvalue_text(self).encode("utf-8")
_BinaryFile._content = lambda self: bytes(_io.BytesIO.getvalue(self))


def base_getvalue_text(f):
    return _io.StringIO.getvalue(f)


_ENCODINGS = {"utf-8", "utf8", "utf_8", "ascii", "us-ascii", "utf-8-sig", "locale", None}


def open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True,
         opener=None):
    """builtins.open: the file through fs.read / fs.write (or the runtime's
    temporary folder); the whole file is read at open and written back at
    flush and close."""
    if isinstance(file, int):
        return _fd_open(file, mode, closefd)
    if opener is not None:
        flags = {"r": O_RDONLY, "w": O_WRONLY | O_CREAT | O_TRUNC, "a": O_WRONLY | O_CREAT | O_APPEND,
                 "x": O_WRONLY | O_CREAT | O_EXCL}[next(c for c in mode if c in "rwax")]
        if "+" in mode:
            flags = (flags & ~O_WRONLY) | O_RDWR
        return _fd_open(opener(file, flags), mode, closefd, name=file)
    name = file
    path = _text_path(file)
    if not isinstance(mode, str):
        raise TypeError(f"open() argument 'mode' must be str, not {type(mode).__name__}")
    modes = set(mode)
    if len(modes) != len(mode) or not modes <= set("rwaxbt+") or \
            len(modes & set("rwax")) != 1 or {"b", "t"} <= modes:
        raise ValueError(f"invalid mode: '{mode}'")
    binary = "b" in modes
    if binary and encoding is not None:
        raise ValueError("binary mode doesn't take an encoding argument")
    if encoding is not None and str(encoding).lower().replace("_", "-") not in _ENCODINGS:
        import codecs
        codecs.lookup(encoding)  # an unknown name is LookupError, as in CPython
    plus = "+" in modes
    readable = "r" in modes or plus
    writable = bool(modes & set("wax")) or plus
    if "r" in modes:
        data = _load(path)
    elif "x" in modes:
        if _exists(path):
            raise FileExistsError(EEXIST, "File exists", path)
        data = b""
    elif "a" in modes:
        data = _load(path) if _exists(path) else b""
    else:
        data = b""
        if _exists(path) and stat(path).st_mode & S_IFDIR:
            raise IsADirectoryError(EISDIR, "Is a directory", path)
    node = _Node(path, data, writable)
    if "w" in modes or "x" in modes:
        node.dirty = True
    if binary:
        return _BinaryFile(node, data, mode, name, readable, writable, "a" in modes)
    text = data.decode(encoding if encoding and "sig" in str(encoding) else "utf-8",
                       errors or "strict")
    if newline is None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TextFile(node, text, mode, name, readable, writable, "a" in modes)


def open_code(path):
    return open(path, "rb")


# --- descriptors (os.open, tempfile.mkstemp) --------------------------------

_fds = {}
_next_fd = [10]


class _Fd:
    def __init__(self, path, data, writable):
        self.path = path
        self.buf = bytearray(data)
        self.pos = 0
        self.writable = writable

    def sync(self):
        if self.writable:
            _store(self.path, bytes(self.buf))


def _fd(fd):
    try:
        return _fds[fd]
    except KeyError:
        raise OSError(EBADF, "Bad file descriptor") from None


O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_TRUNC = 0, 1, 2, 0o2000, 0o100, 0o200, 0o1000
O_NOFOLLOW, O_CLOEXEC, O_DIRECTORY, O_NOCTTY, O_NONBLOCK = 0o400000, 0o2000000, 0o200000, 0o400, 0o4000


def os_open(path, flags, mode=0o777, *, dir_fd=None):
    path = _text_path(path)
    exists = _exists(path)
    if flags & O_CREAT and flags & O_EXCL and exists:
        raise FileExistsError(EEXIST, "File exists", path)
    if not exists and not flags & O_CREAT:
        raise FileNotFoundError(ENOENT, "No such file or directory", path)
    writable = bool(flags & 3)
    data = b"" if (flags & O_TRUNC or not exists) else _load(path)
    entry = _Fd(path, data, writable)
    if writable and not exists:
        entry.sync()
    if flags & O_APPEND:
        entry.pos = len(entry.buf)
    fd = _next_fd[0]
    _next_fd[0] += 1
    _fds[fd] = entry
    return fd


def os_read(fd, n):
    entry = _fd(fd)
    chunk = bytes(entry.buf[entry.pos:entry.pos + n])
    entry.pos += len(chunk)
    return chunk


def os_write(fd, data):
    if fd in (1, 2):
        (_sys.stdout if fd == 1 else _sys.stderr).write(bytes(data).decode("utf-8", "replace"))
        return len(data)
    entry = _fd(fd)
    data = bytes(data)
    entry.buf[entry.pos:entry.pos + len(data)] = data
    entry.pos += len(data)
    if _in_tmp(entry.path) is not None:
        entry.sync()
    return len(data)


def os_close(fd):
    entry = _fds.pop(fd, None)
    if entry is None:
        raise OSError(EBADF, "Bad file descriptor")
    entry.sync()


def lseek(fd, pos, how):
    entry = _fd(fd)
    entry.pos = max(0, [pos, entry.pos + pos, len(entry.buf) + pos][how])
    return entry.pos


def fstat(fd):
    if fd in (0, 1, 2):
        return stat_result((0o020620, 0, 0, 1, 0, 0, 0, 0, 0, 0))
    return _stat_of(False, len(_fd(fd).buf))


def ftruncate(fd, length):
    entry = _fd(fd)
    del entry.buf[length:]


def _fd_open(fd, mode, closefd, name=None):
    entry = _fd(fd)
    path = entry.path
    data = bytes(entry.buf)
    if closefd:
        _fds.pop(fd, None)
    node = _Node(path, data, True)
    readable = "r" in mode or "+" in mode
    writable = any(c in mode for c in "wax+")
    name = fd if name is None else name
    if "b" in mode:
        return _BinaryFile(node, data, mode, name, readable, writable, "a" in mode)
    return _TextFile(node, data.decode("utf-8"), mode, name, readable, writable, "a" in mode)

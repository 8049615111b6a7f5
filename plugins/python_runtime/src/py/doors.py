# The rest of Python's doors: the `posix` module `os` is built from (its
# file functions from py/files.py, run just before this in the same
# namespace), open() everywhere, and the import hook that provides the
# runtime's own subprocess and urllib.request and refuses what cannot exist.

# --- the `posix` module that `os` is built from --------------------------------

def getcwd():
    try:
        return _aicoder.call("workspace.get-cwd", {})
    except PermissionError as e:
        raise CapabilityDenied(EACCES, f"os.getcwd() needs workspace.read: {e}") from None


def getcwdb():
    return getcwd().encode("utf-8", "surrogateescape")


def chdir(path):
    raise PermissionError(EPERM, "os.chdir: the working directory is the session's; "
                                 "use app.input_handler.cwd = path (workspace.write)", _text_path(path))


def access(path, mode, *, dir_fd=None, effective_ids=False, follow_symlinks=True):
    return _exists(path)


def _noop_if_exists(name):
    def call(path, *args, **kwargs):
        # Permission bits and times are not kept by fs.write: like a file
        # system that ignores them, the call succeeds on a file that exists.
        if not isinstance(path, int):
            stat(path)
    call.__name__ = name
    return call


def _refuse(name, why):
    def call(*args, **kwargs):
        raise PermissionError(EPERM, f"os.{name}() is not available in python_runtime: {why}")
    call.__name__ = name
    return call


def readlink(path, *, dir_fd=None):
    # fs.list-dir sees no symlinks: every path is "not a link".
    raise OSError(EINVAL, "Invalid argument", _text_path(path))


def urandom(n):
    # Entropy is not host state: WASI random, drawn at each call (so a
    # snapshot of the interpreter never fixes it).
    import _random
    n = int(n)
    if n < 0:
        raise ValueError("negative argument not allowed")
    return _random.Random().getrandbits(8 * n).to_bytes(n, "little") if n else b""


class terminal_size(tuple):
    """os.terminal_size: (columns, lines)."""
    n_fields = n_sequence_fields = 2
    columns = property(lambda self: self[0])
    lines = property(lambda self: self[1])

    def __new__(cls, seq):
        return tuple.__new__(cls, tuple(seq)[:2])

    def __repr__(self):
        return f"os.terminal_size(columns={self[0]}, lines={self[1]})"


def _install_posix():
    import types
    posix = types.ModuleType("posix")
    posix.__doc__ = "python_runtime's posix: files through fs.read / fs.write, nothing else of the host"
    names = dict(
        stat=stat, lstat=lstat, fstat=fstat, listdir=listdir, scandir=scandir, mkdir=mkdir,
        remove=remove, unlink=unlink, rmdir=rmdir, rename=rename, replace=replace,
        open=os_open, read=os_read, write=os_write, close=os_close, lseek=lseek,
        ftruncate=ftruncate, getcwd=getcwd, getcwdb=getcwdb, chdir=chdir, access=access,
        fspath=fspath, urandom=urandom, stat_result=stat_result, DirEntry=DirEntry,
        terminal_size=terminal_size,
        chmod=_noop_if_exists("chmod"), utime=_noop_if_exists("utime"),
        lchmod=_noop_if_exists("lchmod"),
        getpid=lambda: 1, getppid=lambda: 0, getuid=lambda: 1000, geteuid=lambda: 1000,
        getgid=lambda: 1000, getegid=lambda: 1000, getlogin=lambda: "aicoder",
        cpu_count=lambda: 1, umask=lambda mask: 0o022, isatty=lambda fd: False,
        get_terminal_size=_refuse("get_terminal_size", "there is no terminal"),
        strerror=lambda code: _STRERROR.get(code, f"Unknown error {code}"),
        device_encoding=lambda fd: None, get_blocking=lambda fd: True,
        set_blocking=lambda fd, b: None, fsync=lambda fd: None, get_inheritable=lambda fd: False,
        set_inheritable=lambda fd, b: None, register_at_fork=lambda **kw: None,
        waitstatus_to_exitcode=lambda status: status >> 8,
        readlink=readlink,
        truncate=lambda path, length: _store(_text_path(path), _load(_text_path(path))[:length]),
        uname=lambda: _uname(), times=lambda: _times(),
        error=OSError, environ={},
        _have_functions=[], _exit=_refuse("_exit", "the interpreter belongs to the session"),
    )
    for name in ("system", "kill", "killpg", "fork", "forkpty", "execv", "execve", "waitpid", "wait",
                 "spawnv", "posix_spawn", "posix_spawnp", "pipe", "dup", "dup2", "symlink", "link",
                 "chown", "lchown", "putenv", "unsetenv", "setsid", "nice", "mkfifo", "mknod",
                 "chroot", "sendfile", "statvfs"):
        names[name] = _refuse(name, "use subprocess.run (shell.exec), granted by the user"
                              if name in ("system", "fork", "execv", "execve", "spawnv", "posix_spawn",
                                          "posix_spawnp", "waitpid", "wait") else "the sandbox has no such door")
    for k, v in names.items():
        setattr(posix, k, v)
    for k, v in dict(F_OK=0, R_OK=4, W_OK=2, X_OK=1, O_RDONLY=O_RDONLY, O_WRONLY=O_WRONLY,
                     O_RDWR=O_RDWR, O_APPEND=O_APPEND, O_CREAT=O_CREAT, O_EXCL=O_EXCL,
                     O_TRUNC=O_TRUNC, O_NOFOLLOW=O_NOFOLLOW, O_CLOEXEC=O_CLOEXEC,
                     O_DIRECTORY=O_DIRECTORY, O_NOCTTY=O_NOCTTY, O_NONBLOCK=O_NONBLOCK,
                     SEEK_SET=0, SEEK_CUR=1, SEEK_END=2, WNOHANG=1, EX_OK=0).items():
        setattr(posix, k, v)
    _sys.modules["posix"] = posix
    if "posix" not in _sys.builtin_module_names:
        _sys.builtin_module_names = tuple(_sys.builtin_module_names) + ("posix",)


_STRERROR = {ENOENT: "No such file or directory", EACCES: "Permission denied", EEXIST: "File exists",
             ENOTDIR: "Not a directory", EISDIR: "Is a directory", EINVAL: "Invalid argument",
             EPERM: "Operation not permitted", EBADF: "Bad file descriptor",
             ENOTEMPTY: "Directory not empty"}


def _uname():
    import collections
    uname_result = collections.namedtuple("uname_result", "sysname nodename release version machine")
    return uname_result("WASI", "aicoder", "0.2", "python_runtime", "wasm32")


def _times():
    import time
    t = time.process_time()
    return (t, 0.0, 0.0, 0.0, time.monotonic())


_install_posix()

# io.open, _io.open and open() are one function; `io` (and so traceback,
# dataclasses, pathlib) also wants the name FileIO to exist.


class FileIO(getattr(_io, "_RawIOBase", object)):
    def __init__(self, file, mode="r", closefd=True, opener=None):
        raise _io.UnsupportedOperation(
            "io.FileIO is not available in python_runtime; use open(), which goes through fs.read / fs.write")


if not hasattr(_io, "FileIO"):
    _io.FileIO = FileIO
_io.open = open
_io.open_code = open_code
import builtins as _builtins  # noqa: E402
_builtins.open = open


# --- modules the runtime provides instead of the library's -----------------------
# `_SOURCES` (set by lib.rs): module name -> source text. Each is compiled on
# first import, so what is never imported costs nothing.

_NO_SUCH_DOOR = {
    "_socket": "sockets cannot exist in the sandbox; HTTP goes through urllib.request (net.fetch)",
    "_signal": "there are no signals in the sandbox",
    "ctypes": "there is no native code in the sandbox",
    "_ctypes": "there is no native code in the sandbox",
    "multiprocessing": "processes are started with subprocess.run (shell.exec)",
    "_posixsubprocess": "processes are started with subprocess.run (shell.exec)",
    "ssl": "HTTPS goes through urllib.request (net.fetch), which the host encrypts",
    "_ssl": "HTTPS goes through urllib.request (net.fetch), which the host encrypts",
    "mmap": "files are read whole with open() (fs.read)",
    "nt": "this is not Windows",
    "ftplib": "only HTTP is reachable, with urllib.request (net.fetch)",
    "smtplib": "only HTTP is reachable, with urllib.request (net.fetch)",
    "http.client": "HTTP goes through urllib.request (net.fetch), per host the user grants",
    "http.server": "the sandbox cannot accept connections",
    "socketserver": "the sandbox cannot accept connections",
}


class _Loader:
    def __init__(self, source):
        self.source = source

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        code = compile(self.source, f"<python_runtime {module.__name__}>", "exec")
        exec(code, module.__dict__)


def _loud_when_refused(native):
    # glob answers "no matches" for a folder it cannot read; a missing grant
    # must not look like that: when nothing was found and the host refused a
    # read on the way, the refusal is raised.
    def call(*args, **kwargs):
        _last_refusal[0] = None
        found = False
        for item in native(*args, **kwargs):
            found = True
            yield item
        if not found and _last_refusal[0] is not None:
            raise _last_refusal[0]
    call.__name__ = native.__name__
    call.__doc__ = native.__doc__
    return call


def _fix_glob(module):
    module.iglob = _loud_when_refused(module.iglob)


def _fix_pathlib(module):
    module.Path.glob = _loud_when_refused(module.Path.glob)


# Library modules patched once loaded (never loaded just to be patched).
_AFTER_IMPORT = {"glob": _fix_glob, "pathlib": _fix_pathlib}


class _AfterLoader:
    """The library's loader, then a fix from _AFTER_IMPORT."""

    def __init__(self, loader, fix):
        self.loader, self.fix = loader, fix

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        self.fix(module)


class _Doors:
    """The meta-path finder: the runtime's own modules, and clear refusals."""

    def find_spec(self, name, path=None, target=None):
        why = _NO_SUCH_DOOR.get(name) or _NO_SUCH_DOOR.get(name.split(".")[0])
        if why and name not in _SOURCES:
            raise ImportError(f"module {name!r} is not available in the aicoder sandbox: {why}", name=name)
        fix = _AFTER_IMPORT.get(name)
        if fix is not None:
            for finder in _sys.meta_path:
                find = getattr(finder, "find_spec", None)
                spec = None if finder is self or find is None else find(name, path, target)
                if spec is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _AfterLoader(spec.loader, fix)
                    return spec
        source = _SOURCES.get(name)
        if source is None:
            return None
        spec_class = _sys.modules["_frozen_importlib"].ModuleSpec
        return spec_class(name, _Loader(source), origin=f"python_runtime:{name}")


_sys.meta_path.insert(0, _Doors())


def _realpath(filename, *, strict=False):
    # fs.list-dir reports no symlinks, so resolving them would only cost host
    # calls: the real path is the absolute one.
    import posixpath
    path = posixpath.abspath(fspath(filename))
    if strict:
        stat(path)
    return path


def _strict_predicates(posixpath):
    # genericpath's exists/isfile/isdir/lexists answer False on any OSError,
    # so a missing fs.read grant would look like a missing file: a refusal
    # by the host (CapabilityDenied) goes through as the PermissionError it is.
    import genericpath

    def predicate(name, test):
        def check(path):
            try:
                st = stat(path)
            except CapabilityDenied:
                # The library probes the interpreter's own install
                # (sysconfig: sys.prefix/Modules/Setup) and the system's
                # folders (mimetypes: /etc/mime.types), never the workspace:
                # there, "not found" as CPython answers.
                if _text_path(path).startswith((_sys.prefix + "/", "/etc/", "/usr/")):
                    return False
                raise
            except (OSError, ValueError):
                return False
            return test(st.st_mode)
        check.__name__ = name
        check.__doc__ = getattr(genericpath, name, None).__doc__ if hasattr(genericpath, name) else None
        return check

    tests = dict(exists=lambda mode: True, lexists=lambda mode: True,
                 isfile=lambda mode: not mode & S_IFDIR, isdir=lambda mode: bool(mode & S_IFDIR),
                 islink=lambda mode: False)
    for name, test in tests.items():
        fn = predicate(name, test)
        for module in (genericpath, posixpath):
            if hasattr(module, name):
                setattr(module, name, fn)
    # os.walk reports an unreadable folder to onerror, which by default
    # ignores it: a refused grant raises instead of walking nothing.
    import os
    native_walk = os.walk

    def walk(top, topdown=True, onerror=None, followlinks=False):
        def report(error):
            if isinstance(error, CapabilityDenied):
                raise error
            if onerror is not None:
                onerror(error)
        return native_walk(top, topdown, report, followlinks)
    walk.__doc__ = native_walk.__doc__
    os.walk = walk


def _settle():
    import time
    if not hasattr(time, "get_clock_info"):
        # asyncio's event loop reads the monotonic clock's resolution.
        def get_clock_info(name):
            import types
            if name not in ("monotonic", "perf_counter", "process_time", "thread_time", "time"):
                raise ValueError("unknown clock")
            return types.SimpleNamespace(implementation="wasi:clocks", monotonic=name != "time",
                                         adjustable=name == "time", resolution=1e-09)
        time.get_clock_info = get_clock_info
    # The sandbox's clock is UTC (no zone database, no TZ).
    for name, value in (("tzname", ("UTC", "UTC")), ("timezone", 0), ("altzone", 0), ("daylight", 0)):
        if not hasattr(time, name):
            setattr(time, name, value)
    import posixpath
    posixpath.realpath = _realpath
    _strict_predicates(posixpath)
    # CPython running `python -c CODE` has sys.argv == ['-c']; an empty list
    # made argparse and unittest.main() fail on sys.argv[0].
    if not _sys.argv:
        _sys.argv = ["-c"]
    # sysconfig (and zoneinfo through it) derive their paths from the
    # interpreter's location; an absolute one needs no working directory.
    if not _sys.executable:
        _sys.executable = _sys.prefix + "/bin/python3"


_settle()


def _guard_csv():
    # RustPython 0.5.0 panics (`todo!()`, csv.rs) on QUOTE_STRINGS and
    # QUOTE_NOTNULL, killing the interpreter: refuse them as an exception.
    import _csv

    def check(args, kwargs):
        quoting = kwargs.get("quoting")
        dialect = args[1] if len(args) > 1 else kwargs.get("dialect")
        if quoting is None and dialect is not None and not isinstance(dialect, str):
            quoting = getattr(dialect, "quoting", None)
        if quoting in (4, 5):
            raise NotImplementedError(
                "csv.QUOTE_STRINGS and csv.QUOTE_NOTNULL are not supported by python_runtime "
                "(RustPython 0.5); use QUOTE_MINIMAL, QUOTE_ALL, QUOTE_NONNUMERIC or QUOTE_NONE")

    def wrap(native):
        def guarded(*args, **kwargs):
            check(args, kwargs)
            return native(*args, **kwargs)
        guarded.__name__ = native.__name__
        guarded.__doc__ = native.__doc__
        return guarded

    for name in ("writer", "reader"):
        setattr(_csv, name, wrap(getattr(_csv, name)))
    native_register = _csv.register_dialect

    def register_dialect(name, dialect=None, **kwargs):
        check((name, dialect), kwargs)
        return native_register(name, dialect, **kwargs) if dialect is not None else \
            native_register(name, **kwargs)
    _csv.register_dialect = register_dialect


_guard_csv()

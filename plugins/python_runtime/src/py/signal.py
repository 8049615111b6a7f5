"""signal for python_runtime: there are no signals in the sandbox. Handlers
can be set and read back (asyncio does, at start); none is ever called."""

import enum as _enum

SIG_DFL, SIG_IGN = 0, 1
NSIG = 65


class Signals(_enum.IntEnum):
    SIGHUP = 1
    SIGINT = 2
    SIGQUIT = 3
    SIGKILL = 9
    SIGUSR1 = 10
    SIGSEGV = 11
    SIGUSR2 = 12
    SIGPIPE = 13
    SIGALRM = 14
    SIGTERM = 15
    SIGCHLD = 17


class Handlers(_enum.IntEnum):
    SIG_DFL = 0
    SIG_IGN = 1


globals().update(Signals.__members__)


def default_int_handler(signalnum, frame):
    raise KeyboardInterrupt


_handlers = {int(s): SIG_DFL for s in Signals}
_handlers[int(Signals.SIGINT)] = default_int_handler


def signal(signalnum, handler):
    signalnum = int(signalnum)
    if signalnum in (9, 19):
        raise OSError(22, "Invalid argument")
    previous = _handlers.get(signalnum, SIG_DFL)
    _handlers[signalnum] = handler
    return previous


def getsignal(signalnum):
    return _handlers.get(int(signalnum), SIG_DFL)


def set_wakeup_fd(fd, *, warn_on_full_buffer=True):
    return -1


def valid_signals():
    return set(Signals)


def strsignal(signalnum):
    return Signals(signalnum).name


def alarm(seconds):
    return 0


def raise_signal(signalnum):
    handler = _handlers.get(int(signalnum), SIG_DFL)
    if callable(handler):
        handler(int(signalnum), None)


def siginterrupt(signalnum, flag):
    pass


def pthread_sigmask(how, mask):
    return set()


SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK = 0, 1, 2

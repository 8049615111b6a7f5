"""subprocess for python_runtime: each command runs through the host's
shell.exec capability (`sh -c` in the working directory, the host's timeout
and output cap), granted by the user. A command runs to completion when it
is started; Popen is that run with the usual methods."""

import io
import shlex

PIPE = -1
STDOUT = -2
DEVNULL = -3

import _aicoder


class SubprocessError(Exception):
    pass


class CalledProcessError(SubprocessError):
    def __init__(self, returncode, cmd, output=None, stderr=None):
        self.returncode = returncode
        self.cmd = cmd
        self.output = output
        self.stderr = stderr

    @property
    def stdout(self):
        return self.output

    @stdout.setter
    def stdout(self, value):
        self.output = value

    def __str__(self):
        if self.returncode and self.returncode < 0:
            return f"Command '{self.cmd}' died with signal {-self.returncode}."
        return f"Command '{self.cmd}' returned non-zero exit status {self.returncode}."


class TimeoutExpired(SubprocessError):
    def __init__(self, cmd, timeout, output=None, stderr=None):
        self.cmd = cmd
        self.timeout = timeout
        self.output = output
        self.stderr = stderr

    @property
    def stdout(self):
        return self.output

    def __str__(self):
        return f"Command '{self.cmd}' timed out after {self.timeout} seconds"


class CompletedProcess:
    def __init__(self, args, returncode, stdout=None, stderr=None):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        parts = [f"args={self.args!r}", f"returncode={self.returncode!r}"]
        if self.stdout is not None:
            parts.append(f"stdout={self.stdout!r}")
        if self.stderr is not None:
            parts.append(f"stderr={self.stderr!r}")
        return f"CompletedProcess({', '.join(parts)})"

    def check_returncode(self):
        if self.returncode:
            raise CalledProcessError(self.returncode, self.args, self.stdout, self.stderr)


def _command_line(args, shell, cwd, env, input_text):
    if isinstance(args, (str, bytes)):
        line = args.decode() if isinstance(args, bytes) else args
        if not shell:
            # CPython runs the program named by the whole string.
            line = shlex.quote(line)
    else:
        import os
        line = shlex.join(os.fspath(a) if not isinstance(a, str) else a for a in args)
    if env:
        assignments = " ".join(f"{k}={shlex.quote(str(v))}" for k, v in env.items())
        line = f"export {assignments}; {line}"
    if input_text is not None:
        line = f"printf '%s' {shlex.quote(input_text)} | ( {line} )"
    if cwd is not None:
        import os
        line = f"cd {shlex.quote(os.fspath(cwd))} && {line}"
    return line


def _exec(line, timeout):
    timeout_ms = None if timeout is None else max(1, int(timeout * 1000))
    try:
        return _aicoder.call("shell.exec", {"command": line, "timeout_ms": timeout_ms})
    except PermissionError as e:
        import errno
        raise PermissionError(errno.EACCES, f"{e}") from None


def _decode_or_encode(text, text_mode):
    return text if text_mode else text.encode("utf-8", "surrogateescape")


def run(args, *, stdin=None, input=None, stdout=None, stderr=None, capture_output=False, shell=False,
        cwd=None, timeout=None, check=False, encoding=None, errors=None, text=None, env=None,
        universal_newlines=None, **other):
    if capture_output:
        if stdout is not None or stderr is not None:
            raise ValueError("stdout and stderr arguments may not be used with capture_output.")
        stdout = stderr = PIPE
    text_mode = bool(text or universal_newlines or encoding or errors)
    if input is not None and not isinstance(input, str):
        input = bytes(input).decode("utf-8", "surrogateescape")
    line = _command_line(args, shell, cwd, env, input)
    out = _exec(line, timeout)
    o, e = out["stdout"], out["stderr"]
    if stderr == STDOUT:
        o, e = o + e, ""
    if out.get("timed_out"):
        raise TimeoutExpired(args, timeout, _decode_or_encode(o, text_mode) if stdout == PIPE else None,
                             _decode_or_encode(e, text_mode) if stderr == PIPE else None)
    import sys
    if stdout is None and o:
        sys.stdout.write(o)
    if stderr is None and e:
        sys.stderr.write(e)
    result = CompletedProcess(args, out["exit_code"],
                              _decode_or_encode(o, text_mode) if stdout == PIPE else None,
                              _decode_or_encode(e, text_mode) if stderr == PIPE else None)
    if check:
        result.check_returncode()
    return result


def call(*popenargs, timeout=None, **kwargs):
    return run(*popenargs, timeout=timeout, **kwargs).returncode


def check_call(*popenargs, **kwargs):
    run(*popenargs, check=True, **kwargs)
    return 0


def check_output(*popenargs, timeout=None, **kwargs):
    if "stdout" in kwargs:
        raise ValueError("stdout argument not allowed, it will be overridden.")
    return run(*popenargs, stdout=PIPE, timeout=timeout, check=True, **kwargs).stdout


def getstatusoutput(cmd, *, encoding=None, errors=None):
    result = run(cmd, shell=True, text=True, stdout=PIPE, stderr=STDOUT)
    data = result.stdout
    if data.endswith("\n"):
        data = data[:-1]
    return result.returncode, data


def getoutput(cmd, *, encoding=None, errors=None):
    return getstatusoutput(cmd)[1]


class Popen:
    """The command runs to completion here (shell.exec); then communicate,
    wait and poll answer from its result."""

    def __init__(self, args, bufsize=-1, executable=None, stdin=None, stdout=None, stderr=None,
                 shell=False, cwd=None, env=None, text=None, universal_newlines=None,
                 encoding=None, errors=None, **other):
        self.args = args
        self._spec = dict(shell=shell, cwd=cwd, env=env, stdout=stdout, stderr=stderr,
                          text=text or universal_newlines or bool(encoding or errors))
        self._text = self._spec["text"]
        self.returncode = None
        self.pid = 0
        self._result = None
        self.stdin = io.StringIO() if stdin == PIPE and self._text else (
            io.BytesIO() if stdin == PIPE else None)
        self.stdout = self.stderr = None
        if stdin != PIPE:
            self._run(None, None)

    def _run(self, input, timeout):
        spec = self._spec
        self._result = run(self.args, input=input, timeout=timeout, shell=spec["shell"],
                           cwd=spec["cwd"], env=spec["env"], text=spec["text"],
                           stdout=spec["stdout"], stderr=spec["stderr"])
        self.returncode = self._result.returncode
        wrap = io.StringIO if self._text else io.BytesIO
        if spec["stdout"] == PIPE:
            self.stdout = wrap(self._result.stdout)
        if spec["stderr"] == PIPE:
            self.stderr = wrap(self._result.stderr)

    def communicate(self, input=None, timeout=None):
        if self._result is None:
            if input is None and self.stdin is not None:
                input = self.stdin.getvalue()
            self._run(input, timeout)
        out = self.stdout.read() if self.stdout is not None else None
        err = self.stderr.read() if self.stderr is not None else None
        return out, err

    def wait(self, timeout=None):
        if self._result is None:
            self.communicate(timeout=timeout)
        return self.returncode

    def poll(self):
        return self.returncode

    def kill(self):
        pass

    terminate = kill

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.wait()


list2cmdline = shlex.join

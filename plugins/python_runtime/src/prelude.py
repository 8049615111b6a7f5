# The Python side of python_runtime: `app` and `ctx` as proxies over the one
# host door `_aicoder.call`. Every attribute read or write below is a host
# call that checks a capability and is written to the audit log; nothing is
# cached, so Python always sees the live session.
# Python's own doors (open, os, subprocess, urllib.request) were set up
# before this file by py/doors.py.
import sys as _sys
import builtins as _builtins
import _aicoder


def _call(op, **kwargs):
    return _aicoder.call(op, kwargs)


# For the hottest reads: one Python frame fewer than `_call` (the dict is
# only read by the host door, never changed).
_NO_ARGS = {}
_door = _aicoder.call


_HOOK_HINT = ("host methods cannot be replaced from Python; "
              "use ctx.register_hook('transform_request', f) to change outgoing requests")


class _Component:
    """Base of the app components: refuses replacing what it does not define."""
    _writable = ()

    def __setattr__(self, name, value):
        if name in self._writable:
            object.__setattr__(self, name, value)
            return
        raise AttributeError(f"cannot set {type(self).__name__[1:]}.{name}: {_HOOK_HINT}")


class _Message(dict):
    """A message of the history. Item assignment writes back (history.write)."""

    def __init__(self, index, data):
        dict.__init__(self, data)
        self._index = index

    def __setitem__(self, key, value):
        updated = dict(self)
        updated[key] = value
        _call("history.set-message", index=self._index, message=updated)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key):
        raise TypeError("message fields cannot be deleted; assign a new value instead")


class _MessageHistory(_Component):
    """app.message_history: history.read / history.write."""

    def get_messages(self):
        return [_Message(i, m) for i, m in enumerate(_door("history.get-messages", _NO_ARGS))]

    @property
    def messages(self):
        return self.get_messages()

    def __len__(self):
        return _call("history.count")

    def add_message(self, role_or_message, content=None):
        if isinstance(role_or_message, dict):
            message = dict(role_or_message)
        else:
            message = {"role": role_or_message, "content": content or ""}
        _call("history.append", message=message)

    append = add_message

    def set_message(self, index, message):
        _call("history.set-message", index=index, message=dict(message))

    def clear(self):
        _call("history.clear")


class _InputHandler(_Component):
    """app.input_handler: the working directory (workspace.read / workspace.write)."""
    _writable = ("cwd",)

    @property
    def cwd(self):
        return _door("workspace.get-cwd", _NO_ARGS)

    @cwd.setter
    def cwd(self, path):
        _call("workspace.set-cwd", path=str(path))


class _Stats(_Component):
    """app.stats: the session counters (stats.read), read-only."""

    # Each counter is a property (below): a plain attribute lookup, not the
    # failed lookup and `__getattr__` call an unknown name costs.
    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        values = _door("stats.get-stats", _NO_ARGS)
        if name in values:
            return values[name]
        raise AttributeError(f"app.stats has no counter {name!r}; counters: {', '.join(sorted(values))}")

    def __setattr__(self, name, value):
        raise AttributeError("app.stats is read-only")

    def __repr__(self):
        values = _call("stats.get-stats")
        return f"Stats({values})"


def _counter(name):
    op = "stats.get-stats:" + name
    return property(lambda self: _door(op, _NO_ARGS))


# The names `stats.get-stats` answers with (bridge.rs).
for _name in ("api_requests", "api_success", "api_errors", "prompt_tokens", "completion_tokens",
              "tokens_sent", "tokens_received", "api_time_spent", "api_time_ms", "tool_calls",
              "tool_errors", "messages_sent"):
    setattr(_Stats, _name, _counter(_name))
del _name


class _Tool(dict):
    """One tool. Setting 'auto_approved' writes back (tools.manage)."""

    def __setitem__(self, key, value):
        if key != "auto_approved":
            raise TypeError(f"only 'auto_approved' can be changed on a tool, not {key!r}")
        _call("tools.set-auto-approved", name=self["name"], value=bool(value))
        dict.__setitem__(self, key, bool(value))


class _Tools(dict):
    """app.tool_manager.tools: name -> tool. `del tools[name]` removes one (tools.manage)."""

    def __delitem__(self, name):
        _call("tools.remove-tool", name=name)
        dict.__delitem__(self, name)

    def __setitem__(self, name, value):
        raise TypeError("tools are registered with ctx.register_tool, not by assignment")


class _ToolManager(_Component):
    """app.tool_manager: tools.read / tools.manage."""

    @property
    def tools(self):
        return _Tools({name: _Tool(t) for name, t in _call("tools.list-tools").items()})

    def set_auto_approved(self, name, value=True):
        _call("tools.set-auto-approved", name=name, value=bool(value))

    def remove_tool(self, name):
        _call("tools.remove-tool", name=name)


class _PluginSystem(_Component):
    """app.plugin_system: plugins.read."""

    @property
    def plugins(self):
        return _call("plugins.list-plugins")

    def get_plugin_tools(self):
        return {p["name"]: p["tools"] for p in _call("plugins.list-plugins")}


class _Config(_Component):
    """app.config: config.read / config.write; the API key is never readable."""

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _call("config.get", key=name.replace("_", "-"))

    def __setattr__(self, name, value):
        if isinstance(value, bool):
            value = "true" if value else "false"
        _call("config.set", key=name.replace("_", "-"), value=str(value))

    def keys(self):
        return _call("config.keys")


class _StreamingClient(_Component):
    """app.streaming_client: the model client lives in the host."""

    def send_request(self, *args, **kwargs):
        raise RuntimeError("the model client runs in the host; " + _HOOK_HINT)


class _App(_Component):
    """The aicoder application, reached only through capabilities."""

    def __init__(self):
        for name, value in (("input_handler", _InputHandler()), ("message_history", _MessageHistory()),
                            ("stats", _Stats()), ("tool_manager", _ToolManager()),
                            ("plugin_system", _PluginSystem()), ("config", _Config()),
                            ("streaming_client", _StreamingClient())):
            object.__setattr__(self, name, value)

    def __repr__(self):
        return "<aicoder app: input_handler, message_history, stats, tool_manager, plugin_system, config>"


class _Ctx:
    """Plugin context: log, shell, hooks."""

    def __init__(self):
        self.hooks = {}
        self.tools = {}
        self.commands = {}

    def log(self, message, level="info"):
        _call("log.write", message=str(message), level=level)

    def run_shell(self, command, timeout=None):
        timeout_ms = None if timeout is None else int(timeout * 1000)
        out = _call("shell.exec", command=command, timeout_ms=timeout_ms)
        return out

    def register_hook(self, event, fn):
        if not callable(fn):
            raise TypeError("register_hook needs a function")
        _call("hooks.subscribe", event=event)
        self.hooks.setdefault(event, []).append(fn)

    def read_file(self, path):
        return _call("fs.read-file", path=path)

    def write_file(self, path, content):
        _call("fs.write-file", path=path, content=content)

    def set_prompt_section(self, name, text):
        """Add (or, with "", remove) this plugin's own system-prompt section."""
        _call("prompt.set-section", name=name, text=text)

    def clear_prompt_section(self, name):
        _call("prompt.clear-section", name=name)

    def read_data(self, path, area="project"):
        """Read a file of this plugin's own data folder (data.read)."""
        return _call("data.read-file", area=area, path=path)

    def list_data(self, path="", area="project"):
        return _call("data.list-dir", area=area, path=path)

    def write_data(self, path, content):
        """Write a file in this plugin's own project data folder (data.write)."""
        _call("data-write.write-file", path=path, content=content)

    def delete_data(self, path):
        _call("data-write.delete-file", path=path)

    def ask_user(self, question, choices=()):
        """Ask the user at the terminal (ui.ask); refused without one."""
        return _call("ui.ask", question=question, choices=list(choices))

    def bell(self):
        """Ring the terminal's bell (ui.bell)."""
        _call("ui-bell.bell")

    def set_clipboard(self, text):
        """Put text on the terminal's clipboard by OSC 52 (ui.clipboard)."""
        _call("ui-clipboard.set-clipboard", text=text)

    def start_job(self, command):
        """Start a background job (process.spawn); it dies with the session."""
        return _call("process.start", command=command)

    def stop_job(self, job_id):
        return _call("process.stop", id=job_id)

    def list_jobs(self):
        return _call("process.list-jobs")

    def tail_job(self, job_id, max_bytes=65536):
        return _call("process.tail", id=job_id, max_bytes=max_bytes)

    def register_tool(self, name, fn, description="", parameters=None, auto_approved=False):
        """Offer `fn(**arguments)` to the model as tool `name` (tools.manage)."""
        if not callable(fn):
            raise TypeError("register_tool needs a function")
        _call("tools.register-tool", name=name, description=description or (fn.__doc__ or ""),
              parameters=parameters or {"type": "object", "properties": {}}, auto_approved=bool(auto_approved))
        self.tools[name] = fn

    def register_command(self, name, fn, description=""):
        """Add slash command /name; `fn(args: str)` returns the text to show (tools.manage)."""
        if not callable(fn):
            raise TypeError("register_command needs a function")
        name = name.lstrip("/")
        _call("tools.register-command", name=name, description=description or (fn.__doc__ or ""))
        self.commands[name] = fn


app = _App()
ctx = _Ctx()

_OUTPUT_CAP = 256 * 1024


class _OutputCapExceeded(Exception):
    pass


class _Capture:
    """What the code prints, kept and capped natively (`_aicoder.capture_*`):
    `print` calls the native `write` directly, with no Python frame. The
    text is copied, so a flood of equal strings piles up no references."""

    def __init__(self):
        _aicoder.capture_start(_OutputCapExceeded, _OUTPUT_CAP)
        self.write = _aicoder.capture_write

    def flush(self):
        pass

    def getvalue(self):
        return _aicoder.capture_take()


def _fresh_globals():
    # The user's globals are the dict of a real `__main__` module in
    # sys.modules, as in CPython: pickle, dataclasses, typing.get_type_hints
    # and unittest.main() look classes up through sys.modules["__main__"].
    main = type(_sys)("__main__")
    main.__dict__.update({"__builtins__": __builtins__, "app": app, "ctx": ctx})
    _sys.modules["__main__"] = main
    return main.__dict__


_user = _fresh_globals()


def _describe(value):
    try:
        text = repr(value)
    except Exception as e:  # a broken __repr__ must not lose the result
        text = f"<repr failed: {type(e).__name__}>"
    return text if len(text) <= 2000 else text[:2000] + "..."


def _traceback(error, code):
    """The traceback of the user's code, without the runtime's own frames."""
    lines = ["Traceback (most recent call last):"]
    source = code.splitlines()
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith("<aicoder "):
            lines.append(f'  File "{filename}", line {tb.tb_lineno}, in {tb.tb_frame.f_code.co_name}')
            if filename == "<inline>" and 0 < tb.tb_lineno <= len(source):
                lines.append("    " + source[tb.tb_lineno - 1].strip())
        tb = tb.tb_next
    lines.append(f"{type(error).__name__}: {error}")
    return "\n".join(lines)


# Compiled code by source text: the model often runs the same snippet
# again, and compiling is a large part of a short run. Code objects are
# immutable, so reuse is safe; the dict compares whole sources.
_CODE_CACHE = {}
_CODE_CACHE_ENTRIES = 64
_CODE_CACHE_MAX_SOURCE = 64 * 1024


def _compiled(code):
    found = _CODE_CACHE.get(code)
    if found is None:
        found = compile(code, "<inline>", "exec")
        if len(code) <= _CODE_CACHE_MAX_SOURCE:
            if len(_CODE_CACHE) >= _CODE_CACHE_ENTRIES:
                _CODE_CACHE.clear()
            _CODE_CACHE[code] = found
    return found


def _aicoder_run(code):
    capture = _Capture()
    before = set(_user)
    old_out, old_err = _sys.stdout, _sys.stderr
    _sys.stdout = _sys.stderr = capture
    error = None
    try:
        exec(_compiled(code), _user)
    except SystemExit as e:
        _sys.stdout, _sys.stderr = old_out, old_err
        # sys.exit(), sys.exit(0) and sys.exit(None) end the code successfully,
        # as they end a CPython script with status 0.
        if e.code is not None and e.code != 0:
            error = {"type": "SystemExit", "message": str(e), "traceback": _traceback(e, code)}
    except BaseException as e:
        _sys.stdout, _sys.stderr = old_out, old_err
        error = {"type": type(e).__name__, "message": str(e), "traceback": _traceback(e, code)}
    finally:
        _sys.stdout, _sys.stderr = old_out, old_err
    created = [(k, _describe(_user[k])) for k in _user
               if k not in before and not k.startswith("_") and type(_user[k]).__name__ != "module"]
    return {"printed": capture.getvalue(), "vars": created, "error": error}


def _aicoder_reset():
    global _user
    _user = _fresh_globals()


_GONE = ("was registered by Python code that is gone (the interpreter was restarted); "
         "run the code that registers it again")


def _aicoder_call_tool(name, arguments):
    """Run a tool registered with ctx.register_tool; returns JSON {ok} or {error}."""
    fn = ctx.tools.get(name)
    if fn is None:
        return {"error": f"tool {name!r} {_GONE}"}
    try:
        value = fn(**(arguments or {}))
        text = value if isinstance(value, str) else _describe(value)
        return {"ok": text}
    except BaseException as e:
        return {"error": _traceback(e, "")}


def _aicoder_command(name, args):
    """Run a command registered with ctx.register_command."""
    fn = ctx.commands.get(name)
    if fn is None:
        return {"error": f"command /{name} {_GONE}"}
    try:
        value = fn(args)
        return {"ok": "" if value is None else str(value)}
    except BaseException as e:
        return {"error": _traceback(e, "")}


def _aicoder_event(name, payload):
    """Run the Python hooks registered for an event; returns the new payload or None."""
    result = None
    for fn in ctx.hooks.get(name, []):
        value = fn(payload if result is None else result)
        if name == "transform_request" and value is not None:
            result = value
    return result


# What `app.<component>.<member>` needs, read (load) and write (store/delete).
_NEEDS = {
    "input_handler": ("workspace.read", "workspace.write"),
    "message_history": ("history.read", "history.write"),
    "stats": ("stats.read", "stats.read"),
    "tool_manager": ("tools.read", "tools.manage"),
    "plugin_system": ("plugins.read", "plugins.read"),
    "config": ("config.read", "config.write"),
}
_WRITE_METHODS = {"add_message", "append", "clear", "set_message", "set_auto_approved", "remove_tool"}
_CTX_NEEDS = {"run_shell": "shell.exec", "register_hook": "hooks.register",
              "register_tool": "tools.manage", "register_command": "tools.manage",
              "read_file": "fs.read", "write_file": "fs.write",
              "set_prompt_section": "prompt.write", "clear_prompt_section": "prompt.write",
              "read_data": "data.read", "list_data": "data.read",
              "write_data": "data.write", "delete_data": "data.write",
              "ask_user": "ui.ask", "bell": "ui.bell", "set_clipboard": "ui.clipboard",
              "start_job": "process.spawn", "stop_job": "process.spawn",
              "list_jobs": "process.read", "tail_job": "process.read"}


def _aicoder_needs(code):
    """Capabilities the code will need, from its syntax tree, before it runs."""
    import ast
    tree = ast.parse(code)
    needs = set()
    item_writes = False
    # A ctx file or shell call with a literal first argument proposes the
    # grant scope it needs (`fs.write:src/a.py`, `shell.exec:cargo test`).
    scoped = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "ctx"
                and node.func.attr in ("read_file", "write_file", "run_shell") and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and node.args[0].value.strip() and "\n" not in node.args[0].value):
            needs.add(_CTX_NEEDS[node.func.attr] + ":" + node.args[0].value.strip())
            scoped.add(id(node.func))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Subscript,)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            item_writes = True
        if not isinstance(node, ast.Attribute):
            continue
        base = node.value
        if isinstance(base, ast.Name) and base.id == "ctx" and node.attr in _CTX_NEEDS \
                and id(node) not in scoped:
            needs.add(_CTX_NEEDS[node.attr])
        if isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) and base.value.id == "app":
            pair = _NEEDS.get(base.attr)
            if pair is None:
                continue
            writes = isinstance(node.ctx, (ast.Store, ast.Del)) or node.attr in _WRITE_METHODS
            needs.add(pair[1] if writes else pair[0])
    needs |= _doors_needs(tree)
    needs |= _host_needs(tree)
    # Messages and tools are dicts that write back on item assignment.
    if item_writes and "history.read" in needs:
        needs.add("history.write")
    if item_writes and "tools.read" in needs:
        needs.add("tools.manage")
    return sorted(needs)


# Python's own doors (py/doors.py) and the capability each needs.
_FS_READS = {"listdir", "stat", "lstat", "exists", "isfile", "isdir", "getsize", "walk", "scandir",
             "read_text", "read_bytes", "iterdir", "glob", "rglob", "is_file", "is_dir", "getcwd",
             "cmp", "input"}
_FS_WRITES = {"write_text", "write_bytes", "mkdir", "makedirs", "copy", "copy2", "copyfile",
              "copytree", "touch", "move"}


def _doors_needs(tree):
    import ast
    needs = set()
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names} | {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported |= {node.module, node.module.split(".")[0]}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            needs.add("fs.read")
            mode = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "mode"), None)
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) & set("wax+"):
                needs.add("fs.write")
        name = node.attr if isinstance(node, ast.Attribute) else (
            node.id if isinstance(node, ast.Name) else None)
        if name is None or not imported & {"os", "pathlib", "shutil", "glob", "filecmp", "fileinput"}:
            continue
        if name in _FS_READS:
            needs.add("fs.read")
        if name in _FS_WRITES:
            needs |= {"fs.read", "fs.write"}
    if imported & {"subprocess"}:
        needs.add("shell.exec")
    if imported & {"urllib.request"} or "urlopen" in {getattr(n, "id", None) for n in ast.walk(tree)}:
        needs.add("net.fetch")
    return needs

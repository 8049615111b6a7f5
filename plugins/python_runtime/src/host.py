
# `ctx.host`: every function of aicoder's plugin contract (wit/), by
# interface and function name in snake case, e.g. `ctx.host.ui_bell.bell()`
# or `ctx.host.data.read_file("project", "notes.md")`. Arguments are the WIT
# parameters, by position or by name; records are dicts, enums their case
# names. Each call is checked against its capability and audited like any
# other. build.rs appends this file to prelude.py, and `_WIT_OPS` (read from
# wit/) after it, so a function added to the contract is here with no edit.


class _HostFunction:
    """One function of the contract; calling it is one host call."""

    def __init__(self, op, params, needs, summary):
        self._op = op
        self._params = params
        needs = f" Needs {needs}." if needs else ""
        self.__doc__ = f"{op}({', '.join(params)}): {summary}{needs}"

    def __call__(self, *args, **kwargs):
        if len(args) > len(self._params):
            raise TypeError(f"{self._op} takes {len(self._params)} arguments "
                            f"({', '.join(self._params) or 'none'}), not {len(args)}")
        for name, value in zip(self._params, args):
            if name in kwargs:
                raise TypeError(f"{self._op} got `{name}` twice")
            kwargs[name] = value
        unknown = sorted(set(kwargs) - set(self._params))
        if unknown:
            raise TypeError(f"{self._op} has no parameter {', '.join(unknown)}; "
                            f"it takes ({', '.join(self._params)})")
        return _aicoder.call("wit:" + self._op, kwargs)

    def __repr__(self):
        return f"<host function {self._op}>"


class _HostInterface:
    """One interface of the contract (its functions as attributes), or the
    contract itself (its interfaces as attributes)."""

    def __init__(self, name, members, missing):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_members", members)
        object.__setattr__(self, "_missing", missing)

    def __getattr__(self, name):
        try:
            return self._members[name]
        except KeyError:
            raise AttributeError(f"{self._missing} {name}; it has {', '.join(sorted(self._members))}") from None

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot set {self._name}.{name}: host functions cannot be replaced")

    def __dir__(self):
        return sorted(self._members)

    def __repr__(self):
        return f"<host interface {self._name}: {', '.join(sorted(self._members))}>"


_HOST = None


def _host():
    global _HOST
    if _HOST is None:
        interfaces = {}
        for op, params, needs, summary in _WIT_OPS:
            iface, fn = op.split(".", 1)
            functions = interfaces.setdefault(iface.replace("-", "_"), {})
            functions[fn.replace("-", "_")] = _HostFunction(op, params, needs, summary)
        _HOST = _HostInterface("host", {name: _HostInterface(name, fns, f"interface {name} has no function")
                                         for name, fns in interfaces.items()},
                               "the contract has no interface")
    return _HOST


def _host_needs(tree):
    """The capabilities `ctx.host.<interface>.<function>` calls in `tree` need."""
    import ast
    by_op = {op.replace("-", "_"): needs for op, _, needs, _ in _WIT_OPS if needs}
    needs = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        iface = node.value
        if (isinstance(iface, ast.Attribute) and isinstance(iface.value, ast.Attribute)
                and iface.value.attr == "host" and isinstance(iface.value.value, ast.Name)
                and iface.value.value.id == "ctx"):
            need = by_op.get(iface.attr + "." + node.attr)
            if need:
                needs.add(need)
    return needs


_Ctx.host = property(lambda self: _host(),
                     doc="Every function of the contract (wit/): ctx.host.<interface>.<function>(...)")

"""snippets: reusable prompt snippets, an aicoder plugin in Python (built
with componentize-py by `make build`).

Snippets are text files in ~/.config/aicoder/snippets/ (the user's) and
.aicoder/snippets/ (the project's, which win on a shared name), reached
through the `data` capability, which confines the plugin to exactly those
two folders. `@@name` in a message is replaced by the snippet's text before
the message is sent; `/snippets` lists them, `/snippet NAME` shows one.
"""
from componentize_py_types import Err
from wit_world import exports
from wit_world.exports import guest
from wit_world.imports import data, history, log, types

from logic import candidates, expand, listing

AREAS = (("project", data.Area.PROJECT), ("user", data.Area.USER))
HOST_ERRORS = (types.HostError_AccessDenied, types.HostError_InvalidArgument,
               types.HostError_NotFound, types.HostError_Failed)


def _plugin_error(err):
    """A host refusal as the plugin's error, naming the capability to grant."""
    value = err.value
    if isinstance(value, types.HostError_AccessDenied):
        return guest.PluginError_AccessDenied(
            f"permission denied: {value.value.capability} ({value.value.hint})")
    return guest.PluginError_Failed(f"snippets: {value.value}")


def _load(name):
    """The text of snippet `name` (project first), or None if there is none.
    A refusal other than not-found (no grant) is raised."""
    for _, area in AREAS:
        for file in candidates(name):
            try:
                return data.read_file(area, file)
            except Err as e:
                if isinstance(e.value, (types.HostError_NotFound, types.HostError_InvalidArgument)):
                    continue
                raise
    return None


def _names():
    names = {}
    for label, area in AREAS:
        names[label] = [e.name for e in data.list_dir(area, "") if not e.is_dir]
    return names


class Guest(exports.Guest):
    def manifest(self):
        return guest.PluginManifest(
            name="snippets",
            version="0.1.0",
            description="Reusable prompt snippets: @@name in a message, /snippets, /snippet NAME",
            tools=[],
            commands=[
                guest.CommandSpec(name="snippets", description="List the snippets (@@name expands them)"),
                guest.CommandSpec(name="snippet", description="Show one snippet: /snippet NAME"),
            ],
            hooks=["after_user_message_added"],
        )

    def call_tool(self, name, args_json):
        raise Err(guest.PluginError_InvalidArguments(f"unknown tool `{name}`"))

    def preview_tool(self, name, args_json):
        raise Err(guest.PluginError_InvalidArguments(f"unknown tool `{name}`"))

    def run_command(self, name, args):
        try:
            if name == "snippets":
                return listing(_names())
            if name == "snippet":
                wanted = args.strip()
                if not wanted:
                    raise Err(guest.PluginError_InvalidArguments("usage: /snippet NAME"))
                text = _load(wanted)
                if text is None:
                    raise Err(guest.PluginError_InvalidArguments(
                        f"no snippet `{wanted}`; /snippets lists them"))
                return text
        except Err as e:
            if isinstance(e.value, HOST_ERRORS):
                raise Err(_plugin_error(e))
            raise
        raise Err(guest.PluginError_InvalidArguments(f"unknown command `{name}`"))

    def on_event(self, event):
        if event.name != "after_user_message_added":
            return guest.EventOutcome_Unchanged()
        try:
            messages = history.get_messages()
            if not messages or messages[-1].role != "user" or "@@" not in messages[-1].content:
                return guest.EventOutcome_Unchanged()
            last = messages[-1]
            text, done, missing = expand(last.content, _load)
            if missing:
                log.write(log.Level.WARN, "no snippet for " + ", ".join("@@" + m for m in missing) + "; left as written")
            if done:
                history.set_message(len(messages) - 1, types.Message(
                    role="user", content=text, tool_call_id=None, name=None))
                log.write(log.Level.INFO, "expanded " + ", ".join("@@" + d for d in done))
        except ValueError as e:
            raise Err(guest.PluginError_Failed(f"snippets: {e}"))
        except Err as e:
            if isinstance(e.value, HOST_ERRORS):
                raise Err(_plugin_error(e))
            raise
        return guest.EventOutcome_Unchanged()

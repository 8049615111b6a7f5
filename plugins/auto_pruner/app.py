"""auto_pruner: an aicoder hook plugin written in Python (componentize-py).

Port of AI Coder v3's auto_pruner: before the context window fills, old tool
results are replaced by a one-line placeholder, oldest first, so that the
conversation goes on without a summary. The rule is in prune.py. After each
round of tool results (event `after_tool_results`) it reads the conversation
(history.read) and rewrites the old results (history.write); `/prune` prunes
every tool result before the newest round now.
"""
from componentize_py_types import Err
from wit_world import exports
from wit_world.exports import guest
from wit_world.imports import history, types

import prune


def _plugin_error(error):
    if isinstance(error, types.HostError_AccessDenied):
        return guest.PluginError_AccessDenied(
            f"permission denied: {error.value.capability} ({error.value.hint})")
    return guest.PluginError_Failed(str(getattr(error, "value", error)))


def _run(prune_at, prune_to):
    try:
        wit_messages = history.get_messages()
        messages = [{"role": m.role, "content": m.content, "name": m.name} for m in wit_messages]
        changes = prune.plan(messages, prune_at, prune_to)
        for index, content in changes:
            old = wit_messages[index]
            history.set_message(index, types.Message(
                role=old.role, content=content, tool_call_id=old.tool_call_id, name=old.name))
    except Err as e:
        raise Err(_plugin_error(e.value))
    return len(changes)


class Guest(exports.Guest):
    def manifest(self):
        return guest.PluginManifest(
            name="auto_pruner",
            version="0.1.0",
            description="Prunes old tool results before the context window fills (a Python plugin)",
            tools=[],
            commands=[guest.CommandSpec(name="prune", description="replace every tool result before the newest round by a placeholder")],
            hooks=["after_tool_results"],
        )

    def call_tool(self, name, args_json):
        raise Err(guest.PluginError_InvalidArguments(f"unknown tool `{name}`"))

    def preview_tool(self, name, args_json):
        raise Err(guest.PluginError_InvalidArguments(f"unknown tool `{name}`"))

    def run_command(self, name, args):
        if name != "prune":
            raise Err(guest.PluginError_InvalidArguments(f"unknown command `/{name}`"))
        n = _run(0, 0)
        return f"pruned {n} old tool result(s)"

    def on_event(self, event):
        if event.name == "after_tool_results":
            _run(prune.PRUNE_AT_CHARS, prune.PRUNE_TO_CHARS)
        return guest.EventOutcome_Unchanged()

"""word_stats: an aicoder plugin written in Python, built with componentize-py.

It shows the contract is not Rust-only: the same WIT world, the same grants.
Build: componentize-py -d ../../wit -w plugin componentize app -o word_stats.wasm
"""
import json

from componentize_py_types import Err
from wit_world import exports
from wit_world.exports import guest
from wit_world.imports import types, workspace

SCHEMA = json.dumps({
    "type": "object",
    "properties": {"text": {"type": "string", "description": "Text to count"}},
    "required": ["text"],
})


def _text(args_json):
    try:
        args = json.loads(args_json or "{}")
    except ValueError as e:
        raise Err(guest.PluginError_InvalidArguments(f"arguments are not JSON: {e}"))
    text = args.get("text") if isinstance(args, dict) else None
    if not isinstance(text, str):
        raise Err(guest.PluginError_InvalidArguments("missing string field `text`"))
    return text


class Guest(exports.Guest):
    def manifest(self):
        return guest.PluginManifest(
            name="word_stats",
            version="0.1.0",
            description="Counts words and lines (a Python plugin)",
            tools=[guest.ToolSpec(name="word_stats", description="Count words, lines and characters of a text.",
                                  parameters_json=SCHEMA, auto_approved=True, hidden=False)],
            commands=[guest.CommandSpec(name="pywhere", description="Where aicoder works (needs workspace.read)")],
            hooks=[],
        )

    def call_tool(self, name, args_json):
        if name != "word_stats":
            raise Err(guest.PluginError_InvalidArguments(f"unknown tool `{name}`"))
        text = _text(args_json)
        summary = f"{len(text.split())} words, {len(text.splitlines())} lines, {len(text)} characters"
        return guest.ToolOutput(summary=summary, detail=summary)

    def preview_tool(self, name, args_json):
        return guest.Preview(text=f"count the words of {_text(args_json)[:40]!r}", capabilities=[])

    def run_command(self, name, args):
        try:
            return f"aicoder works in {workspace.get_cwd()}"
        except Err as e:
            error = e.value
            if isinstance(error, types.HostError_AccessDenied):
                raise Err(guest.PluginError_AccessDenied(
                    f"permission denied: {error.value.capability} ({error.value.hint})"))
            raise Err(guest.PluginError_Failed(str(error)))

    def on_event(self, event):
        return guest.EventOutcome_Unchanged()

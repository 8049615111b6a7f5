"""The @NAME@ plugin for aicoder, built with componentize-py (see README.md)."""
import json

from aicoder import AccessDenied, HostError, InvalidArguments, PluginBase, host_calls
from logic import shout
from wit_world.exports import guest
@IMPORTS@

TEXT_SCHEMA = json.dumps({
    "type": "object",
    "properties": {"text": {"type": "string", "description": "Text to shout"}},
    "required": ["text"],
})


def status():
    """One line per capability this plugin imports; a denial (or another host
    error, such as a session-only write outside a session) is caught and shown."""
    lines = []

    def report(label, call):
        try:
            lines.append(f"{label}: {call()}")
        except AccessDenied as e:
            lines.append(f"{label}: not granted: {e}")
        except HostError as e:
            lines.append(f"{label}: {e}")

@STATUS@
    return "\n".join(lines)


class Guest(PluginBase):
    def manifest(self):
        return guest.PluginManifest(
            name="@NAME@",
            version="0.1.0",
            description="What @NAME@ does, in one line",
            tools=[guest.ToolSpec(name="@NAME@_shout", description="Shout the given text.",
                                  parameters_json=TEXT_SCHEMA, auto_approved=True, hidden=False)],
            commands=[guest.CommandSpec(name="@NAME@",
                                        description="Show what this plugin can reach (@CAPS@)")],
            hooks=[],
        )

    def tool(self, name, args):
        if name != "@NAME@_shout":
            raise InvalidArguments(f"unknown tool {name}")
        if not isinstance(args.get("text"), str):
            raise InvalidArguments("missing string field `text`")
        return shout(args["text"])

    def preview(self, name, args):
        return f"shout {args.get('text')!r}"

    def command(self, name, line):
        return status()

"""The official MCP Python SDK (PyPI `mcp`, pinned in the Makefile) as a
client of `aicoder mcp serve`, over stdio or Streamable HTTP.

Its elicitation callback answers the grant questions from a script given on
the command line (once, session, deny...), and every question and result is
printed as one JSON document for tests/mcp/serve_clients.rs to check against the
grants and audit lines aicoder wrote.

usage: python_client.py stdio AICODER CWD ENV_JSON ANSWERS CALLS
       python_client.py http URL TOKEN ANSWERS CALLS
ANSWERS: comma-separated scopes, one per question (`decline` declines).
CALLS: JSON list of [tool, arguments].
"""

import asyncio
import json
import sys

from mcp import types
from mcp.client.session import ClientSession


async def run(streams, answers, calls):
    questions = []
    answers = list(answers)

    async def elicit(context, params):
        questions.append(
            {"message": params.message, "schema": params.requested_schema}
        )
        answer = answers.pop(0) if answers else "decline"
        if answer == "decline":
            return types.ElicitResult(action="decline")
        return types.ElicitResult(action="accept", content={"scope": answer})

    read, write = streams[0], streams[1]
    results = []
    async with ClientSession(
        read,
        write,
        elicitation_callback=elicit,
        client_info=types.Implementation(name="python-sdk-client", version="2.3.0"),
    ) as session:
        init = await session.initialize()
        tools = await session.list_tools()
        for tool, arguments in calls:
            r = await session.call_tool(tool, arguments)
            text = "\n".join(c.text for c in r.content if getattr(c, "text", None))
            results.append({"tool": tool, "text": text, "is_error": bool(r.is_error)})
    print(
        json.dumps(
            {
                "server": init.server_info.name,
                "protocol": str(init.protocol_version),
                "tools": [t.name for t in tools.tools],
                "questions": questions,
                "results": results,
            }
        )
    )


async def main():
    mode = sys.argv[1]
    if mode == "stdio":
        from mcp.client.stdio import StdioServerParameters, stdio_client

        binary, cwd, env, answers, calls = sys.argv[2:7]
        params = StdioServerParameters(
            command=binary, args=["mcp", "serve"], cwd=cwd, env=json.loads(env)
        )
        async with stdio_client(params) as streams:
            await run(streams, answers.split(",") if answers else [], json.loads(calls))
    else:
        from mcp.client.streamable_http import streamable_http_client
        from mcp.shared._httpx_utils import create_mcp_http_client

        url, token, answers, calls = sys.argv[2:6]
        client = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        async with streamable_http_client(url, http_client=client) as streams:
            await run(streams, answers.split(",") if answers else [], json.loads(calls))


asyncio.run(main())

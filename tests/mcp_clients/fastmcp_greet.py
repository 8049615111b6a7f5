"""The example plugin's `greet` tool as a plain Python MCP server (the
official SDK's FastMCP, named MCPServer since mcp 2, PyPI `mcp`), the baseline of the MCP bench rows."""

from mcp.server.mcpserver import MCPServer

server = MCPServer("greet")


@server.tool()
def greet(name: str) -> str:
    """Greet someone by name."""
    return f"Hello, {name}!"


if __name__ == "__main__":
    server.run()

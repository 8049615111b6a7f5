//! What can go wrong with a server, worded for the user; the host puts the
//! server's name in front.

use std::time::Duration;

/// An MCP failure. Each message says what happened and, where there is
/// one, what to do.
#[derive(Debug, Clone, thiserror::Error)]
pub enum McpError {
    /// No server of that name is configured.
    #[error("no MCP server named `{0}`; `aicoder mcp list` shows the configured ones")]
    UnknownServer(String),
    /// The async runtime could not start.
    #[error("cannot start the MCP runtime: {0}")]
    Runtime(String),
    /// The command of a stdio server does not exist.
    #[error("the command `{0}` was not found; install it or fix `command` in the server's entry")]
    CommandNotFound(String),
    /// The child process could not be started.
    #[error("cannot start `{command}`: {reason}")]
    Spawn { command: String, reason: String },
    /// No `initialize` answer (or tool list) within the startup deadline.
    #[error("no answer to initialize within {} s; the server may be hung or waiting for input (see its log; MCP_TIMEOUT sets the limit in ms)", .0.as_secs())]
    StartTimeout(Duration),
    /// The handshake failed: the server closed, answered something that is
    /// not MCP, or sent invalid JSON.
    #[error("it did not complete the MCP handshake: {0}")]
    Handshake(String),
    /// The connection ended (the process exited or the HTTP session broke).
    #[error(
        "the connection closed (the server crashed or exited); it is restarted on the next use"
    )]
    Closed,
    /// A call took longer than the call deadline.
    #[error("no answer within {} s; the call was cancelled (MCP_TOOL_TIMEOUT sets the limit in ms)", .0.as_secs())]
    Timeout(Duration),
    /// The user pressed Ctrl-C.
    #[error("cancelled by the user (Ctrl-C)")]
    Cancelled,
    /// The server answered with a JSON-RPC error.
    #[error("the server returned an error: {0}")]
    Server(String),
}

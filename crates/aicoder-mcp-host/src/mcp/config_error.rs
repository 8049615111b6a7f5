//! Why an MCP server entry cannot be started as written, or the file of
//! entries cannot be changed (config.rs); the words are what `/mcp`,
//! `aicoder mcp add|remove` and the start-up notes show.

use std::path::PathBuf;

/// An entry that cannot become a transport.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// The old HTTP+SSE transport.
    #[error("type \"sse\" (the old HTTP+SSE transport) is not supported; use the server's Streamable HTTP URL")]
    Sse,
    /// Neither a command to start nor a url to reach.
    #[error("the entry has neither `command` nor `url`")]
    NoCommandOrUrl,
    /// `${` without `}`.
    #[error("unclosed ${{ in {text:?}")]
    Unclosed { text: String },
    /// `${NAME}` unset, without a default.
    #[error("it uses ${{{name}}}, which is not set; set it in the environment or give a default (${{{name}:-...}})")]
    Unset { name: String },
}

/// A server that could not be started again with a wider sandbox.
#[derive(Debug, thiserror::Error)]
pub enum RestartError {
    #[error("no MCP server named {0}")]
    Unknown(String),
    #[error("MCP server {0} is not running")]
    NotRunning(String),
    #[error("MCP server {server}: {source}")]
    Failed {
        server: String,
        source: aicoder_mcp::client::McpError,
    },
}

/// The process sandbox is required for stdio servers but missing here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the sandbox is required (MCP_SANDBOX/SHELL_SANDBOX=required) but not available here: {missing} is missing")]
pub struct SandboxRequired {
    /// What the kernel lacks.
    pub missing: String,
}

/// A file of entries that could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file is there but not JSON: left alone.
    #[error("{} is not valid JSON ({source}); fix it first, it was left as it is", path.display())]
    NotJson {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// The file or `mcpServers` is not an object.
    #[error("{} is not a JSON object", .0.display())]
    NotAnObject(PathBuf),
    #[error("{}: mcpServers is not an object", .0.display())]
    ServersNotAnObject(PathBuf),
    /// Reading the file or making its folder failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The entry could not be written as JSON.
    #[error("{0}")]
    Serialize(#[from] serde_json::Error),
    /// The atomic write failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

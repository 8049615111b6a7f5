//! `aicoder mcp serve`: aicoder as an MCP server (the other `aicoder mcp`
//! subcommands, for the servers aicoder uses, are in mcp_cmd.rs).

use anyhow::Result;
use std::net::SocketAddr;
use std::process::ExitCode;

/// Options of `aicoder mcp serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Serve Streamable HTTP on ADDR (e.g. 127.0.0.1:8123; port 0 picks one)
    /// instead of stdio. A bearer token is made and printed at start.
    #[arg(long, value_name = "ADDR")]
    pub http: Option<SocketAddr>,
    /// Offer only this plugin's tools (repeatable).
    #[arg(long = "plugin", value_name = "NAME")]
    pub plugins: Vec<String>,
}

/// Run `aicoder mcp serve` until the client leaves (or, over HTTP, Ctrl-C).
pub fn run(args: ServeArgs, session_grants: &[String]) -> Result<ExitCode> {
    crate::serve::run(
        crate::serve::ServeOptions {
            http: args.http,
            plugins: args.plugins,
        },
        session_grants,
    )?;
    Ok(ExitCode::SUCCESS)
}

//! `aicoder mcp ...`: aicoder as an MCP server (`serve`).

use anyhow::Result;
use std::net::SocketAddr;
use std::process::ExitCode;

/// `aicoder mcp` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum McpCommand {
    /// Offer this folder's plugins (user, shipped, and the project's own when
    /// trusted) as MCP tools over stdio, or Streamable HTTP with --http.
    /// Capabilities are granted only by you: through the client's question
    /// (elicitation) or `aicoder plugin grant`.
    Serve(ServeArgs),
}

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

pub fn run(cmd: McpCommand, session_grants: &[String]) -> Result<ExitCode> {
    match cmd {
        McpCommand::Serve(args) => {
            crate::serve::run(
                crate::serve::ServeOptions {
                    http: args.http,
                    plugins: args.plugins,
                },
                session_grants,
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

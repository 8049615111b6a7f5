//! The command line: argument parsing and one function per subcommand.

mod audit_cmd;
mod cache_cmd;
mod plugin_cmd;
mod precompile;
mod py_cmd;
mod scaffold;
mod serve_cmd;
mod trust_cmd;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// aicoder: a terminal AI coding assistant whose plugins are sandboxed
/// WebAssembly components.
#[derive(Debug, Parser)]
#[command(name = "aicoder", version, about)]
pub struct Cli {
    /// Grant capabilities to a plugin for this session: PLUGIN:CAP[,CAP...]
    #[arg(long = "grant", value_name = "PLUGIN:CAPS", global = true)]
    pub grants: Vec<String>,

    /// Let a plugin move the workspace root to exactly PATH, once (repeatable).
    /// Moving the root outside the folder aicoder started in is never covered
    /// by a grant: a session asks, `py`, `plugin call` and piped runs need this.
    #[arg(long = "allow-root", value_name = "PATH", global = true)]
    pub allow_roots: Vec<PathBuf>,

    /// Load this session file at start (and save to it by default).
    #[arg(long, value_name = "FILE", global = true)]
    pub session: Option<PathBuf>,

    /// Continue the most recent autosaved conversation of this folder
    /// (`.aicoder/sessions/`).
    #[arg(long, conflicts_with = "session")]
    pub resume: bool,

    /// Start with the Python runtime on (the model is offered run_inline_python).
    #[arg(long)]
    pub python_runtime: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands; without one, aicoder starts a session.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage and try plugins.
    #[command(subcommand)]
    Plugin(plugin_cmd::PluginCommand),
    /// Show recent audit-log entries of this project.
    Audit(audit_cmd::AuditArgs),
    /// Run Python in python_runtime against this folder's session, without a model.
    Py(py_cmd::PyArgs),
    /// Trust this folder's own plugins (.aicoder/plugins) so they load.
    Trust(trust_cmd::TrustArgs),
    /// Stop trusting this folder's own plugins.
    Untrust,
    /// Manage the compiled-plugin cache.
    #[command(subcommand)]
    Cache(cache_cmd::CacheCommand),
    /// aicoder and the Model Context Protocol: `mcp serve` offers the plugins as MCP tools.
    #[command(subcommand)]
    Mcp(serve_cmd::McpCommand),
}

/// Parse the arguments and run; the exit code says whether it worked.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Err(err) = crate::app::set_allowed_roots(&cli.allow_roots) {
        eprintln!("aicoder: {err:#}");
        return ExitCode::FAILURE;
    }
    let result = match cli.command {
        None => crate::session::run(&cli.grants, cli.session, cli.resume, cli.python_runtime),
        Some(Command::Py(args)) => py_cmd::run(args, &cli.grants, cli.session),
        Some(Command::Plugin(cmd)) => plugin_cmd::run(cmd, &cli.grants),
        Some(Command::Audit(args)) => audit_cmd::run(args, cli.session),
        Some(Command::Trust(args)) => trust_cmd::trust(args),
        Some(Command::Untrust) => trust_cmd::untrust(),
        Some(Command::Cache(cmd)) => cache_cmd::run(cmd),
        Some(Command::Mcp(cmd)) => serve_cmd::run(cmd, &cli.grants),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("aicoder: {err:#}");
            ExitCode::FAILURE
        }
    }
}

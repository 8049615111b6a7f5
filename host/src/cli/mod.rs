//! The command line: argument parsing and one function per subcommand.

mod audit_cmd;
mod cache_cmd;
mod exec_cmd;
mod mcp_cmd;
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

    #[command(flatten)]
    pub headless: exec_cmd::HeadlessFlags,

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
    /// MCP: the servers aicoder uses (mcp.json, .mcp.json: add, list, remove),
    /// and `mcp serve`, the plugins offered as MCP tools to other agents.
    #[command(subcommand)]
    Mcp(mcp_cmd::McpCommand),
    /// Manage the compiled-plugin cache.
    #[command(subcommand)]
    Cache(cache_cmd::CacheCommand),
    /// Run one task to its answer with nobody at a terminal (scripts, CI):
    /// --json events, --approve, --output-schema; exit codes in docs/headless.md.
    Exec(exec_cmd::ExecArgs),
}

/// Parse the arguments and run; the exit code says whether it worked.
pub fn run() -> ExitCode {
    let cli = Cli::parse_from(exec_cmd::join_ask_fd(std::env::args_os()));
    if let Err(err) = crate::app::set_allowed_roots(&cli.allow_roots) {
        eprintln!("aicoder: {err:#}");
        return ExitCode::FAILURE;
    }
    let result = match cli.command {
        None if cli.headless.any() => exec_cmd::run(None, &cli.headless, &cli.grants),
        None => {
            let (grants, task) = exec_cmd::split_task_grant(&cli.grants);
            if task {
                crate::session::offer_task_tool();
            }
            crate::session::run(&grants, cli.session, cli.resume, cli.python_runtime)
        }
        Some(Command::Exec(args)) => exec_cmd::run(args.task, &cli.headless, &cli.grants),
        Some(Command::Py(args)) => py_cmd::run(args, &cli.grants, cli.session),
        Some(Command::Plugin(cmd)) => plugin_cmd::run(cmd, &cli.grants),
        Some(Command::Audit(args)) => audit_cmd::run(args, cli.session),
        Some(Command::Trust(args)) => trust_cmd::trust(args),
        Some(Command::Untrust) => trust_cmd::untrust(),
        Some(Command::Cache(cmd)) => cache_cmd::run(cmd),
        Some(Command::Mcp(cmd)) => mcp_cmd::run(cmd, &cli.grants),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("aicoder: {err:#}");
            ExitCode::FAILURE
        }
    }
}

//! The command line: argument parsing and one function per subcommand.

mod audit_cmd;
mod plugin_cmd;
mod session;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub use session::Session;

/// aicoder: a terminal AI coding assistant whose plugins are sandboxed
/// WebAssembly components.
#[derive(Debug, Parser)]
#[command(name = "aicoder", version, about)]
pub struct Cli {
    /// Grant capabilities to a plugin for this session: PLUGIN:CAP[,CAP...]
    #[arg(long = "grant", value_name = "PLUGIN:CAPS", global = true)]
    pub grants: Vec<String>,

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
}

/// Parse the arguments and run; the exit code says whether it worked.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => session::run(&cli.grants),
        Some(Command::Plugin(cmd)) => plugin_cmd::run(cmd, &cli.grants),
        Some(Command::Audit(args)) => audit_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("aicoder: {err:#}");
            ExitCode::FAILURE
        }
    }
}

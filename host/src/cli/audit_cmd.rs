//! `aicoder audit`: read the project's audit log.

use crate::caps::audit::{read_recent, AuditEntry};
use crate::config::Paths;
use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;

/// Options of `aicoder audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Only entries of this plugin.
    #[arg(long)]
    plugin: Option<String>,
    /// How many of the most recent entries to show.
    #[arg(short = 'n', long, default_value_t = 20)]
    limit: usize,
    /// Print the entries as JSON lines, as stored.
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    action: Option<AuditAction>,
}

/// `aicoder audit undo`.
#[derive(Debug, clap::Subcommand)]
pub enum AuditAction {
    /// Revert the last N state writes made through capabilities (default 1),
    /// in this folder's session file; shows what will change first.
    Undo {
        #[arg(default_value_t = 1)]
        count: usize,
        /// Apply without asking.
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(args: AuditArgs, session_file: Option<std::path::PathBuf>) -> Result<ExitCode> {
    if let Some(AuditAction::Undo { count, yes }) = args.action {
        return undo(count, yes, session_file);
    }
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let path = Paths::for_project(&root).audit_log();
    if args.json {
        let tail = read_recent(&path, args.limit, args.plugin.as_deref())
            .with_context(|| format!("cannot read {}", path.display()))?;
        for e in tail.entries {
            println!("{}", serde_json::to_string(&e)?);
        }
        return Ok(ExitCode::SUCCESS);
    }
    print_recent(&path, args.limit, args.plugin.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

/// Offline undo: against the session file of this folder (or `--session`).
fn undo(count: usize, yes: bool, session_file: Option<std::path::PathBuf>) -> Result<ExitCode> {
    let mut session = crate::session::Session::open(&[])?;
    let path = session_file.unwrap_or_else(|| session.session_file.clone());
    if path.exists() {
        session.load_file(&path)?;
    }
    let steps = crate::caps::undo::plan(&session.host.services().audit, count)?;
    if steps.is_empty() {
        println!("nothing to undo");
        return Ok(ExitCode::SUCCESS);
    }
    println!("Undo will revert:");
    for s in &steps {
        println!("  {}", s.describe());
    }
    if !yes {
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            anyhow::bail!("add --yes to apply the undo (no terminal to ask)");
        }
        let mut input = crate::session::Input::stdin(None);
        let answer = input.ask("Apply? [y/N]: ").unwrap_or_default();
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("nothing changed");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let report = session.undo(&steps);
    let failed = report.iter().any(|l| l.starts_with("not undone"));
    for line in report {
        println!("{line}");
    }
    if path.exists() || session.state().messages.len() > 1 {
        session.save_file(&path)?;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn line(e: &AuditEntry) -> String {
    let mut s = format!(
        "{} {:<8} {:<12} {:<16} {:<18} {}",
        e.time,
        format!("{:?}", e.outcome).to_lowercase(),
        e.plugin,
        e.capability,
        e.operation,
        e.args
    );
    if let (Some(old), Some(new)) = (&e.old, &e.new) {
        s.push_str(&format!("  {old} -> {new}"));
    }
    if let Some(detail) = &e.detail {
        s.push_str(&format!("  ({detail})"));
    }
    s
}

/// Print the last `limit` entries, for one plugin or all.
pub fn print_recent(path: &Path, limit: usize, plugin: Option<&str>) -> Result<()> {
    let tail = read_recent(path, limit, plugin)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if tail.entries.is_empty() {
        println!("no audit entries in {}", path.display());
    }
    for e in &tail.entries {
        println!("{}", line(e));
    }
    if tail.unreadable_lines > 0 {
        eprintln!(
            "aicoder: {} damaged line(s) in {} were skipped",
            tail.unreadable_lines,
            path.display()
        );
    }
    Ok(())
}

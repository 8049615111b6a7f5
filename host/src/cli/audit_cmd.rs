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
}

pub fn run(args: AuditArgs) -> Result<ExitCode> {
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

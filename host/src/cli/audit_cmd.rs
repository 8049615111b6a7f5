//! `aicoder audit`: read the project's audit log.

use crate::caps::audit::{read_recent, AuditEntry, AuditLog};
use crate::caps::undo::Select;
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

/// `aicoder audit undo` and `aicoder audit verify`.
#[derive(Debug, clap::Subcommand)]
pub enum AuditAction {
    /// Revert the last N state writes made through capabilities (default 1),
    /// in this folder's session file; shows what will change first, and
    /// lists writes that cannot be undone or whose log lines do not verify.
    Undo {
        #[arg(default_value_t = 1)]
        count: usize,
        /// Undo the write with this sequence number instead.
        #[arg(long, conflicts_with = "count")]
        seq: Option<u64>,
        /// Apply without asking.
        #[arg(long)]
        yes: bool,
        /// Only show the plan.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check the log's hash chain and its blobs; names the first broken line
    /// and exits non-zero when there is one.
    Verify,
}

pub fn run(args: AuditArgs, session_file: Option<std::path::PathBuf>) -> Result<ExitCode> {
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let path = Paths::for_project(&root).audit_log();
    match args.action {
        Some(AuditAction::Undo {
            count,
            seq,
            yes,
            dry_run,
        }) => {
            let select = seq.map_or(Select::Last(count), Select::Seq);
            if dry_run {
                let plan = crate::caps::undo::plan(&AuditLog::new(path), select)?;
                for line in plan.describe() {
                    println!("{line}");
                }
                return Ok(ExitCode::SUCCESS);
            }
            return undo(select, yes, session_file);
        }
        Some(AuditAction::Verify) => return verify(&path),
        None => {}
    }
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

/// `aicoder audit verify`: report, and fail on a broken chain.
fn verify(path: &Path) -> Result<ExitCode> {
    let (ok, report) = verify_report(path)?;
    println!("{report}");
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Verify the log at `path`: whether it holds, and one paragraph saying so.
pub fn verify_report(path: &Path) -> Result<(bool, String)> {
    let v = crate::caps::audit::verify(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let shown = path.display();
    if let Some(broken) = v.broken {
        return Ok((
            false,
            format!(
                "audit log {shown} is BROKEN: {broken}\n(the lines before it verified; \
                 undo refuses writes at or before the break)"
            ),
        ));
    }
    let mut report = match v.last_seq {
        Some(seq) => format!(
            "audit log {shown} ok: {} lines, chain seq 1-{seq} verified, {} blob(s) checked",
            v.lines, v.blobs
        ),
        None if v.lines == 0 => format!("audit log {shown} ok: empty"),
        None => format!("audit log {shown}: {} lines, none chained yet", v.lines),
    };
    if v.unchained_before > 0 {
        report.push_str(&format!(
            "\n{} line(s) at the start were written before the log was chained and cannot be verified",
            v.unchained_before
        ));
    }
    Ok((true, report))
}

/// Offline undo: against the session file of this folder (or `--session`).
fn undo(select: Select, yes: bool, session_file: Option<std::path::PathBuf>) -> Result<ExitCode> {
    let mut session = crate::session::Session::open(&[])?;
    let path = session_file.unwrap_or_else(|| session.session_file.clone());
    if path.exists() {
        session.load_file(&path)?;
    }
    let plan = crate::caps::undo::plan(&session.host.services().audit, select)?;
    for line in plan.describe() {
        println!("{line}");
    }
    let steps = plan.steps();
    let refused = !plan.refused().is_empty();
    if steps.is_empty() {
        return Ok(if refused {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
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
    let failed = refused || report.iter().any(|l| l.starts_with("not undone"));
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
    let seq = e.seq.map_or(String::new(), |s| format!("#{s} "));
    let mut s = format!(
        "{seq}{} {:<8} {:<12} {:<16} {:<18} {}",
        e.time,
        format!("{:?}", e.outcome).to_lowercase(),
        e.plugin,
        e.capability,
        e.operation,
        e.args
    );
    let blob = |b: &crate::caps::audit::blobs::BlobRef| {
        let short: String = b.hash.chars().take(12).collect();
        format!("[{} bytes in blob {short}: {}…]", b.bytes, b.preview)
    };
    let old = e
        .old
        .as_ref()
        .map(|v| v.to_string())
        .or(e.old_blob.as_ref().map(blob));
    let new = e
        .new
        .as_ref()
        .map(|v| v.to_string())
        .or(e.new_blob.as_ref().map(blob));
    if let (Some(old), Some(new)) = (old, new) {
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

//! `aicoder audit`: read the project's audit log.

use crate::caps::audit::{read_recent, AuditLog};
use crate::caps::undo::Select;
use crate::config::Paths;
use crate::ui::tables::{print_recent, verify_report};
use crate::ui::undo::Confirm;
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

/// Offline undo: against the session file of this folder (or `--session`),
/// in an app opened without a model.
fn undo(select: Select, yes: bool, session_file: Option<std::path::PathBuf>) -> Result<ExitCode> {
    // Undo calls no plugin: none is compiled to open the app.
    let mut app = crate::app::App::open_only(&[], &[])?;
    let path = session_file.unwrap_or_else(|| crate::session::default_session_file(&app.paths));
    if path.exists() {
        crate::session::load_conversation(&mut app, &path)?;
    }
    let mut input = None;
    let mut ask_line = |q: &str| {
        input
            .get_or_insert_with(|| crate::session::Input::stdin(None))
            .ask(q)
    };
    let confirm = if yes {
        Confirm::Apply
    } else if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        Confirm::Ask(&mut ask_line)
    } else {
        Confirm::Cannot("add --yes to apply the undo (no terminal to ask)")
    };
    let outcome = crate::ui::undo::run(&app, select, confirm)?;
    if !outcome.applied() {
        let failed = outcome.planned == 0 && outcome.refused > 0;
        return Ok(if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    if path.exists() || app.state().messages.len() > 1 {
        crate::session::save_conversation(&app, &path)?;
    }
    Ok(if outcome.refused > 0 || outcome.not_undone > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

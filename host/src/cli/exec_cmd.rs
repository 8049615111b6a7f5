//! `aicoder exec "TASK"`: a headless run (session/exec.rs), and the same
//! flags on the bare command for piped input (`echo TASK | aicoder --json`).

use crate::headless::Policy;
use crate::session::exec::ExecOptions;
use clap::Args;
use std::path::PathBuf;

/// The flags of a headless run (also accepted without `exec`, for piped input).
#[derive(Debug, Clone, Args, Default)]
pub struct HeadlessFlags {
    /// Print every event as one JSON object per line on stdout
    /// (docs/events.schema.json); anything else goes to stderr.
    #[arg(long, global = true)]
    pub json: bool,

    /// Who answers approval questions: never (the default), all (tools only,
    /// as YOLO), or ask-fd N: questions are events, answers JSON lines read
    /// from descriptor N (docs/headless.md).
    #[arg(long, value_name = "MODE", global = true)]
    pub approve: Option<String>,

    /// The final answer must be JSON valid against this JSON Schema file;
    /// the model is asked once more on a mismatch (exit 4 after that).
    #[arg(long, value_name = "FILE", global = true)]
    pub output_schema: Option<PathBuf>,

    /// At most this many subagents (the task tool) at once (default 3;
    /// AICODER_MAX_AGENTS overrides).
    #[arg(long, value_name = "N", global = true)]
    pub max_agents: Option<usize>,
}

impl HeadlessFlags {
    /// Whether any flag asks for a headless run.
    pub fn any(&self) -> bool {
        self.json || self.approve.is_some() || self.output_schema.is_some()
    }
}

/// `aicoder exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The task. Without it, stdin is read as in piped mode (`/commands`
    /// first, then the task).
    #[arg(value_name = "TASK")]
    pub task: Option<String>,
}

/// `--approve ask-fd N` as one value (`ask-fd:N`), so that `--approve`
/// otherwise takes one value and a task after `--approve all` stays the task.
pub fn join_ask_fd(args: impl Iterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut out: Vec<std::ffi::OsString> = Vec::new();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let is_ask_fd = out.last().is_some_and(|l| l == "--approve") && arg == "ask-fd";
        if is_ask_fd {
            if let Some(n) = args.next_if(|n| n.to_str().is_some_and(|n| n.parse::<u32>().is_ok()))
            {
                let mut joined = std::ffi::OsString::from("ask-fd:");
                joined.push(n);
                out.push(joined);
                continue;
            }
        }
        out.push(arg);
    }
    out
}

/// `--grant task` offers the task tool; the other grants are for plugins.
pub fn split_task_grant(grants: &[String]) -> (Vec<String>, bool) {
    let task = grants.iter().any(|g| g.trim() == "task");
    let rest = grants
        .iter()
        .filter(|g| g.trim() != "task")
        .cloned()
        .collect();
    (rest, task)
}

/// Run headless.
pub fn run(
    task: Option<String>,
    flags: &HeadlessFlags,
    grants: &[String],
) -> anyhow::Result<std::process::ExitCode> {
    let approve = match &flags.approve {
        None => Policy::Never,
        Some(mode) => match Policy::parse(std::slice::from_ref(mode)) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("aicoder: {e}");
                return Ok(std::process::ExitCode::from(2));
            }
        },
    };
    let (grants, subagents) = split_task_grant(grants);
    crate::session::exec::run(ExecOptions {
        task,
        json: flags.json,
        approve,
        output_schema: flags.output_schema.clone(),
        grants,
        subagents,
        max_agents: flags
            .max_agents
            .unwrap_or(crate::session::DEFAULT_MAX_AGENTS),
    })
}

//! The internal tools of AI Coder v3: read_file, write_file, edit_file, grep,
//! list_directory, run_shell_command. Each has a preview for the approval
//! prompt and a run; bad arguments are errors for the model, never panics.

mod fence;
mod read;

pub use fence::Fence;
pub use read::{DEFAULT_READ_LIMIT, MAX_LINE_CHARS, PAGE_MAX_BYTES};

use crate::config::SandboxLimits;
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// Most lines `grep` returns (v3's DEFAULT_GREP_MAX_RESULTS).
const GREP_MAX_MATCHES: usize = 500;

/// Why an internal tool call failed; the text goes back to the model.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ToolError {
    #[error("invalid arguments for {tool}: {reason}")]
    InvalidArguments { tool: String, reason: String },
    #[error("unknown tool `{0}`")]
    Unknown(String),
    #[error("{0}")]
    Failed(String),
}

#[derive(Deserialize)]
struct ReadArgs {
    path: String,
    /// Lines to skip, from 0 (a number, or a number in a string).
    #[serde(default)]
    offset: Option<Value>,
    #[serde(default)]
    limit: Option<Value>,
}
#[derive(Deserialize)]
struct OptPath {
    #[serde(default)]
    path: Option<String>,
}
#[derive(Deserialize)]
struct WriteArgs {
    path: String,
    content: String,
}
#[derive(Deserialize)]
struct EditArgs {
    path: String,
    old_string: String,
    new_string: String,
}
#[derive(Deserialize)]
struct GrepArgs {
    pattern: String,
    #[serde(default)]
    path: Option<String>,
}
#[derive(Deserialize)]
struct ShellArgs {
    command: String,
    /// Seconds.
    #[serde(default)]
    timeout: Option<u64>,
}

fn args<T: serde::de::DeserializeOwned>(tool: &str, raw: &str) -> Result<T, ToolError> {
    let raw = if raw.trim().is_empty() { "{}" } else { raw };
    serde_json::from_str(raw).map_err(|e| ToolError::InvalidArguments {
        tool: tool.into(),
        reason: e.to_string(),
    })
}

/// A count the model sent: a non-negative number, or one in a string.
fn count(
    tool: &str,
    field: &str,
    value: Option<&Value>,
    default: usize,
) -> Result<usize, ToolError> {
    let bad = || ToolError::InvalidArguments {
        tool: tool.into(),
        reason: format!("{field} must be a whole number of lines, 0 or more"),
    };
    match value {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(bad),
        Some(Value::String(s)) => s.trim().parse().map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

/// The largest file edit_file and the write_file preview read whole.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// A regular file's text, through the fence's hardened bounded read:
/// devices and pipes (`/dev/zero`, a FIFO) would never end or never open,
/// and a huge file would fill memory; all are refused.
fn read_text(fence: &Fence, path: &str) -> Result<String, ToolError> {
    fence.read_text(path, MAX_FILE_BYTES)
}

/// The paths a call names, for the sandbox check before it runs.
pub fn named_paths(name: &str, raw: &str) -> Vec<String> {
    let Ok(Value::Object(args)) = serde_json::from_str::<Value>(raw) else {
        return Vec::new();
    };
    let path = args.get("path").and_then(Value::as_str);
    match name {
        "read_file" | "write_file" | "edit_file" => path.map(String::from).into_iter().collect(),
        "grep" | "list_directory" => vec![path.unwrap_or(".").to_string()],
        _ => Vec::new(),
    }
}

fn diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}

/// True if `name` is an internal tool.
pub fn is_internal(name: &str) -> bool {
    matches!(
        name,
        "read_file" | "write_file" | "edit_file" | "grep" | "list_directory" | "run_shell_command"
    )
}

/// What the approval prompt shows for a call: a diff for edits and writes,
/// the command for the shell.
pub fn preview(name: &str, raw: &str, fence: &Fence) -> Result<String, ToolError> {
    match name {
        "write_file" => {
            let a: WriteArgs = args(name, raw)?;
            Ok(match read_text(fence, &a.path) {
                Ok(old) => format!("Overwrite {}:\n{}", a.path, diff(&old, &a.content, &a.path)),
                Err(_) if fence.absolute(&a.path).exists() => {
                    format!("Overwrite {} (not shown as a diff)", a.path)
                }
                Err(_) => format!("Create {} ({} lines)", a.path, a.content.lines().count()),
            })
        }
        "edit_file" => {
            let a: EditArgs = args(name, raw)?;
            let old = read_text(fence, &a.path)?;
            let new = edited(&old, &a)?;
            Ok(format!("Edit {}:\n{}", a.path, diff(&old, &new, &a.path)))
        }
        "run_shell_command" => {
            let a: ShellArgs = args(name, raw)?;
            Ok(format!(
                "Run in {}:\n  $ {}",
                fence.cwd().display(),
                a.command
            ))
        }
        "read_file" | "list_directory" | "grep" => Ok(format!("{name} {raw}")),
        other => Err(ToolError::Unknown(other.to_string())),
    }
}

fn edited(old: &str, a: &EditArgs) -> Result<String, ToolError> {
    if a.old_string.is_empty() {
        return Err(ToolError::InvalidArguments {
            tool: "edit_file".into(),
            reason: "old_string is empty".into(),
        });
    }
    match old.matches(&a.old_string).count() {
        1 => Ok(old.replacen(&a.old_string, &a.new_string, 1)),
        0 => Err(ToolError::Failed(format!(
            "old_string was not found in {}; read the file and copy the text exactly",
            a.path
        ))),
        n => Err(ToolError::Failed(format!(
            "old_string occurs {n} times in {}; include more context so it is unique",
            a.path
        ))),
    }
}

/// What an internal tool call gave: the text the model gets, and, when the
/// call ran but did not succeed (a shell command's non-zero exit or
/// timeout), a one-line account of that for the user's outcome line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// The result text for the model.
    pub text: String,
    /// `exit 3 · last line of output`, `timed out after 2 s`: set only when
    /// the call ran and failed.
    pub failure: Option<String>,
    /// `run_shell_command` ran inside the process sandbox.
    pub confined: bool,
    /// What the sandbox's network proxy refused during the call.
    pub refused: Vec<aicoder_sandbox::Refusal>,
    /// A confined command failed in a way that looks like the sandbox
    /// refused something (a path): worth offering a rerun outside.
    pub sandbox_hint: bool,
    /// The exit code of a shell command.
    pub exit_code: Option<i32>,
}

/// How [`run_with`] runs `run_shell_command` (the escalations the user
/// chose at the terminal).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Outside the process sandbox, this once.
    pub outside: bool,
    /// More hosts the proxy lets through, this once.
    pub hosts: Vec<aicoder_sandbox::HostRule>,
}

/// Run an internal tool; file paths go through `fence`. The result text goes
/// to the model.
pub fn run(
    name: &str,
    raw: &str,
    fence: &Fence,
    limits: &SandboxLimits,
) -> Result<String, ToolError> {
    run_reporting(name, raw, fence, limits).map(|ran| ran.text)
}

/// [`run`], also saying whether a call that ran failed (see [`Ran`]).
pub fn run_reporting(
    name: &str,
    raw: &str,
    fence: &Fence,
    limits: &SandboxLimits,
) -> Result<Ran, ToolError> {
    run_with(name, raw, fence, limits, &RunOptions::default())
}

/// [`run_reporting`] with the user's escalations for this call.
pub fn run_with(
    name: &str,
    raw: &str,
    fence: &Fence,
    limits: &SandboxLimits,
    options: &RunOptions,
) -> Result<Ran, ToolError> {
    let cap = limits.output_bytes;
    let mut failure = None;
    let (mut confined, mut refused, mut sandbox_hint, mut exit_code) =
        (false, Vec::new(), false, None);
    let out = match name {
        "read_file" => {
            let a: ReadArgs = args(name, raw)?;
            let offset = count(name, "offset", a.offset.as_ref(), 0)?;
            let limit = count(name, "limit", a.limit.as_ref(), DEFAULT_READ_LIMIT)?.max(1);
            read::page(fence.open_file(&a.path)?, &a.path, offset, limit)?
        }
        "write_file" => {
            let a: WriteArgs = args(name, raw)?;
            fence.write(&a.path, a.content.as_bytes())?;
            format!("wrote {} ({} bytes)", a.path, a.content.len())
        }
        "edit_file" => {
            let a: EditArgs = args(name, raw)?;
            let new = edited(&read_text(fence, &a.path)?, &a)?;
            fence.write(&a.path, new.as_bytes())?;
            format!("edited {}", a.path)
        }
        "list_directory" => {
            let a: OptPath = args(name, raw)?;
            let names = fence.list(a.path.as_deref().unwrap_or("."))?;
            if names.is_empty() {
                "(empty)".to_string()
            } else {
                names
                    .into_iter()
                    .map(|(n, dir)| if dir { format!("{n}/") } else { n })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
        "grep" => {
            let a: GrepArgs = args(name, raw)?;
            let (start, cwd) = fence.search_start(a.path.as_deref().unwrap_or("."))?;
            grep(&a.pattern, &start, &cwd)?
        }
        "run_shell_command" => {
            // Not confined by the fence: the process sandbox confines it
            // (caps/process_sandbox.rs) unless SHELL_SANDBOX=0 or the
            // kernel cannot; it is never auto-approved.
            let a: ShellArgs = args(name, raw)?;
            let timeout = a
                .timeout
                .map(Duration::from_secs)
                .unwrap_or(limits.shell_timeout)
                .min(limits.shell_timeout);
            let confine = match options.outside {
                true => false,
                false => crate::caps::process_sandbox::decide()
                    .map_err(|e| ToolError::Failed(e.to_string()))?,
            };
            // Ctrl-C (crate::interrupt) kills the command's process group.
            let out = if confine {
                let mut allow = crate::caps::process_sandbox::hosts();
                allow.extend(options.hosts.iter().cloned());
                let policy = crate::caps::process_sandbox::policy(&fence.root(), allow);
                let (out, refusals) = crate::shell::run_confined(
                    &a.command,
                    fence.cwd(),
                    timeout,
                    cap,
                    &policy,
                    crate::interrupt::flag(),
                )
                .map_err(|e| ToolError::Failed(format!("failed: {e}")))?;
                confined = true;
                refused = refusals;
                out
            } else {
                crate::shell::run_stoppable(
                    &a.command,
                    fence.cwd(),
                    timeout,
                    cap,
                    crate::interrupt::flag(),
                )
                .map_err(|e| ToolError::Failed(format!("failed: {e}")))?
            };
            exit_code = Some(out.exit_code);
            sandbox_hint = confine
                && out.exit_code != 0
                && crate::caps::process_sandbox::looks_refused(&out.stderr);
            let mut text = format!("exit code: {}\n", out.exit_code);
            if out.timed_out {
                text.push_str(&format!("(killed at the {} timeout)\n", seconds(timeout)));
                failure = Some(format!("timed out after {}", seconds(timeout)));
            } else if out.exit_code != 0 {
                failure = Some(shell_failure(out.exit_code, &out.stdout, &out.stderr));
            }
            text.push_str(&format!("stdout:\n{}", out.stdout));
            if !out.stderr.is_empty() {
                text.push_str(&format!("\nstderr:\n{}", out.stderr));
            }
            for r in &refused {
                text.push_str(&format!(
                    "\n[sandbox: the network proxy refused {}:{}: {}]",
                    r.host, r.port, r.reason
                ));
            }
            text
        }
        other => return Err(ToolError::Unknown(other.to_string())),
    };
    Ok(Ran {
        text: crate::util::truncate_text(&out, cap).0,
        failure,
        confined,
        refused,
        sandbox_hint,
        exit_code,
    })
}

/// A duration as the user set it: `2 s`, `1.5 s`.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `exit N` and the line that most likely says why: the last non-empty
/// line of stderr, else of stdout.
fn shell_failure(exit_code: i32, stdout: &str, stderr: &str) -> String {
    let last = |text: &str| {
        text.lines()
            .rev()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string)
    };
    match last(stderr).or_else(|| last(stdout)) {
        Some(line) => format!("exit {exit_code} · {line}"),
        None => format!("exit {exit_code}"),
    }
}

fn grep(pattern: &str, root: &Path, cwd: &Path) -> Result<String, ToolError> {
    let matcher =
        grep_regex::RegexMatcher::new(pattern).map_err(|e| ToolError::InvalidArguments {
            tool: "grep".into(),
            reason: format!("bad pattern: {e}"),
        })?;
    let (mut found, stopped) = grep_parallel(&matcher, root, cwd);
    // Threads finish files in any order: sort by file, lines in file order.
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut lines: Vec<String> = found
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .take(GREP_MAX_MATCHES)
        .collect();
    if stopped {
        lines.push(format!("[stopped at {GREP_MAX_MATCHES} matches]"));
    }
    Ok(if lines.is_empty() {
        "no matches".to_string()
    } else {
        lines.join("\n")
    })
}

/// Search every file under `root` (with the ignore rules of ripgrep: hidden
/// files, .gitignore, .ignore) on all cores, as ripgrep does. Returns the
/// matching lines of each file (`path:line:text`, the path relative to
/// `cwd`), and whether the search stopped at [`GREP_MAX_MATCHES`].
fn grep_parallel(
    matcher: &grep_regex::RegexMatcher,
    root: &Path,
    cwd: &Path,
) -> (Vec<(String, Vec<String>)>, bool) {
    use grep_searcher::sinks::UTF8;
    use grep_searcher::Searcher;
    use ignore::WalkState;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Mutex;
    let found: Mutex<Vec<(String, Vec<String>)>> = Mutex::new(Vec::new());
    let total = AtomicUsize::new(0);
    let stopped = AtomicBool::new(false);
    ignore::WalkBuilder::new(root).build_parallel().run(|| {
        // One searcher (and its buffers) per thread, reused for every file.
        let mut searcher = Searcher::new();
        let (found, total, stopped) = (&found, &total, &stopped);
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let shown = entry
                .path()
                .strip_prefix(cwd)
                .unwrap_or(entry.path())
                .display()
                .to_string();
            let mut lines = Vec::new();
            let _ = searcher.search_path(
                matcher,
                entry.path(),
                UTF8(|n, line| {
                    lines.push(format!("{shown}:{n}:{}", line.trim_end()));
                    // More than the cap is never shown: stop this file there.
                    Ok(total.fetch_add(1, Ordering::Relaxed) + 1 < GREP_MAX_MATCHES)
                }),
            );
            if !lines.is_empty() {
                if let Ok(mut found) = found.lock() {
                    found.push((shown, lines));
                }
            }
            if total.load(Ordering::Relaxed) >= GREP_MAX_MATCHES {
                stopped.store(true, Ordering::Relaxed);
                return WalkState::Quit;
            }
            WalkState::Continue
        })
    });
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    (found, stopped.load(Ordering::Relaxed))
}

/// A tool call's arguments that are not JSON (the words go back to the model).
#[derive(Debug, thiserror::Error)]
#[error("arguments are not valid JSON: {0}")]
pub struct BadArguments(#[from] serde_json::Error);

/// The arguments of a call as JSON, or the error to send back to the model.
pub fn parse_arguments(raw: &str) -> Result<Value, BadArguments> {
    Ok(serde_json::from_str(if raw.trim().is_empty() {
        "{}"
    } else {
        raw
    })?)
}

#[cfg(test)]
mod tests;

//! bg_jobs: start, list, tail and stop long-running background processes (a
//! dev server, a database) for the model (v3's bg_jobs), through the host's
//! `process` interface: each job runs in the workspace root in its own
//! process group, keeps its newest 256 KiB of output, and is killed when the
//! session ends. Needs `process.spawn` (start, stop; each start is a tool
//! call the user approves) and `process.read` (list, tail).

use aicoder_plugin_sdk::bindings::aicoder::plugin::process::{self, JobInfo};
use aicoder_plugin_sdk::{
    export_plugin, Args, Manifest, Plugin, PluginError, Preview, ToolOutput, ToolSpec,
};

struct BgJobs;

/// Lines `job_tail` returns unless asked otherwise, and at most.
const TAIL_LINES: u64 = 50;
const TAIL_LINES_MAX: u64 = 2000;

/// `text` safe for a terminal: control characters other than newline and
/// tab shown as escapes (a job's output may carry any bytes).
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || c == '\t' || !c.is_control() {
            out.push(c);
        } else {
            out.extend(c.escape_unicode());
        }
    }
    out
}

/// The last `n` lines of `text`.
pub fn last_lines(text: &str, n: usize) -> &str {
    let trimmed = text.strip_suffix('\n').unwrap_or(text);
    match trimmed.rmatch_indices('\n').nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &text[i + 1..],
        _ if n == 0 => "",
        _ => text,
    }
}

fn describe(job: &JobInfo) -> String {
    let state = match (job.running, job.exit_code) {
        (true, _) => "running".to_string(),
        (false, Some(code)) => format!("exited {code}"),
        (false, None) => "ended".to_string(),
    };
    format!(
        "job {} [{state}] pid {} ({} bytes of output): {}",
        job.id, job.pid, job.output_bytes, job.command
    )
}

fn id(args: &Args) -> Result<u32, PluginError> {
    let id = args
        .opt_u64("id")?
        .ok_or_else(|| PluginError::InvalidArguments("missing number `id`".into()))?;
    u32::try_from(id).map_err(|_| PluginError::InvalidArguments(format!("no job {id}")))
}

fn list() -> Result<String, PluginError> {
    let jobs = process::list_jobs()?;
    if jobs.is_empty() {
        return Ok("no background jobs".into());
    }
    Ok(jobs.iter().map(describe).collect::<Vec<_>>().join("\n"))
}

fn tool(name: &str, description: &str, schema: &str) -> ToolSpec {
    ToolSpec::new(name, description, schema)
}

impl Plugin for BgJobs {
    fn new() -> Self {
        BgJobs
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "bg_jobs",
            "0.1.0",
            "Runs background jobs (dev servers, databases) for the model; stopped when the session ends",
        )
        .tool(tool(
            "job_start",
            "Start a long-running shell command in the background (in the workspace root), e.g. a dev server. Returns its job id; read its output with job_tail.",
            r#"{"type":"object","properties":{"command":{"type":"string","description":"Shell command"}},"required":["command"]}"#,
        ))
        .tool(tool(
            "job_list",
            "List the background jobs with their state and exit codes.",
            r#"{"type":"object","properties":{}}"#,
        ))
        .tool(tool(
            "job_tail",
            "The last lines of a background job's output (stdout and stderr together).",
            r#"{"type":"object","properties":{"id":{"type":"integer"},"lines":{"type":"integer","description":"How many lines (default 50, at most 2000)"}},"required":["id"]}"#,
        ))
        .tool(tool(
            "job_stop",
            "Stop a background job (its whole process group).",
            r#"{"type":"object","properties":{"id":{"type":"integer"}},"required":["id"]}"#,
        ))
        .command("jobs", "list the background jobs")
    }

    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        let text = match name {
            "job_start" => {
                let job = process::start(args.str("command")?)?;
                format!("started {}", describe(&job))
            }
            "job_list" => list()?,
            "job_tail" => {
                let id = id(&args)?;
                let lines = args
                    .opt_u64("lines")?
                    .unwrap_or(TAIL_LINES)
                    .min(TAIL_LINES_MAX);
                let out = process::tail(id, u32::MAX)?;
                let lines = usize::try_from(lines).unwrap_or(usize::MAX);
                format!("output of job {id}:\n{}", last_lines(&out, lines))
            }
            "job_stop" => {
                let job = process::stop(id(&args)?)?;
                format!("stopped {}", describe(&job))
            }
            other => {
                return Err(PluginError::InvalidArguments(format!(
                    "unknown tool `{other}`"
                )))
            }
        };
        Ok(ToolOutput {
            summary: visible(&text.lines().take(20).collect::<Vec<_>>().join("\n")),
            detail: text,
        })
    }

    fn preview_tool(&mut self, name: &str, args: Args) -> Result<Preview, PluginError> {
        let (text, capability) = match name {
            "job_start" => (
                format!(
                    "start background job `{}` in the workspace root (runs until stopped or the session ends)",
                    visible(args.str("command")?)
                ),
                "process.spawn",
            ),
            "job_stop" => (format!("stop background job {}", id(&args)?), "process.spawn"),
            "job_list" => ("list background jobs".into(), "process.read"),
            "job_tail" => (format!("read the output of background job {}", id(&args)?), "process.read"),
            other => return Err(PluginError::InvalidArguments(format!("unknown tool `{other}`"))),
        };
        Ok(Preview {
            text,
            capabilities: vec![capability.into()],
        })
    }

    fn run_command(&mut self, name: &str, _args: &str) -> Result<String, PluginError> {
        match name {
            "jobs" => Ok(visible(&list()?)),
            other => Err(PluginError::InvalidArguments(format!(
                "unknown command `/{other}`"
            ))),
        }
    }
}

export_plugin!(BgJobs);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(last_lines("a\nb\nc\n", 2), "b\nc\n");
        assert_eq!(last_lines("a\nb\nc", 2), "b\nc");
        assert_eq!(last_lines("a\nb\n", 5), "a\nb\n");
        assert_eq!(last_lines("a\nb\n", 0), "");
    }

    #[test]
    fn escapes_are_made_visible() {
        assert_eq!(visible("ok\u{1b}[2J\tx\n"), "ok\\u{1b}[2J\tx\n");
    }
}
